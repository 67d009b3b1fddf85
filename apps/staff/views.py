"""The back office pages: the dashboard, the desk's lists and check-in/out, find a booking, the room board,
housekeeping and the hotel's staff grants.

Thin: each view scopes the hotel or booking to the user's rights (404 outside them), calls a service or
selector, and renders. The rules — who may check in, what a move may do, when a balance may stay open —
are the services'.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.api_permissions import perm_required
from apps.accounts.models import User
from apps.accounts.permissions import user_has_perm, user_has_perm_anywhere
from apps.accounts.requests import signed_in_user
from apps.accounts.roles import HOTEL_ROLES, ROLE_LABELS
from apps.accounts.services import roles_in_scope
from apps.bookings import selectors as booking_selectors
from apps.bookings.models import Booking
from apps.bookings.services import booking_assign_room, booking_mark_no_show, room_block_create, room_block_delete
from apps.core.errors import ApplicationError, NotFound
from apps.core.forms import page_or_partial, redirect_after_form, submit_form
from apps.hotels import services as hotel_services
from apps.hotels.models import Hotel, Room
from apps.hotels.selectors import staff_hotel_get, staff_room_get
from apps.hotels.stays import hotel_today
from apps.payments.selectors import booking_balance
from apps.payments.services import desk_check_in, desk_check_out
from apps.refunds.selectors import APPROVE
from apps.staff import selectors
from apps.staff.board_rows import BoardWriter
from apps.staff.forms import (
    BlockForm,
    CheckInForm,
    CheckOutForm,
    FindForm,
    GrantForm,
    HousekeepingForm,
    MoveForm,
    RevokeForm,
)

DESK = selectors.DESK
VIEW_BOOKINGS = "bookings.view_booking"
CHECK_IN = "bookings.check_in_booking"
CHECK_OUT = "bookings.check_out_booking"
NO_SHOW = "bookings.mark_no_show_booking"
MOVE = "bookings.assign_room_booking"
BLOCK = "bookings.add_roomblock"
UNBLOCK = "bookings.delete_roomblock"
HOUSEKEEPING = "hotels.change_room_housekeeping"
GRANTS = "hotels.manage_staff_hotel"
DESK_PAYMENT = "payments.add_payment"
SESSION_HOTEL = "staff_hotel"
FIND_LIMIT = 50
# Live pages follow their hotel's staff group on /ws/notifications/ (static/js/live.js); only while that
# socket is down do they read themselves again, every POLL_SECONDS.
POLL_SECONDS = 10


def _hotel(request: HttpRequest, slug: str, perm: str) -> Hotel:
    """The hotel if the user holds `perm` there (404 otherwise); remembered as the one they work at."""
    hotel = staff_hotel_get(user=request.user, perm=perm, slug=slug)
    _remember(request, hotel)
    return hotel


def _remember(request: HttpRequest, hotel: Hotel) -> None:
    if request.session.get(SESSION_HOTEL) != hotel.slug:  # a session write only when it changes
        request.session[SESSION_HOTEL] = hotel.slug


def _booking(request: HttpRequest, reference: str, perm: str) -> Booking:
    """404 outside the user's hotels; 403 (the friendly page) without `perm` at the booking's hotel."""
    try:
        return booking_selectors.booking_get_for_staff(user=request.user, reference=reference, perm=perm)
    except ApplicationError as error:
        if error.status == 403:
            raise DjangoPermissionDenied from error
        raise


def _signed_in(request: HttpRequest) -> User:
    """The signed-in user, as the services take it (every page here requires a login first)."""
    if not isinstance(request.user, User):
        raise DjangoPermissionDenied
    return request.user


def _can(user: Any, hotel: Hotel) -> dict[str, bool]:
    """What the back office offers the user at this hotel (the services check again on every change)."""
    return {
        "bookings": user_has_perm(user, VIEW_BOOKINGS, hotel),
        "check_in": user_has_perm(user, CHECK_IN, hotel),
        "check_out": user_has_perm(user, CHECK_OUT, hotel),
        "no_show": user_has_perm(user, NO_SHOW, hotel),
        "move": user_has_perm(user, MOVE, hotel),
        "block": user_has_perm(user, BLOCK, hotel),
        "unblock": user_has_perm(user, UNBLOCK, hotel),
        "housekeeping": user_has_perm(user, HOUSEKEEPING, hotel),
        "grants": user_has_perm(user, GRANTS, hotel),
        "reports": user_has_perm(user, "reports.view_report", hotel),
        "payments": user_has_perm(user, DESK_PAYMENT, hotel),
        "catalogue_rooms": user_has_perm(user, "hotels.add_room", hotel),
        "catalogue_room_types": user_has_perm(user, "hotels.change_roomtype", hotel),
        "catalogue_rates": user_has_perm(user, "hotels.add_rateoverride", hotel),
        "catalogue_offers": user_has_perm(user, "offers.add_offer", hotel),
    }


def _context(request: HttpRequest, hotel: Hotel, **extra: Any) -> dict[str, Any]:
    return {
        "hotel": hotel,
        "today": hotel_today(hotel),
        "can": _can(request.user, hotel),
        "poll_seconds": POLL_SECONDS,
        **extra,
    }


def _day(request: HttpRequest, hotel: Hotel) -> date:
    """`?date=` (a past night, to mark no-shows) or the hotel's today."""
    asked = parse_date(request.GET.get("date", "") or "")
    return asked or hotel_today(hotel)


# --- The dashboard --------------------------------------------------------------------------------------


@require_safe
@perm_required(DESK)
def dashboard(request: HttpRequest) -> HttpResponse:
    """One hotel's day at a glance (a switcher when the user works at several; the last one is remembered).

    `?booking=HBS-…` opens that booking's desk payments page (its own page answers 403/404 out of scope).
    """
    hotels = selectors.desk_hotels(user=request.user)
    reference = request.GET.get("booking", "").strip().upper()
    lookup_error = ""
    if reference:
        try:
            booking = booking_selectors.booking_get_for_staff(user=request.user, reference=reference, perm=DESK_PAYMENT)
        except ApplicationError as error:
            lookup_error = (
                _("No booking %(reference)s at your hotels.") % {"reference": reference}
                if error.status == 404
                else error.message
            )
        else:
            return redirect("payments:desk", reference=booking.reference)
    wanted = request.GET.get("hotel") or request.session.get(SESSION_HOTEL)
    hotel = next((h for h in hotels if h.slug == wanted), hotels[0] if hotels else None)
    if request.GET.get("hotel") and (hotel is None or hotel.slug != request.GET["hotel"]):
        raise NotFound(_("There is no hotel with this name among yours."))
    context: dict[str, Any] = {
        "hotels": hotels,
        "reference": reference,
        "lookup_error": lookup_error,
        "decides_refunds": user_has_perm_anywhere(request.user, APPROVE),
        "takes_payments": user_has_perm_anywhere(request.user, DESK_PAYMENT),
    }
    if hotel is not None:
        _remember(request, hotel)
        context.update(_context(request, hotel, counts=selectors.dashboard_counts(hotel=hotel, user=request.user)))
    return render(request, "staff/dashboard.html", context, status=404 if lookup_error else 200)


# --- Arrivals, departures, in house ------------------------------------------------------------------------


def _with_due(bookings: list[Booking]) -> list[tuple[Booking, Any]]:
    due = selectors.balances_due(bookings=bookings)
    return [(booking, due[booking.pk]) for booking in bookings]


@require_safe
@perm_required(VIEW_BOOKINGS)
def arrivals(request: HttpRequest, slug: str) -> HttpResponse:
    """Today's arrivals (or a past night's not checked in, to mark no-shows); polls while open."""
    hotel = _hotel(request, slug, VIEW_BOOKINGS)
    day = _day(request, hotel)
    found = selectors.arrivals(hotel=hotel, day=day)
    context = _context(
        request,
        hotel,
        day=day,
        rows=_with_due(found),
        past=day < hotel_today(hotel),
    )
    context["previous_day"] = day - timedelta(days=1)
    context["next_day"] = day + timedelta(days=1)
    return page_or_partial(request, "staff/arrivals.html", "rows", context)


@require_safe
@perm_required(VIEW_BOOKINGS)
def departures(request: HttpRequest, slug: str) -> HttpResponse:
    hotel = _hotel(request, slug, VIEW_BOOKINGS)
    today = hotel_today(hotel)
    found = selectors.departures(hotel=hotel, day=today)
    context = _context(request, hotel, rows=_with_due(found))
    return page_or_partial(request, "staff/departures.html", "rows", context)


@require_safe
@perm_required(VIEW_BOOKINGS)
def in_house(request: HttpRequest, slug: str) -> HttpResponse:
    hotel = _hotel(request, slug, VIEW_BOOKINGS)
    found = selectors.in_house(hotel=hotel)
    context = _context(request, hotel, rows=_with_due(found))
    return page_or_partial(request, "staff/in_house.html", "rows", context)


# --- Check in, check out, no-show --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@perm_required(CHECK_IN)
def check_in(request: HttpRequest, reference: str) -> HttpResponse:
    """The suggested room (ready rooms first, changeable) and the balance, then one confirm."""
    booking = _booking(request, reference, CHECK_IN)
    rooms = booking_selectors.rooms_free_for_stay(booking=booking, same_type=False)
    suggested = booking_selectors.suggested_room(booking=booking, rooms=rooms)
    form = CheckInForm(
        request.POST or None,
        rooms=rooms,
        booking=booking,
        initial={"room": suggested.pk if suggested else None},
    )
    takes_payments = user_has_perm(request.user, DESK_PAYMENT, booking.hotel)

    def act(data: dict[str, Any]) -> None:
        method = data["method"] if takes_payments else ""
        room = form.rooms[data["room"]]
        desk_check_in(
            booking=booking,
            room=None if room.pk == booking.room_id else room,
            recorded_by=_signed_in(request),
            method=method,
            amount=data.get("amount") if method else None,
        )

    done, status = submit_form(request, form, act)
    if done:
        booking.refresh_from_db()
        messages.success(
            request,
            _("%(guest)s is checked in to room %(number)s.")
            % {"guest": _guest(booking), "number": booking.room.number},
        )
        return redirect_after_form(request, reverse("staff:arrivals", args=[booking.hotel.slug]))
    context = _context(
        request,
        booking.hotel,
        booking=booking,
        form=form,
        suggested=suggested,
        balance=booking_balance(booking=booking),
        takes_payments=takes_payments,
    )
    return page_or_partial(request, "staff/check_in.html", "form", context, status)


@require_http_methods(["GET", "POST"])
@perm_required(CHECK_OUT)
def check_out(request: HttpRequest, reference: str) -> HttpResponse:
    """Settle the balance (or say why it stays open), then check out; the room turns dirty."""
    booking = _booking(request, reference, CHECK_OUT)
    form = CheckOutForm(request.POST or None)
    takes_payments = user_has_perm(request.user, DESK_PAYMENT, booking.hotel)

    def act(data: dict[str, Any]) -> None:
        method = data["method"] if takes_payments else ""
        desk_check_out(
            booking=booking,
            recorded_by=_signed_in(request),
            method=method,
            amount=data.get("amount") if method else None,
            leave_open_reason=data["leave_open_reason"],
        )

    done, status = submit_form(request, form, act)
    if done:
        messages.success(
            request,
            _("%(guest)s is checked out; room %(number)s is now dirty.")
            % {"guest": _guest(booking), "number": booking.room.number},
        )
        return redirect_after_form(request, reverse("staff:departures", args=[booking.hotel.slug]))
    context = _context(
        request,
        booking.hotel,
        booking=booking,
        form=form,
        balance=booking_balance(booking=booking),
        takes_payments=takes_payments,
    )
    return page_or_partial(request, "staff/check_out.html", "form", context, status)


@require_POST
@perm_required(NO_SHOW)
def no_show(request: HttpRequest, reference: str) -> HttpResponse:
    booking = _booking(request, reference, NO_SHOW)
    back = reverse("staff:arrivals", args=[booking.hotel.slug]) + f"?date={booking.check_in.isoformat()}"
    try:
        booking_mark_no_show(booking=booking)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(reference)s (%(guest)s) is marked as a no-show.")
            % {"reference": booking.reference, "guest": _guest(booking)},
        )
    return redirect_after_form(request, back)


def _guest(booking: Booking) -> str:
    return booking.guest.get_full_name() or booking.guest.email


# --- Find a booking --------------------------------------------------------------------------------------


@require_safe
@perm_required(VIEW_BOOKINGS)
def find(request: HttpRequest, slug: str) -> HttpResponse:
    """By reference, guest name or email, dates and status, at this hotel."""
    hotel = _hotel(request, slug, VIEW_BOOKINGS)
    form = FindForm(request.GET or None)
    found: list[Booking] = []
    searched = form.is_bound and form.is_valid() and any(form.cleaned_data.values())
    if searched:
        given = {name: value for name, value in form.cleaned_data.items() if value}
        filters = booking_selectors.BookingFilters(hotel=hotel.slug, **given)
        found = list(booking_selectors.booking_list_for_user(user=request.user, filters=filters)[:FIND_LIMIT])
    context = _context(request, hotel, form=form, bookings=found, searched=searched, limit=FIND_LIMIT)
    return page_or_partial(request, "staff/find.html", "results", context, 400 if form.errors else 200)


# --- The room board --------------------------------------------------------------------------------------


@require_safe
@perm_required(VIEW_BOOKINGS)
def board(request: HttpRequest, slug: str) -> HttpResponse:
    """Rooms by 14 nights from `?start=` (default today); previous/next week; polls while open."""
    hotel = _hotel(request, slug, VIEW_BOOKINGS)
    today = hotel_today(hotel)
    first = parse_date(request.GET.get("start", "") or "") or today
    found = selectors.room_board(hotel=hotel, first=first)
    can_move, can_unblock = user_has_perm(request.user, MOVE, hotel), user_has_perm(request.user, UNBLOCK, hotel)
    context = _context(
        request,
        hotel,
        board=found,
        board_rows=BoardWriter(found, can_move=can_move, can_unblock=can_unblock, csrf_token=get_token(request)).html(),
        previous_week=first - timedelta(days=7),
        next_week=first + timedelta(days=7),
    )
    return page_or_partial(request, "staff/board.html", "board", context)


@require_http_methods(["GET", "POST"])
@perm_required(MOVE)
def move(request: HttpRequest, reference: str) -> HttpResponse:
    """Move a stay to another room (an upgrade by hand included); the assign-room service refuses an overlap.

    The board's drag-and-drop posts here too (`room` by id) and is answered in JSON.
    """
    booking = _booking(request, reference, MOVE)
    rooms = booking_selectors.rooms_free_for_stay(booking=booking, same_type=False)
    form = MoveForm(request.POST or None, rooms=rooms, booking=booking, initial={"room": booking.room_id})
    dragged = request.headers.get("Accept", "").startswith("application/json")
    if dragged and request.method == "POST":
        return _move_dropped(request, booking)

    def act(data: dict[str, Any]) -> None:
        booking_assign_room(booking=booking, room=form.rooms[data["room"]])

    done, status = submit_form(request, form, act)
    if done:
        booking.refresh_from_db()
        messages.success(
            request,
            _("%(reference)s moved to room %(number)s.")
            % {"reference": booking.reference, "number": booking.room.number},
        )
        return redirect_after_form(request, reverse("staff:board", args=[booking.hotel.slug]))
    context = _context(request, booking.hotel, booking=booking, form=form)
    return page_or_partial(request, "staff/move.html", "form", context, status)


def _move_dropped(request: HttpRequest, booking: Booking) -> HttpResponse:
    try:
        room_id = int(request.POST.get("room", ""))
    except ValueError:
        return JsonResponse(
            {"error": {"code": "validation_error", "message": _("Drop the stay on a room.")}}, status=400
        )
    room = Room.objects.filter(pk=room_id, hotel=booking.hotel).first() if 0 < room_id < 2**63 else None
    if room is None:
        return JsonResponse({"error": {"code": "not_found", "message": _("This hotel has no such room.")}}, status=404)
    try:
        moved = booking_assign_room(booking=booking, room=room)
    except ApplicationError as error:
        return JsonResponse(error.as_payload(), status=error.status)
    return JsonResponse({"reference": moved.reference, "room": moved.room.number})


@require_http_methods(["GET", "POST"])
@perm_required(BLOCK)
def block_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Sets a room out of order for some nights (opened from the board); a block over stays names them."""
    hotel = _hotel(request, slug, BLOCK)
    in_service = Room.objects.filter(hotel=hotel, in_service=True).select_related("room_type").order_by("number")
    rooms = {room.pk: room for room in in_service}
    today = hotel_today(hotel)
    form = BlockForm(
        request.POST or None,
        rooms=[(pk, f"{room.number} · {room.room_type.name}") for pk, room in rooms.items()],
        initial={"room": request.GET.get("room"), "start": today, "end": today + timedelta(days=1)},
    )

    def act(data: dict[str, Any]) -> None:
        room_block_create(
            room=rooms[data["room"]],
            start=data["start"],
            end=data["end"],
            reason=data["reason"],
            created_by=_signed_in(request),
        )

    done, status = submit_form(request, form, act)
    back = reverse("staff:board", args=[hotel.slug]) + f"?start={request.POST.get('start', '')}"
    if done:
        messages.success(
            request,
            _("Room %(number)s is out of order on those nights.") % {"number": rooms[form.cleaned_data["room"]].number},
        )
        return redirect_after_form(request, back)
    return page_or_partial(request, "staff/block_form.html", "form", _context(request, hotel, block_form=form), status)


@require_POST
@perm_required(UNBLOCK)
def block_delete(request: HttpRequest, block_id: int) -> HttpResponse:
    block = booking_selectors.staff_block_get(user=request.user, perm=UNBLOCK, block_id=block_id)
    room_block_delete(block=block)
    messages.success(
        request,
        _("Room %(number)s is back in order from %(day)s.")
        % {"number": block.room.number, "day": date_format(block.start, "j N")},
    )
    back = reverse("staff:board", args=[block.hotel.slug]) + f"?start={block.start.isoformat()}"
    return redirect_after_form(request, back)


# --- Housekeeping ----------------------------------------------------------------------------------------


@require_safe
@perm_required(HOUSEKEEPING)
def housekeeping(request: HttpRequest, slug: str) -> HttpResponse:
    """Each room's state, one tap to change it, by floor."""
    hotel = _hotel(request, slug, HOUSEKEEPING)
    floor_asked = request.GET.get("floor", "")
    floor = int(floor_asked) if floor_asked.lstrip("-").isdigit() and len(floor_asked) < 5 else None
    context = _context(
        request,
        hotel,
        rooms=selectors.housekeeping_rooms(hotel=hotel, floor=floor),
        floors=selectors.floors(hotel=hotel),
        floor=floor,
        states=Room.Housekeeping.choices,
    )
    return page_or_partial(request, "staff/housekeeping.html", "rooms", context)


@require_POST
@perm_required(HOUSEKEEPING)
def housekeeping_set(request: HttpRequest, room_id: int) -> HttpResponse:
    room = staff_room_get(user=request.user, perm=HOUSEKEEPING, room_id=room_id)
    form = HousekeepingForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Not a housekeeping state."), status=400)
    hotel_services.room_set_housekeeping(room=room, housekeeping=form.cleaned_data["housekeeping"])
    if getattr(request, "htmx", False):  # django-htmx's middleware sets it
        today = hotel_today(room.hotel)
        found = next(
            item for item in selectors.housekeeping_rooms(hotel=room.hotel, today=today) if item.room.pk == room.pk
        )
        context = _context(request, room.hotel, item=found, states=Room.Housekeeping.choices)
        return render(request, "staff/housekeeping.html#room", context)
    messages.success(
        request,
        _("Room %(number)s is %(state)s.") % {"number": room.number, "state": room.get_housekeeping_display().lower()},
    )
    return redirect(reverse("staff:housekeeping", args=[room.hotel.slug]) + f"?floor={room.floor}")


# --- Staff grants ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@perm_required(GRANTS)
def grants(request: HttpRequest, slug: str) -> HttpResponse:
    """The hotel's managers grant and revoke hotel roles here (the same services as hotels/{slug}/staff/)."""
    hotel = _hotel(request, slug, GRANTS)
    form = GrantForm(request.POST or None)

    def act(data: dict[str, Any]) -> None:
        person = hotel_services.staff_user_find(user=data["email"])
        hotel_services.hotel_staff_grant(
            hotel=hotel, user=person, role=data["role"], granted_by=signed_in_user(request)
        )

    done, status = submit_form(request, form, act)
    if done:
        messages.success(
            request,
            _("%(email)s is now %(role)s.")
            % {"email": form.cleaned_data["email"], "role": ROLE_LABELS[form.cleaned_data["role"]]},
        )
        return redirect_after_form(request, reverse("staff:grants", args=[hotel.slug]))
    held = roles_in_scope(scope=hotel)
    people = User.objects.filter(pk__in=list(held)).order_by("email")
    rows = [(person, sorted(held[person.pk], key=HOTEL_ROLES.index)) for person in people]
    context = _context(request, hotel, form=form, rows=rows, labels=ROLE_LABELS)
    return page_or_partial(request, "staff/grants.html", "form", context, status)


@require_POST
@perm_required(GRANTS)
def grant_revoke(request: HttpRequest, slug: str) -> HttpResponse:
    hotel = _hotel(request, slug, GRANTS)
    form = RevokeForm(request.POST)
    back = reverse("staff:grants", args=[hotel.slug])
    if not form.is_valid():
        messages.error(request, _("Choose a person and a role to revoke."))
        return redirect(back)
    try:
        person = hotel_services.staff_user_find(user=form.cleaned_data["user"])
        hotel_services.hotel_staff_revoke(hotel=hotel, user=person, role=form.cleaned_data["role"])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(email)s no longer holds %(role)s here.")
            % {"email": person.email, "role": ROLE_LABELS[form.cleaned_data["role"]]},
        )
    return redirect(back)
