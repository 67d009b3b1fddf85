"""Guest booking pages: search, the hotel page, book a stay from a result, then see, confirm, cancel or move it.

Forms post through htmx when it is there (errors re-render the form's partial
in place with the error's own status; success redirects the whole page) and
work as plain forms without it. The rules are the services'; these views parse,
scope, call and show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.models import User
from apps.accounts.services import user_update_profile
from apps.bookings import selectors
from apps.bookings.forms import (
    NEW_ACCOUNT,
    BookingDetailsForm,
    CancelForm,
    DateChangeForm,
    OfferCodeForm,
    SearchForm,
    StayDatesForm,
    StayForm,
)
from apps.bookings.models import Booking
from apps.bookings.policy import (
    CancellationTerms,
    cancel_problem,
    cancellation_terms,
    change_problem,
    pay_at_hotel_refusal,
)
from apps.bookings.selectors import Availability, stay_quote
from apps.bookings.services import (
    DateChange,
    Visitor,
    booking_cancel,
    booking_change_dates,
    booking_confirm,
    booking_create,
    booking_create_for_visitor,
    booking_quote_date_change,
    hold_duration,
)
from apps.core.errors import ApplicationError, NotFound, ValidationFailed
from apps.core.forms import is_htmx, page_or_partial, redirect_after_form, show_error_on_form, submit_form
from apps.core.middleware import client_ip
from apps.core.panels import panels, row_panels
from apps.core.templatetags.l10n_money import format_money
from apps.hotels.models import Hotel, RoomType
from apps.hotels.pricing import InvalidOffer, Quote, capacity_problem
from apps.hotels.selectors import hotel_get, hotel_get_cached, hotel_list, room_type_get, room_types_shown
from apps.hotels.stays import validate_stay
from apps.offers.selectors import offer_list_public

SEARCH_LIMIT = 10
OFFERS_SHOWN = 3
LOGIN_BACKEND = "apps.accounts.backends.EmailBackend"
PROFILE_DETAILS = ("first_name", "last_name", "phone")


def _posted(request: HttpRequest) -> QueryDict | None:
    """The data to bind a form to: a POST binds even when empty (a bare confirm button posts nothing)."""
    return request.POST if request.method == "POST" else None


# --- Booking a stay ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stay:
    """The stay a search result asked for, and what the hotel's rules and the price engine say of it."""

    hotel: Hotel
    room_type: RoomType
    check_in: date
    check_out: date
    adults: int
    children: int
    offer_code: str  # the code applied to the quote; "" when none or when it did not apply
    quote: Quote | None = None
    problem: str = ""  # why this stay cannot be booked as asked (dates, party, hotel's rules)
    offer_problem: str = ""  # why the code asked for did not apply
    rooms_left: int = 0

    @property
    def bookable(self) -> bool:
        return self.quote is not None and not self.problem and self.rooms_left > 0

    def query(self, **changes: str) -> str:
        """The `/book/` query of this stay (the entry URL's shape)."""
        params = QueryDict(mutable=True)
        params.update(
            {
                "hotel": self.hotel.slug,
                "room_type": str(self.room_type.pk),
                "check_in": self.check_in.isoformat(),
                "check_out": self.check_out.isoformat(),
                "adults": str(self.adults),
                "children": str(self.children),
            }
        )
        offer_code = changes.get("offer_code", self.offer_code)
        if offer_code:
            params["offer_code"] = offer_code
        return params.urlencode()


class StayLinkInvalid(Exception):
    def __init__(self, form: StayForm) -> None:
        self.form = form
        super().__init__(_("The booking link is incomplete."))


def _stay(source: QueryDict) -> Stay:
    """Parses and prices the stay; NotFound for an unknown hotel or room type, StayLinkInvalid for a bad link."""
    form = StayForm(source)
    if not form.is_valid():
        raise StayLinkInvalid(form)
    data = form.cleaned_data
    hotel = hotel_get(slug=data["hotel"])
    room_type = room_type_get(room_type_id=data["room_type"])
    if room_type.hotel_id != hotel.pk:
        raise NotFound(_("This hotel has no such room type."))
    asked = {
        "hotel": hotel,
        "room_type": room_type,
        "check_in": data["check_in"],
        "check_out": data["check_out"],
        "adults": data["adults"],
        "children": data["children"],
    }
    stay = Stay(**asked, offer_code="")
    try:
        validate_stay(
            hotel=hotel, check_in=stay.check_in, check_out=stay.check_out, adults=stay.adults, children=stay.children
        )
    except ValidationFailed as error:
        return Stay(**asked, offer_code="", problem=" ".join(m for ms in error.fields.values() for m in ms))
    problem = capacity_problem(room_type=room_type, adults=stay.adults, children=stay.children)
    if problem:
        return Stay(**asked, offer_code="", problem=problem)
    offer_code, offer_problem = data["offer_code"], ""
    try:
        quote = stay_quote(**asked, offer_code=offer_code or None)
    except InvalidOffer as error:
        # Priced without the code, as availability does; the guest can try another or book as shown.
        offer_code, offer_problem = "", error.message
        quote = stay_quote(**asked)
    rooms_left = selectors.stay_rooms_left(room_type=room_type, check_in=stay.check_in, check_out=stay.check_out)
    return Stay(
        **asked,
        offer_code=offer_code,
        quote=quote,
        problem=quote.restriction.message if quote.restriction else "",
        offer_problem=offer_problem,
        rooms_left=rooms_left,
    )


def _signed_in_guest(request: HttpRequest, details: dict[str, Any]) -> User:
    """The signed-in guest, with the details they changed on the booking form saved to their profile."""
    user = request.user
    assert isinstance(user, User)  # the caller checked request.user.is_authenticated
    given = {name: details[name].strip() for name in PROFILE_DETAILS}
    changes = {name: value for name, value in given.items() if value != getattr(user, name)}
    return user_update_profile(user=user, **changes) if changes else user


def _details_initial(request: HttpRequest) -> dict[str, str]:
    if not request.user.is_authenticated:
        return {}
    return {name: getattr(request.user, name) for name in PROFILE_DETAILS}


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    """GET /book/?hotel=…&room_type=…&check_in=…&check_out=…&adults=…&children=…[&offer_code=…]"""
    source = request.POST if request.method == "POST" else request.GET
    try:
        stay = _stay(source)
    except StayLinkInvalid as invalid:
        return render(request, "bookings/book_invalid.html", {"stay_form": invalid.form}, status=400)

    signed_in = request.user.is_authenticated
    details = BookingDetailsForm(_posted(request), signed_in=signed_in, initial=_details_initial(request))
    booked: list[Booking] = []
    created: list[bool] = []

    def hold(data: dict[str, Any]) -> None:
        if stay.problem:
            raise ValidationFailed(stay.problem)
        wanted = {
            "hotel": stay.hotel,
            "room_type": stay.room_type,
            "check_in": stay.check_in,
            "check_out": stay.check_out,
            "adults": stay.adults,
            "children": stay.children,
            "offer_code": source.get("offer_code", "").strip() or None,
            "special_requests": data["special_requests"],
        }
        if signed_in:
            booked.append(booking_create(guest=_signed_in_guest(request, data), **wanted))
            return
        visitor = Visitor(
            email=data["email"],
            password=data["password"],
            wants_new_account=data["account"] == NEW_ACCOUNT,
            ip=client_ip(request),
            **{name: data[name].strip() for name in PROFILE_DETAILS},
        )
        visitor_hold = booking_create_for_visitor(visitor=visitor, request=request, **wanted)
        created.append(visitor_hold.account_created)
        booked.append(visitor_hold.booking)

    def hold_beside_form(data: dict[str, Any]) -> None:
        try:
            hold(data)
        except ApplicationError as error:
            if any(name not in details.fields for name in error.fields):
                # The stay's fields (dates, party, offer code) are not on this form: say it in the service's words.
                raise ApplicationError(error.message, code=error.code, status=error.status) from error
            raise

    done, status = submit_form(request, details, hold_beside_form)
    if done:
        booking = booked[0]
        if not signed_in:
            login(request, booking.guest, backend=LOGIN_BACKEND)
            if created and created[0]:
                messages.success(
                    request, _("Welcome! We sent a link to confirm %(email)s.") % {"email": booking.guest.email}
                )
        return redirect_after_form(request, reverse("bookings:detail", args=[booking.reference]))
    if request.method == "GET" and (stay.problem or stay.quote is None):
        status = 400
    context = {
        "stay": stay,
        "form": details,
        "stay_form": StayForm(initial=QueryDict(stay.query()).dict(), auto_id=False),
        "offer_form": OfferCodeForm(initial={"offer_code": source.get("offer_code", "")}),
        "stay_query": stay.query(),
        "hold_minutes": int(hold_duration().total_seconds() // 60),
    }
    # A POST re-renders its form in place; a GET (a new offer code) the summary and the form together.
    partial = "booking-form" if request.method == "POST" else "booking"
    return page_or_partial(request, "bookings/book.html", partial, context, status)


# --- Search and the hotel page ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HotelResult:
    hotel: Hotel
    cheapest: Availability | None = None  # the cheapest bookable room type with rooms left
    rooms_left: int = 0
    problem: str = ""
    cover: str = ""  # the first photo of its cheapest room type
    from_rate: Decimal | None = None  # the lowest nightly base rate, shown when no dates are asked


def _result(hotel: Hotel, **found: Any) -> HotelResult:
    """A hotel as the search shows it: its cover photo and from-rate come from the cached catalogue."""
    room_types = room_types_shown(hotel=hotel)
    photos = [url for room_type in room_types for url in room_type.photo_urls]
    from_rate = min((room_type.base_rate for room_type in room_types), default=None)
    return HotelResult(hotel, cover=photos[0] if photos else "", from_rate=from_rate, **found)


def search_context(request: HttpRequest) -> dict[str, Any]:
    """The home page's search: hotels by name or city, each with its cheapest free stay when dates are given,
    and the public offers a guest can use now."""
    form = SearchForm(request.GET or None)
    offers = list(offer_list_public()[:OFFERS_SHOWN])
    if not form.is_bound:
        return {"form": form, "results": [_result(h) for h in hotel_list()[:SEARCH_LIMIT]], "offers": offers}
    if not form.is_valid():
        return {"form": form, "results": [], "offers": offers}
    data = form.cleaned_data
    hotels = list(hotel_list(query=data["q"])[:SEARCH_LIMIT])
    if not form.has_dates:
        return {"form": form, "results": [_result(h) for h in hotels], "searched": True, "offers": offers}
    results = []
    for hotel in hotels:
        try:
            found = selectors.availability_search(
                hotel=hotel,
                check_in=data["check_in"],
                check_out=data["check_out"],
                adults=data["adults"] or 1,
                children=data["children"] or 0,
                offer_code=data["offer_code"] or None,
            )
        except ApplicationError as error:
            details = [message for messages_ in error.fields.values() for message in messages_]
            results.append(_result(hotel, problem=" ".join(dict.fromkeys(details)) or error.message))
            continue
        free = [r for r in found if r.bookable and r.rooms_left > 0]
        cheapest = min(free, key=lambda r: r.quote.total, default=None)
        problem = "" if cheapest else _("Sold out on these dates.")
        results.append(_result(hotel, cheapest=cheapest, rooms_left=sum(r.rooms_left for r in free), problem=problem))
    return {
        "form": form,
        "results": results,
        "searched": True,
        "stay_query": request.GET.urlencode(),
        "offers": offers,
    }


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The search: hotel or city, dates and guests; htmx swaps in only the results as they change."""
    context = search_context(request)
    if is_htmx(request):
        return render(request, "core/home.html#results", context)
    return render(request, "core/home.html", context)


@require_safe
def hotel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The hotel, its room types with photos and amenities, and with dates each type's per-night prices."""
    hotel = hotel_get_cached(slug=slug)
    room_types = room_types_shown(hotel=hotel)
    form = StayDatesForm(request.GET or None)
    availability: list[Availability] = []
    if form.is_bound and form.is_valid():
        try:
            availability = selectors.availability_search(hotel=hotel, **form.cleaned_data)
        except ApplicationError as error:
            show_error_on_form(form, error)
    amenities = {a.pk: a for rt in room_types for a in rt.amenities.all()}
    stay = {key: value for key, value in (form.cleaned_data if availability else {}).items() if value not in (None, "")}
    context = {
        "hotel": hotel,
        "room_types": room_types,
        "amenities": sorted(amenities.values(), key=lambda a: a.name),
        "form": form,
        "availability": availability,
        # The booking page's entry: this hotel and stay; each room type adds its id.
        "book_query": urlencode({"hotel": hotel.slug, **stay}),
        # What apps above show on the hotel's page (reviews), through apps.core.panels.
        "panels": [] if getattr(request, "htmx", False) else panels("hotels.detail", request=request, hotel=hotel),
    }
    return page_or_partial(request, "hotels/hotel_detail.html", "availability", context, 400 if form.errors else 200)


# --- A guest's bookings ----------------------------------------------------------------------------


def _booking_for(request: HttpRequest, reference: str) -> Booking:
    """The booking if this user may see it (the guest, or their hotel's staff); the 404 page otherwise."""
    return selectors.booking_get_for_user(user=request.user, reference=reference)


# The booking page's slots, filled by the apps above (payments, refunds, reviews, support): see apps/core/panels.py.
DETAIL_SLOTS = ("status", "pay_ways", "sections", "actions")


def _detail_context(request: HttpRequest, booking: Booking, **extra: Any) -> dict[str, Any]:
    hold_expired = booking.hold_expired()
    is_guest = booking.guest_id == request.user.pk
    subject = {"request": request, "booking": booking, "is_guest": is_guest, **extra}
    return {
        "booking": booking,
        "nights": list(booking.night_lines.all()),
        "hold_expired": hold_expired,
        "can_change": change_problem(booking=booking) is None,
        "can_cancel": cancel_problem(booking=booking) is None,
        # The service's own rule: the page offers "pay at the hotel" only when the service would take it.
        "pay_at_hotel_refusal": pay_at_hotel_refusal(booking),
        "email_unconfirmed": booking.guest.email_verified_at is None,
        "is_guest": is_guest,
        "panels": {slot: panels(f"bookings.detail.{slot}", **subject) for slot in DETAIL_SLOTS},
        **extra,
    }


@login_required
@require_safe
def booking_list(request: HttpRequest) -> HttpResponse:
    bookings = selectors.guest_bookings(user=request.user, today=timezone.now().date())
    rows = [*bookings.upcoming, *bookings.past]
    context = {
        "upcoming": bookings.upcoming,
        "past": bookings.past,
        # Each row's panels from the apps above ("Review your stay", "Get help"), one query per app.
        "row_panels": row_panels("bookings.list", rows, key=lambda booking: booking.pk, request=request),
    }
    return page_or_partial(request, "bookings/list.html", "bookings", context)


@login_required
@require_safe
def booking_detail(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _booking_for(request, reference)
    return page_or_partial(request, "bookings/detail.html", "booking", _detail_context(request, booking))


@login_required
@require_POST
def booking_confirm_at_hotel(request: HttpRequest, reference: str) -> HttpResponse:
    """The stand-in confirmation until payments land: the guest pays at the hotel."""
    booking = _booking_for(request, reference)
    try:
        target = selectors.booking_get_for_guest_or_staff(
            user=request.user, reference=reference, perm="bookings.change_booking"
        )
        booking_confirm(booking=target, method="pay_at_hotel")
    except ApplicationError as error:
        context = _detail_context(request, booking, pay_error=error.message)
        return page_or_partial(request, "bookings/detail.html", "pay", context, error.status)
    return redirect_after_form(request, reverse("bookings:confirmed", args=[booking.reference]))


@login_required
@require_safe
def booking_confirmed(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _booking_for(request, reference)
    if booking.status != Booking.Status.CONFIRMED:
        return redirect("bookings:detail", reference=booking.reference)
    return page_or_partial(request, "bookings/confirmed.html", "confirmed", {"booking": booking})


def _cancelled_message(booking: Booking, terms: CancellationTerms) -> str:
    parts = [_("Booking %(reference)s is cancelled.") % {"reference": booking.reference}]
    if terms.keeps:
        parts.append(
            _("Under its cancellation policy the hotel keeps %(amount)s.")
            % {"amount": format_money(terms.keeps, terms.currency)}
        )
    else:
        parts.append(_("Nothing is charged."))
    if terms.refund:
        parts.append(_("We will refund %(amount)s.") % {"amount": format_money(terms.refund, terms.currency)})
    return " ".join(parts)


@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel_page(request: HttpRequest, reference: str) -> HttpResponse:
    """The policy's terms first (free until when, what the hotel keeps, the refund), then the guest confirms."""
    booking = _booking_for(request, reference)
    form = CancelForm(_posted(request))
    done_with: list[CancellationTerms] = []

    def cancel(data: dict[str, Any]) -> None:
        target = selectors.booking_get_for_guest_or_staff(
            user=request.user, reference=reference, perm="bookings.cancel_booking"
        )
        done_with.append(booking_cancel(booking=target, reason=data["reason"]).terms)

    done, status = submit_form(request, form, cancel)
    if done:
        messages.success(request, _cancelled_message(booking, done_with[0]))
        return redirect_after_form(request, reverse("bookings:detail", args=[booking.reference]))
    context = {
        "booking": booking,
        "form": form,
        "is_guest": booking.guest_id == request.user.pk,
        "cancellable": cancel_problem(booking=booking) is None,
        "cancel_problem": cancel_problem(booking=booking),
        "terms": cancellation_terms(booking=booking) if cancel_problem(booking=booking) is None else None,
    }
    return page_or_partial(request, "bookings/cancel.html", "cancel-form", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def booking_change_dates_page(request: HttpRequest, reference: str) -> HttpResponse:
    """New dates are priced first (`booking_quote_date_change`); only the confirm step applies them."""
    booking = _booking_for(request, reference)
    form = DateChangeForm(_posted(request), initial={"check_in": booking.check_in, "check_out": booking.check_out})
    applying = request.POST.get("step") == "apply"
    change: DateChange | None = None
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            wanted = {"check_in": form.cleaned_data["check_in"], "check_out": form.cleaned_data["check_out"]}
            try:
                target = selectors.booking_get_for_guest_or_staff(
                    user=request.user, reference=reference, perm="bookings.change_booking"
                )
                if applying:
                    change = booking_change_dates(booking=target, **wanted)
                else:
                    change = booking_quote_date_change(booking=target, **wanted)
            except ApplicationError as error:
                show_error_on_form(form, error)
                status = error.status
    if applying and change is not None:
        moved = change.booking
        messages.success(
            request,
            _("Your stay now runs from %(check_in)s to %(check_out)s.")
            % {
                "check_in": date_format(moved.check_in, "D j N Y"),
                "check_out": date_format(moved.check_out, "D j N Y"),
            },
        )
        return redirect_after_form(request, reverse("bookings:detail", args=[booking.reference]))
    context = {
        "booking": booking,
        "form": form,
        "change": change,
        "same_dates": change is not None
        and (form.cleaned_data["check_in"], form.cleaned_data["check_out"]) == (booking.check_in, booking.check_out),
        "to_pay": change.difference if change is not None and change.difference > 0 else None,
        "to_refund": -change.difference if change is not None and change.difference < 0 else None,
        "can_change": change_problem(booking=booking) is None,
        "change_problem": change_problem(booking=booking),
        "is_guest": booking.guest_id == request.user.pk,
    }
    return page_or_partial(request, "bookings/change_dates.html", "date-quote", context, status)
