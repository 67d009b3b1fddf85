"""Refund pages: the guest's request form on a booking, and the staff queue with approve/reject (htmx)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.permissions import user_has_perm_anywhere
from apps.accounts.requests import signed_in_user
from apps.bookings.models import Booking
from apps.bookings.policy import CancellationTerms, cancellation_terms
from apps.bookings.selectors import booking_get_for_guest_or_staff
from apps.core.errors import ApplicationError
from apps.core.forms import is_htmx, page_or_partial, redirect_after_form, submit_form
from apps.core.panels import Panel
from apps.payments.models import Payment
from apps.payments.selectors import booking_balance
from apps.refunds import selectors, services
from apps.refunds.models import Refund


class RefundRequestForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"), max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )
    reason = forms.CharField(
        label=gettext_lazy("Why (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def booking_refund_link_panel(*, request: HttpRequest, booking: Booking, is_guest: bool, **_: object) -> Panel | None:
    """On the guest's booking page: a way to ask for money back while some of what they paid is refundable."""
    if not is_guest or not booking_balance(booking=booking).refundable:
        return None
    return Panel("refunds/_request_link.html", {"booking": booking}, order=20)


def _error_page(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    template = "errors/403.html" if error.status == 403 else "errors/404.html"
    return render(request, template, {"message": error.message}, status=error.status)


@login_required
@require_http_methods(["GET", "POST"])
def refund_request(request: HttpRequest, reference: str) -> HttpResponse:
    """The guest asks for money back on their booking; the page shows what was paid and every refund so far."""
    try:
        booking = booking_get_for_guest_or_staff(user=request.user, reference=reference, perm="refunds.add_refund")
    except ApplicationError as error:
        return _error_page(request, error)
    balance = booking_balance(booking=booking)
    form = RefundRequestForm(request.POST or None, initial={"amount": balance.refundable})
    done, status = submit_form(
        request,
        form,
        lambda data: services.refund_request(
            booking=booking, amount=data["amount"], reason=data["reason"], requested_by=signed_in_user(request)
        ),
    )
    if done:
        messages.success(request, _("Your refund request is with the hotel. We will email you their decision."))
        url = reverse("refunds:request", args=[booking.reference])
        return redirect_after_form(request, url)
    context = {
        "booking": booking,
        "balance": balance,
        "form": form,
        "refunds": selectors.refund_list_for_user(user=request.user, booking=booking),
    }
    return page_or_partial(request, "refunds/request.html", "form", context, status)


# --- Staff: the queue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    refund: Refund
    terms: CancellationTerms
    payments: list[Payment]
    error: str = ""


def _item(refund: Refund, error: str = "") -> QueueItem:
    booking: Booking = refund.booking
    # The policy as it stood when the guest cancelled (or as it stands now for a live booking).
    terms = cancellation_terms(booking=booking, at=booking.cancelled_at)
    payments = list(booking.payments.order_by("created_at"))
    return QueueItem(refund=refund, terms=terms, payments=payments, error=error)


@login_required
@require_safe
def refund_queue(request: HttpRequest) -> HttpResponse:
    """Requests waiting at the hotels where the user may approve refunds, with the policy and payments beside."""
    if not user_has_perm_anywhere(request.user, services.APPROVE):
        return render(
            request, "errors/403.html", {"message": _("Only managers and accountants decide refunds.")}, status=403
        )
    refunds = selectors.refund_queue_for_user(user=request.user).prefetch_related("booking__night_lines")
    return render(request, "refunds/queue.html", {"items": [_item(refund) for refund in refunds]})


def _decide(request: HttpRequest, refund_id: int, *, approve: bool) -> HttpResponse:
    try:
        refund = selectors.refund_get_for_user(user=request.user, refund_id=refund_id)
    except ApplicationError as error:
        return _error_page(request, error)
    note = request.POST.get("note", "")[:500]
    try:
        if approve:
            refund = services.refund_approve(refund=refund, approver=signed_in_user(request), note=note)
        else:
            refund = services.refund_reject(refund=refund, decider=signed_in_user(request), note=note)
    except ApplicationError as error:
        # Refusals (four-eyes, a decision already taken) stay beside the request, swapped in place.
        fresh = selectors.refund_get_for_user(user=request.user, refund_id=refund_id)
        if not is_htmx(request):
            messages.error(request, error.message)
            return redirect("refunds:queue")
        return render(request, "refunds/queue.html#item", {"item": _item(fresh, error.message)}, status=409)
    refund = selectors.refund_get_for_user(user=request.user, refund_id=refund_id)
    if not is_htmx(request):
        messages.success(request, _("Refund: %(status)s.") % {"status": refund.get_status_display()})
        return redirect("refunds:queue")
    return render(request, "refunds/queue.html#item", {"item": _item(refund)})


@login_required
@require_POST
def refund_approve(request: HttpRequest, refund_id: int) -> HttpResponse:
    return _decide(request, refund_id, approve=True)


@login_required
@require_POST
def refund_reject(request: HttpRequest, refund_id: int) -> HttpResponse:
    return _decide(request, refund_id, approve=False)
