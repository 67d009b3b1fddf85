"""Payment pages: the guest's pay step, the simulated provider's hosted page, receipts, and the desk's payment form.

The simulated page stands in for a real provider's site: it never changes a
Payment itself but delivers a signed webhook through the very verify-and-parse
path the API endpoint uses, so a signed event is the only way money is taken.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from apps.accounts.permissions import user_has_perm
from apps.accounts.requests import signed_in_user
from apps.bookings.models import Booking
from apps.bookings.selectors import booking_get_for_guest_or_staff, booking_get_for_staff
from apps.core.errors import ApplicationError
from apps.core.forms import page_or_partial, redirect_after_form, submit_form
from apps.core.panels import Panel
from apps.core.templatetags.l10n_money import format_money
from apps.payments import selectors, services
from apps.payments.models import Payment
from apps.payments.providers import (
    PAYMENT_FAILED,
    PAYMENT_SUCCEEDED,
    UnknownProvider,
    get_provider,
)
from apps.payments.providers import simulated as sim

ADD = "payments.add_payment"
CHALLENGE_SALT = "hbs.payments.simulated.3ds"
CHALLENGE_MAX_AGE = 600


# --- The booking page's panels (slots of apps.bookings: see apps/core/panels.py) ---------------------


def booking_status_panel(*, request: HttpRequest, booking: Booking, is_guest: bool, **_: Any) -> Panel | None:
    """A confirmed booking's money: paid, still due at the hotel, or paid in full; and a way to pay online."""
    if booking.status != Booking.Status.CONFIRMED:
        return None
    balance = selectors.booking_balance(booking=booking)
    online = is_guest and selectors.can_pay_online(booking=booking, balance=balance)
    context = {"booking": booking, "balance": balance, "is_guest": is_guest, "can_pay_online": online}
    return Panel("payments/_booking_status.html", context)


def booking_pay_online_panel(*, request: HttpRequest, booking: Booking, **_: Any) -> Panel | None:
    """ "Pay online now" beside "Pay at the hotel" on a held booking, when the payment rules allow it."""
    if booking.status != Booking.Status.HELD or not selectors.can_pay_online(booking=booking):
        return None
    return Panel("payments/_pay_way_online.html", {"booking": booking})


def booking_payments_panel(*, request: HttpRequest, booking: Booking, **_: Any) -> Panel | None:
    payments = list(selectors.payment_list_for_user(user=request.user, booking=booking))
    if not payments:
        return None
    return Panel("payments/_booking_payments.html", {"booking": booking, "payments": payments}, order=10)


def booking_desk_action_panel(*, request: HttpRequest, booking: Booking, is_guest: bool, **_: Any) -> Panel | None:
    """Staff looking at a guest's booking get the desk's payment page beside it."""
    if is_guest or not user_has_perm(request.user, ADD, booking.hotel):
        return None
    return Panel("payments/_desk_action.html", {"booking": booking}, order=10)


# --- Guest: the pay step -------------------------------------------------------------------------


def _pay_context(booking: Booking) -> dict[str, Any]:
    balance = selectors.booking_balance(booking=booking)
    return {
        "booking": booking,
        "balance": balance,
        "can_pay_online": selectors.can_pay_online(booking=booking, balance=balance),
    }


@login_required
@require_http_methods(["GET", "POST"])
def pay_online(request: HttpRequest, reference: str) -> HttpResponse:
    """GET: the pay step (the `_pay_online.html` partial); POST: open the provider's page and go there."""
    try:
        booking = booking_get_for_guest_or_staff(user=request.user, reference=reference, perm="payments.add_payment")
    except ApplicationError as error:
        return render(request, "errors/404.html", {"message": error.message}, status=error.status)
    if request.method == "POST":
        try:
            started = services.payment_start_online(booking=booking, started_by=signed_in_user(request))
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            return redirect(started.redirect_url)
    return render(request, "payments/pay.html", _pay_context(booking))


# --- The simulated provider's hosted page ----------------------------------------------------------


class CardForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Card number"), max_length=23, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    expiry = forms.RegexField(
        label=gettext_lazy("Expiry (MM/YY)"), regex=r"^(0[1-9]|1[0-2])\s*/\s*\d{2}$", max_length=7
    )
    cvc = forms.RegexField(label=gettext_lazy("CVC"), regex=r"^\d{3,4}$", max_length=4)
    name = forms.CharField(label=gettext_lazy("Name on card"), max_length=100)

    def clean_number(self) -> str:
        number = "".join(self.cleaned_data["number"].split())
        if sim.card_outcome(number) is None:
            raise forms.ValidationError(
                _("This page takes test cards only: %(cards)s.")
                % {"cards": "4242 4242 4242 4242, 4000 0000 0000 0002, 4000 0027 6000 3184"}
            )
        return number


def _deliver(payment: Payment, kind: str, *, card_last4: str = "", failure_message: str = "") -> None:
    """Sends the event the way the provider would: signed, through the webhook's verify-and-parse path."""
    body = sim.event_body(payment=payment, kind=kind, card_last4=card_last4, failure_message=failure_message)
    headers = {sim.SIGNATURE_HEADER: sim.signature_header(body=body)}
    services.payment_webhook_receive(provider=sim.NAME, body=body, headers=headers)


def _after_payment(request: HttpRequest, payment: Payment) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("payments:receipt", payment_id=payment.pk)
    return redirect("payments:simulated-page", token=payment.provider_reference)


@require_http_methods(["GET", "POST"])
def simulated_page(request: HttpRequest, token: str) -> HttpResponse:
    """The hosted test-card page: succeed, decline, or ask for a 3-D Secure confirmation."""
    try:
        get_provider(sim.NAME)  # routed only when enabled; this holds even if the URLconf is reused
    except UnknownProvider:
        return render(request, "errors/404.html", {"message": _("There is no such page.")}, status=404)
    try:
        payment = selectors.payment_get_by_checkout(provider=sim.NAME, token=token)
    except ApplicationError as error:
        return render(request, "errors/404.html", {"message": error.message}, status=404)
    context: dict[str, Any] = {"payment": payment, "booking": payment.booking, "token": token}
    if payment.status != Payment.Status.PENDING and payment.status != Payment.Status.FAILED:
        return render(request, "payments/simulated.html", {**context, "done": True})
    step = request.POST.get("step", "card")
    if request.method == "POST" and step == "3ds":
        return _three_d_secure(request, payment, context)
    form = CardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        outcome = sim.card_outcome(number)
        if outcome == sim.CardOutcome.NEEDS_3DS:
            challenge = signing.dumps({"token": token, "last4": number[-4:]}, salt=CHALLENGE_SALT)
            return render(request, "payments/simulated.html", {**context, "challenge": challenge})
        if outcome == sim.CardOutcome.DECLINED:
            _deliver(payment, PAYMENT_FAILED, card_last4=number[-4:], failure_message=sim.DECLINED_MESSAGE)
            payment.refresh_from_db()
            return render(
                request,
                "payments/simulated.html",
                {**context, "form": CardForm(), "declined": _(sim.DECLINED_MESSAGE)},
                status=402,
            )
        _deliver(payment, PAYMENT_SUCCEEDED, card_last4=number[-4:])
        return _after_payment(request, payment)
    status = 400 if request.method == "POST" else 200
    return render(request, "payments/simulated.html", {**context, "form": form}, status=status)


def _three_d_secure(request: HttpRequest, payment: Payment, context: dict[str, Any]) -> HttpResponse:
    try:
        challenge = signing.loads(request.POST.get("challenge", ""), salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:
        return render(
            request,
            "payments/simulated.html",
            {**context, "form": CardForm(), "declined": _("The confirmation expired; please enter the card again.")},
            status=400,
        )
    if challenge.get("token") != payment.provider_reference:
        message = _("This confirmation is for another payment.")
        return render(request, "errors/400.html", {"message": message}, status=400)
    if request.POST.get("answer") != "confirm":
        _deliver(
            payment, PAYMENT_FAILED, card_last4=challenge["last4"], failure_message=sim.AUTHENTICATION_FAILED_MESSAGE
        )
        return render(
            request,
            "payments/simulated.html",
            {**context, "form": CardForm(), "declined": _(sim.AUTHENTICATION_FAILED_MESSAGE)},
            status=402,
        )
    _deliver(payment, PAYMENT_SUCCEEDED, card_last4=challenge["last4"])
    return _after_payment(request, payment)


# --- Receipts --------------------------------------------------------------------------------------


@login_required
@require_safe
def receipt(request: HttpRequest, payment_id: int) -> HttpResponse:
    """A printable receipt for a payment the user may see (the guest's own, or staff of the hotel)."""
    try:
        payment = selectors.payment_get_for_user(user=request.user, payment_id=payment_id)
    except ApplicationError as error:
        return render(request, "errors/404.html", {"message": error.message}, status=404)
    booking = payment.booking
    return render(
        request,
        "payments/receipt.html",
        {"payment": payment, "booking": booking, "refunds": payment.refunds.order_by("created_at")},
    )


# --- The desk -------------------------------------------------------------------------------------


class DeskPaymentForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Method"),
        choices=[(method.value, method.label) for method in Payment.DESK_METHODS],
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"), max_digits=10, decimal_places=2, min_value=Decimal("0.01"), required=False
    )


@login_required
@require_http_methods(["GET", "POST"])
def desk_payment(request: HttpRequest, reference: str) -> HttpResponse:
    """Staff with payments.add_payment at the hotel record cash or card-terminal money; a hold is confirmed."""
    try:
        booking = booking_get_for_staff(user=request.user, reference=reference, perm="payments.add_payment")
    except ApplicationError as error:
        template = "errors/403.html" if error.status == 403 else "errors/404.html"
        return render(request, template, {"message": error.message}, status=error.status)
    form = DeskPaymentForm(request.POST or None)
    recorded: list[Payment] = []

    def record(data: dict[str, Any]) -> None:
        recorded.append(
            services.payment_record_desk(
                booking=booking, method=data["method"], amount=data.get("amount"), recorded_by=signed_in_user(request)
            )
        )

    done, status = submit_form(request, form, record)
    if done:
        amount = format_money(recorded[0].amount, recorded[0].currency)
        messages.success(request, _("Payment of %(amount)s recorded.") % {"amount": amount})
        url = reverse("payments:desk", args=[booking.reference])
        return redirect_after_form(request, url)
    booking.refresh_from_db()
    context = {
        **_pay_context(booking),
        "form": form,
        "payments": selectors.payment_list_for_user(user=request.user, booking=booking),
    }
    return page_or_partial(request, "payments/desk.html", "form", context, status)
