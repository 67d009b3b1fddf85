"""The booking lifecycle: one service per transition, each checking the state it starts from.

held → confirmed → checked_in → checked_out, with cancelled, expired and
no_show as ends. Every transition writes a booking_logs line through the
outbox in its own transaction and tells the guest, the staff and the live pages
through the notify service (apps/bookings/notifications.py), sent after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.accounts.selectors import user_with_email
from apps.accounts.services import InvalidCredentials, user_authenticate, user_register, user_update_profile
from apps.audit.registry import audit_bulk_created, audit_bulk_updated
from apps.audit.services import audit_log_record, entity_label
from apps.bookings.assignment import NEW, Stay, place
from apps.bookings.inventory import nights_locked, recount, recount_hotel
from apps.bookings.lock_objects import lock_booking, lock_guest, lock_room_types
from apps.bookings.logs import booking_log
from apps.bookings.models import BlockNights, Booking, BookingNight, RoomBlock, StayRange
from apps.bookings.notifications import booking_notify, booking_push_live
from apps.bookings.policy import (
    CancellationTerms,
    cancel_problem,
    cancellation_terms,
    change_problem,
    no_show_terms,
    pay_at_hotel_refusal,
    unpaid_rooms_problem,
)
from apps.bookings.ports import amount_due, propose_refund
from apps.bookings.selectors import stay_quote, stay_rooms_left_for
from apps.core.errors import Conflict, InvalidState, NotFound, RoomUnavailable, ValidationFailed
from apps.core.ratelimit import Limit, hit
from apps.core.signals import soft_deleted
from apps.core.templatetags.l10n_money import format_money
from apps.hotels.models import Hotel, Room, RoomType
from apps.hotels.pricing import InvalidOffer, Quote, capacity_problem
from apps.hotels.services import room_set_housekeeping
from apps.hotels.stays import hotel_today, validate_stay
from apps.notifications.services import push_block_event
from apps.offers.models import Offer
from apps.offers.selectors import offer_terms
from apps.offers.services import offer_redeem

EXCLUSION_VIOLATION = "23P01"
CHECK_VIOLATION = "23514"
NOT_OVERSOLD = "bookings_inventory_not_oversold"
REFERENCE_CONSTRAINT = "bookings_booking_reference_key"  # the unique index of Booking.reference
REFERENCE_ATTEMPTS = 5
MOVE_ATTEMPTS = 3
Status = Booking.Status


def hold_duration() -> timedelta:
    return timedelta(minutes=getattr(settings, "BOOKING_HOLD_MINUTES", 15))


def _is_double_booking(error: IntegrityError) -> bool:
    """The exclusion constraint on (room, stay), or the inventory's CHECK on a night: the room is gone."""
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == EXCLUSION_VIOLATION:
        return True
    diag = getattr(cause, "diag", None)
    return getattr(cause, "sqlstate", None) == CHECK_VIOLATION and getattr(diag, "constraint_name", "") == NOT_OVERSOLD


def _is_taken_reference(error: IntegrityError) -> bool:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == REFERENCE_CONSTRAINT


FIRST_FREE_ROOM_SQL = """
    SELECT room.* FROM hotels_room room
    WHERE room.room_type_id = %(room_type)s::bigint AND room.in_service AND NOT room.is_deleted
      AND NOT EXISTS (
        SELECT 1 FROM bookings_booking booking
        WHERE booking.room_id = room.id AND NOT booking.is_deleted
          AND booking.status IN ('held', 'confirmed', 'checked_in')
          AND daterange(booking.check_in, booking.check_out, '[)') && daterange(%(check_in)s, %(check_out)s, '[)')
          AND booking.id IS DISTINCT FROM %(exclude)s::bigint
      )
      AND NOT EXISTS (
        SELECT 1 FROM bookings_roomblock block
        WHERE block.room_id = room.id AND NOT block.is_deleted
          AND daterange(block.start, block."end") && daterange(%(check_in)s, %(check_out)s, '[)')
      )
    ORDER BY room.floor, room.number
    LIMIT 1
"""


def _overlapping(*, check_in: date, check_out: date, exclude: int | None = None) -> Any:
    bookings = (
        Booking.objects.filter(room=OuterRef("pk"), status__in=Booking.ACTIVE_STATUSES)
        .alias(stay=StayRange())
        .filter(stay__overlap=DateRange(check_in, check_out, "[)"))
    )
    return bookings.exclude(pk=exclude) if exclude else bookings


def first_free_room(
    *, room_type: RoomType, check_in: date, check_out: date, exclude_booking: int | None = None
) -> Room | None:
    """A room of the type in service with no active booking nor block overlapping the stay, lowest floor and
    number first.

    Written out: every booking asks it, and the ORM took longer to build it than PostgreSQL to answer
    (one probe of the exclusion constraint's index per room of the type).
    """
    params = {"room_type": room_type.pk, "check_in": check_in, "check_out": check_out, "exclude": exclude_booking}
    return next(iter(Room.objects.raw(FIRST_FREE_ROOM_SQL, params)), None)


# --- Placing a stay: the inventory says whether it fits, the assignment which room it takes -------------


@dataclass(frozen=True)
class Placement:
    room: Room
    moves: dict[int, Room]  # other bookings of the type that change room for it: booking id → new room


def _sold_out(*, room_type: RoomType, check_in: date, check_out: date, booking: Booking | None) -> list[date]:
    """The nights of the stay with no room of the type left, the booking's own nights aside.

    The type's rows are locked over the nights of the stay and of the booking's current stay together, in
    one range: every writer of a room type's rows takes them in night order.
    """
    first, end = check_in, check_out
    own: set[date] = set()
    if (
        booking is not None
        and booking.is_active
        and booking.room.room_type_id == room_type.pk
        and booking.room.in_service
    ):
        own = {booking.check_in + timedelta(days=n) for n in range(booking.nights)}
        first, end = min(first, booking.check_in), max(end, booking.check_out)
    left = nights_locked(room_type_id=room_type.pk, check_in=first, check_out=end)
    nights = [check_in + timedelta(days=n) for n in range((check_out - check_in).days)]
    return [night for night in nights if left.get(night, 0) + (night in own) <= 0]


PLACED_STAYS_SQL = """
    SELECT booking.id, booking.room_id, booking.check_in, booking.check_out,
           booking.status = 'checked_in' OR booking.room_pinned OR booking.check_in <= %(today)s
    FROM bookings_booking booking
    WHERE booking.room_id = ANY(%(rooms)s) AND NOT booking.is_deleted
      AND booking.status IN ('held', 'confirmed', 'checked_in') AND booking.check_out > %(today)s
      AND booking.id IS DISTINCT FROM %(exclude)s::bigint
"""


def _arrange(
    *, room_type: RoomType, check_in: date, check_out: date, booking: Booking | None, today: date, frozen: set[int]
) -> Placement:
    """Every night has a room left but no room is free for the whole stay: re-arrange the future stays of the
    type that nobody pinned (checked in, arriving today, placed by hand), moving as few as it can.
    `frozen`: stays another transaction holds (locked), which stay where they are."""
    rooms = list(
        Room.objects.filter(room_type=room_type, in_service=True).order_by("floor", "number").select_related("hotel")
    )
    by_id = {room.pk: room for room in rooms}
    fixed: dict[int, list[tuple[int, int]]] = {room.pk: [] for room in rooms}
    blocks = RoomBlock.objects.filter(room__in=rooms, end__gt=today).values_list("room_id", "start", "end")
    for room_id, start, end in blocks:
        fixed[room_id].append((start.toordinal(), end.toordinal()))
    movable: list[Stay] = []
    params: dict[str, Any] = {"rooms": list(by_id), "today": today, "exclude": booking.pk if booking else None}
    with connection.cursor() as cursor:
        cursor.execute(PLACED_STAYS_SQL, params)
        for booking_id, room_id, stay_in, stay_out, pinned in cursor.fetchall():
            if pinned or booking_id in frozen:
                fixed[room_id].append((stay_in.toordinal(), stay_out.toordinal()))
            else:
                movable.append(Stay(key=booking_id, start=stay_in.toordinal(), end=stay_out.toordinal(), room=room_id))
    own_room = booking.room_id if booking is not None and booking.room_id in by_id else None
    new = Stay(key=booking.pk if booking else NEW, start=check_in.toordinal(), end=check_out.toordinal(), room=own_room)
    found = place(rooms=list(by_id), fixed=fixed, movable=movable, new=new)
    if found is None:
        raise RoomUnavailable(
            _("%(room_type)s has a room each night, but stays placed by hand leave none for the whole stay.")
            % {"room_type": room_type.name}
        )
    room_id = found.pop(new.key, own_room)
    return Placement(room=by_id[room_id], moves={key: by_id[moved] for key, moved in found.items()})


def _placement(
    *, room_type: RoomType, check_in: date, check_out: date, booking: Booking | None = None, now: datetime
) -> Placement:
    """Where the stay goes: 409 room_unavailable when a night of the type is sold out; else a room free for the
    whole stay (the booking's own first), else the room a re-arrangement of future stays frees.

    The caller holds the room type's lock; the type's rows for these nights stay locked until it commits.
    """
    full = _sold_out(room_type=room_type, check_in=check_in, check_out=check_out, booking=booking)
    if full:
        nights = ", ".join(date_format(night, "j N") for night in full[:5])
        raise RoomUnavailable(
            _("%(room_type)s is sold out for these dates (no room left on %(nights)s).")
            % {"room_type": room_type.name, "nights": nights}
        )
    exclude = booking.pk if booking is not None else None
    own_room = booking.room if booking is not None and booking.room.room_type_id == room_type.pk else None
    if own_room is not None and room_is_free(
        room=own_room, check_in=check_in, check_out=check_out, exclude_booking=exclude
    ):
        return Placement(room=own_room, moves={})
    room = first_free_room(room_type=room_type, check_in=check_in, check_out=check_out, exclude_booking=exclude)
    if room is not None:
        return Placement(room=room, moves={})
    today = hotel_today(room_type.hotel, now=now)
    frozen: set[int] = set()
    for _attempt in range(MOVE_ATTEMPTS):
        placement = _arrange(
            room_type=room_type, check_in=check_in, check_out=check_out, booking=booking, today=today, frozen=frozen
        )
        # The stays to move are locked without waiting: one another writer holds (a cancellation, a payment)
        # stays where it is and the plan is made again around it, so no one ever waits in a circle.
        wanted = set(placement.moves)
        locked = set(
            Booking.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(pk__in=wanted)
            .values_list("pk", flat=True)
        )
        if locked == wanted:
            return placement
        frozen |= wanted - locked
    raise RoomUnavailable(
        _("%(room_type)s is being rebooked right now; please try again.") % {"room_type": room_type.name}
    )


def _defer_double_booking_check() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS bookings_no_double_booking DEFERRED")


def _check_double_booking_now() -> None:
    """The moves and the new stay are all written: the exclusion constraint judges them here, not at commit."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS bookings_no_double_booking IMMEDIATE")


def _move_for_placement(placement: Placement) -> None:
    """Writes the plan's room moves (the exclusion constraint waits until the caller has written its stay)."""
    if not placement.moves:
        return
    _defer_double_booking_check()
    moving = Booking.objects.select_related("room", "hotel").filter(pk__in=placement.moves)  # locked by _placement
    for moved in moving.order_by("pk"):
        previous = moved.room.number
        moved.room = placement.moves[moved.pk]
        moved.save(update_fields=["room", "updated_at"])
        booking_log(
            booking=moved,
            event="room_moved",
            from_status=moved.status,
            details={"from": previous, "to": moved.room.number, "why": "to fit another stay of the room type"},
            by_system=True,
        )


def _blocked(*, check_in: date, check_out: date) -> Any:
    return (
        RoomBlock.objects.filter(room=OuterRef("pk"))
        .alias(nights=BlockNights())
        .filter(nights__overlap=DateRange(check_in, check_out, "[)"))
    )


def room_is_free(*, room: Room, check_in: date, check_out: date, exclude_booking: int | None = None) -> bool:
    """In service, no other active stay and no block on any night of the stay."""
    return (
        Room.objects.filter(pk=room.pk, in_service=True)
        .filter(~Exists(_overlapping(check_in=check_in, check_out=check_out, exclude=exclude_booking)))
        .filter(~Exists(_blocked(check_in=check_in, check_out=check_out)))
        .exists()
    )


def _release_stale_holds(*, room_type_ids: list[int], now: datetime) -> int:
    """Expires holds past their time on these room types (inside the caller's locks)."""
    stale = list(
        Booking.objects.select_for_update(of=("self",), skip_locked=True).filter(
            room_type_id__in=room_type_ids, status=Status.HELD, hold_expires_at__lt=now
        )
    )
    for booking in stale:
        booking.status = Status.EXPIRED
        booking.save(update_fields=["status", "updated_at"])
        booking_log(booking=booking, event="expired", from_status=Status.HELD)
        booking_notify(booking=booking, event="expired")
    return len(stale)


def _check_quote(quote: Quote) -> None:
    restriction = quote.restriction
    if restriction is not None:
        raise ValidationFailed(restriction.message, fields={restriction.field: [restriction.message]})


def _check_capacity(*, room_type: RoomType, adults: int, children: int) -> None:
    problem = capacity_problem(room_type=room_type, adults=adults, children=children)
    if problem:
        raise ValidationFailed(problem, fields={"adults": [problem]})


def _check_unpaid_rooms(*, guest: User, hotel: Hotel, check_in: date, check_out: date) -> None:
    if problem := unpaid_rooms_problem(guest=guest, hotel=hotel, check_in=check_in, check_out=check_out):
        raise Conflict(problem, fields={"check_in": [problem]})


def _write_nights(booking: Booking, quote: Quote, *, replacing: bool = True) -> None:
    if replacing:
        BookingNight.objects.filter(booking=booking).delete()
    BookingNight.objects.bulk_create(
        BookingNight(
            booking=booking,
            date=line.date,
            base=line.base,
            occupancy_charge=line.occupancy_charge,
            override_applied=line.override_applied,
            price=line.price,
        )
        for line in quote.nights
    )


def _apply_quote(booking: Booking, quote: Quote) -> None:
    booking.subtotal, booking.discount, booking.taxes = quote.subtotal, quote.discount, quote.taxes
    booking.total, booking.currency = quote.total, quote.currency


def _redeem(quote: Quote) -> Offer | None:
    """The offer row the quote used, with one use counted (atomically); None without an offer."""
    if quote.offer is None or quote.offer.id is None:
        return None
    return offer_redeem(offer=Offer.objects.get(pk=quote.offer.id))


# --- Create and confirm ---------------------------------------------------------------


def booking_create(
    *,
    guest: User,
    hotel: Hotel,
    room_type: RoomType,
    check_in: date,
    check_out: date,
    adults: int,
    children: int = 0,
    offer_code: str | None = None,
    special_requests: str = "",
    now: datetime | None = None,
) -> Booking:
    """A hold on a free room of `room_type` for the stay, priced now and frozen.

    Stale holds of the room type are released first; the room type is locked
    so concurrent requests queue; the exclusion constraint refuses what slips
    through, which becomes 409 room_unavailable with nothing written.

    The price is read before the lock: it depends on no row the lock guards (rates and offers are not
    locked by it; an offer's use is counted atomically inside), and every holder of the room type's lock
    waits for whatever work the holder before it does.
    """
    now = now or timezone.now()
    if room_type.hotel_id != hotel.pk:
        raise NotFound(_("This hotel has no such room type."))
    validate_stay(hotel=hotel, check_in=check_in, check_out=check_out, adults=adults, children=children, now=now)
    _check_capacity(room_type=room_type, adults=adults, children=children)
    # Asked again under the guest's lock below; asked here, a guest at the cap is turned away without
    # making the room type's other holds wait.
    _check_unpaid_rooms(guest=guest, hotel=hotel, check_in=check_in, check_out=check_out)
    quote = stay_quote(
        hotel=hotel,
        room_type=room_type,
        check_in=check_in,
        check_out=check_out,
        adults=adults,
        children=children,
        offer_code=offer_code,
        now=now,
    )
    _check_quote(quote)
    # Asked here, without the lock: holds with a time past `now` only ever leave the list (a new hold's
    # time is later than `now`), so when there is none now, there is none under the lock either.
    stale = Booking.objects.filter(room_type_id=room_type.pk, status=Status.HELD, hold_expires_at__lt=now).exists()
    wanted: dict[str, Any] = {
        "guest": guest,
        "hotel": hotel,
        "room_type": room_type,
        "check_in": check_in,
        "check_out": check_out,
        "adults": adults,
        "children": children,
        "status": Status.HELD,
        "hold_expires_at": now + hold_duration(),
        "special_requests": special_requests.strip(),
    }
    # A reference drawn twice (about once in 6,000 at 150,000 bookings) draws again and the hold starts over:
    # a savepoint around the insert, for so rare a case, cost every hold two more round trips in the lock.
    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            return _hold(wanted, quote=quote, release_stale=stale, now=now)
        except IntegrityError as error:
            if _is_double_booking(error):
                raise RoomUnavailable(
                    _("%(room_type)s was just taken for these dates.") % {"room_type": room_type.name}
                ) from error
            if not _is_taken_reference(error):
                raise
    raise Conflict(_("We could not give this booking a reference. Please try again."))


def _hold(wanted: dict[str, Any], *, quote: Quote, release_stale: bool, now: datetime) -> Booking:
    """booking_create's transaction: the locks, the cap, the room and the writes; nothing that can be done
    before the lock."""
    guest: User = wanted["guest"]
    hotel: Hotel = wanted["hotel"]
    room_type: RoomType = wanted["room_type"]
    check_in: date = wanted["check_in"]
    check_out: date = wanted["check_out"]
    with transaction.atomic():
        # What needs no room is written first, before the lock, in the same transaction: the nightly prices
        # (their key to the booking is checked at commit) and the guest's notification. A hold refused
        # under the lock rolls them back with the rest.
        booking = Booking(**wanted, pk=_next_booking_id())
        _apply_quote(booking, quote)
        _write_nights(booking, quote, replacing=False)
        booking_notify(booking=booking, event="held", live=False)
        lock_room_types([room_type.pk])
        lock_guest(guest.pk)
        _check_unpaid_rooms(guest=guest, hotel=hotel, check_in=check_in, check_out=check_out)
        if release_stale:
            _release_stale_holds(room_type_ids=[room_type.pk], now=now)
        placement = _placement(room_type=room_type, check_in=check_in, check_out=check_out, now=now)
        _move_for_placement(placement)
        room = placement.room
        booking.room, booking.offer = room, _redeem(quote)
        booking.save(force_insert=True)
        if placement.moves:
            _check_double_booking_now()
        booking_log(booking=booking, event="created", from_status=None, details={"room": room.number})
        booking_push_live(booking=booking, event="held")
    return booking


def _next_booking_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('bookings_booking', 'id'))")
        return int(cursor.fetchone()[0])


@dataclass(frozen=True)
class Visitor:
    """Someone on the booking form who is not signed in: the account to open or create, and their details."""

    email: str
    password: str
    wants_new_account: bool
    ip: str
    first_name: str = ""
    last_name: str = ""
    phone: str = ""


@dataclass(frozen=True)
class VisitorHold:
    booking: Booking
    guest: User
    account_created: bool


ACCOUNT_EXISTS = gettext_lazy(
    "An account already uses this email, and this is not its password. Log in with your password, "
    "or reset it if you have forgotten it."
)


def _visitor_account(*, visitor: Visitor, request: HttpRequest | None) -> tuple[User, bool]:
    """The visitor's account and whether it is new: the right password for an existing email opens it, whichever
    way the form was switched; a wrong one says the account exists; a new email with "new account" signs up."""
    profile = {"first_name": visitor.first_name, "last_name": visitor.last_name, "phone": visitor.phone}
    existing = user_with_email(email=visitor.email)
    if existing is None and visitor.wants_new_account:
        hit(Limit.from_setting("signup-ip"), visitor.ip)
        return user_register(email=visitor.email, password=visitor.password, **profile), True
    try:
        guest = user_authenticate(request=request, ip=visitor.ip, email=visitor.email, password=visitor.password)
    except InvalidCredentials as error:
        message = str(ACCOUNT_EXISTS) if existing is not None else error.message
        raise ValidationFailed(message, fields={"password": [message]}) from error
    # A returning guest may leave the details blank: their account's stay as they are.
    changes = {name: value for name, value in profile.items() if value and value != getattr(guest, name)}
    return (user_update_profile(user=guest, **changes) if changes else guest), False


def booking_create_for_visitor(
    *,
    visitor: Visitor,
    request: HttpRequest | None,
    hotel: Hotel,
    room_type: RoomType,
    check_in: date,
    check_out: date,
    adults: int,
    children: int = 0,
    offer_code: str | None = None,
    special_requests: str = "",
) -> VisitorHold:
    """Sign up or log in, then hold, in one transaction: a stay that cannot be booked leaves no new account."""
    with transaction.atomic():
        guest, created = _visitor_account(visitor=visitor, request=request)
        booking = booking_create(
            guest=guest,
            hotel=hotel,
            room_type=room_type,
            check_in=check_in,
            check_out=check_out,
            adults=adults,
            children=children,
            offer_code=offer_code,
            special_requests=special_requests,
        )
    return VisitorHold(booking=booking, guest=guest, account_created=created)


def booking_confirm(
    *,
    booking: Booking,
    method: str = "pay_at_hotel",
    details: dict[str, Any] | None = None,
    paid: bool = False,
    now: datetime | None = None,
) -> Booking:
    """held → confirmed: by a payment, or as "pay at hotel" while the hold lasts.

    A hold past its time is not confirmed on a promise to pay: the guest books
    again. Money already received (`paid`) confirms it all the same, since a
    booking still held has kept its room.
    """
    now = now or timezone.now()
    with transaction.atomic():
        booking = lock_booking(booking.pk)
        if booking.status != Status.HELD:
            raise InvalidState(
                _("A %(status)s booking cannot be confirmed.") % {"status": booking.get_status_display().lower()}
            )
        if not paid and booking.hold_expires_at is not None and booking.hold_expires_at <= now:
            raise InvalidState(_("This hold has expired. Please book again: the room may still be free."))
        if not paid and method == "pay_at_hotel" and (refusal := pay_at_hotel_refusal(booking)):
            raise refusal
        booking.status = Status.CONFIRMED
        booking.confirmed_at = now
        booking.hold_expires_at = None
        booking.save(update_fields=["status", "confirmed_at", "hold_expires_at", "updated_at"])
        booking_log(
            booking=booking, event="confirmed", from_status=Status.HELD, details={"method": method, **(details or {})}
        )
        booking_notify(booking=booking, event="confirmed")
    return booking


def booking_rehold(*, booking: Booking, now: datetime | None = None, details: dict[str, Any] | None = None) -> bool:
    """expired → held: money arrived for a hold past its time; the stay gets its room back if still free,
    else another room of its type. False (nothing changed) when the type is full for the stay.

    The caller holds the room type's lock (lock_room_types), then the booking's: the order of every service.
    """
    now = now or timezone.now()
    if booking.status != Status.EXPIRED:
        raise InvalidState(
            _("A %(status)s booking cannot be held again.") % {"status": booking.get_status_display().lower()}
        )
    try:
        with transaction.atomic():
            placement = _placement(
                room_type=booking.room_type,
                check_in=booking.check_in,
                check_out=booking.check_out,
                booking=booking,
                now=now,
            )
            _move_for_placement(placement)
            room = placement.room
            previous_room = booking.room.number
            if room.pk != booking.room_id:
                booking.room, booking.room_pinned = room, False
            booking.status = Status.HELD
            booking.hold_expires_at = now + hold_duration()
            booking.save(update_fields=["room", "room_pinned", "status", "hold_expires_at", "updated_at"])
            if placement.moves:
                _check_double_booking_now()
    except (IntegrityError, RoomUnavailable):
        # Sold out, or the exclusion constraint had the last word: the in-memory booking forgets the attempt.
        booking.refresh_from_db()
        return False
    booking_log(
        booking=booking,
        event="reheld",
        from_status=Status.EXPIRED,
        details={**(details or {}), "room": room.number, "previous_room": previous_room},
    )
    return True


# --- Cancel and change --------------------------------------------------------------------


@dataclass(frozen=True)
class Cancellation:
    booking: Booking
    terms: CancellationTerms


def booking_cancel(*, booking: Booking, reason: str = "", now: datetime | None = None) -> Cancellation:
    """A guest or the desk cancels; the hotel's policy on the frozen price decides the refund proposed."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = lock_booking(booking.pk)
        problem = cancel_problem(booking=booking, now=now)
        if problem:
            raise InvalidState(problem)
        terms = cancellation_terms(booking=booking, at=now)
        previous = booking.status
        booking.status = Status.CANCELLED
        booking.cancelled_at = now
        booking.cancellation_reason = reason.strip()[:200]
        booking.save(update_fields=["status", "cancelled_at", "cancellation_reason", "updated_at"])
        booking_log(
            booking=booking,
            event="cancelled",
            from_status=previous,
            details={"reason": booking.cancellation_reason, "keeps": terms.keeps, "refund": terms.refund},
        )
        _propose_refund(booking=booking, amount=terms.refund)
        booking_notify(booking=booking, event="cancelled", was=previous)
    return Cancellation(booking=booking, terms=terms)


def _propose_refund(*, booking: Booking, amount: Decimal) -> None:
    """The policy's refund becomes a refund request (the refunds app writes it, in this transaction)."""
    if amount > 0:
        propose_refund.call(booking=booking, amount=amount)


@dataclass(frozen=True)
class DateChange:
    booking: Booking
    quote: Quote
    difference: Decimal  # new total - old total: to pay if positive, to refund if negative
    room: Room
    moves: dict[int, Room] | None = None  # other stays of the type re-arranged for the new dates


def _plan_date_change(
    *, booking: Booking, check_in: date, check_out: date, now: datetime, placing: bool = False
) -> DateChange:
    """The new quote and room. `placing` (inside the change's transaction, the room type locked): the room is
    settled, re-arranging other stays if need be; otherwise only whether a night is sold out is asked."""
    validate_stay(
        hotel=booking.hotel,
        check_in=check_in,
        check_out=check_out,
        adults=booking.adults,
        children=booking.children,
        now=now,
    )
    # The booking already holds one use of its offer: the usage limit does not apply again.
    offer = replace(offer_terms(booking.offer), uses_left=None) if booking.offer else None
    price = partial(
        stay_quote,
        hotel=booking.hotel,
        room_type=booking.room_type,
        check_in=check_in,
        check_out=check_out,
        adults=booking.adults,
        children=booking.children,
        now=now,
    )
    try:
        quote = price(offer=offer)
    except InvalidOffer:
        quote = price()  # the offer does not cover the new stay: priced without it
    _check_quote(quote)
    difference = quote.total - booking.total
    if placing:
        placement = _placement(
            room_type=booking.room_type, check_in=check_in, check_out=check_out, booking=booking, now=now
        )
        return DateChange(
            booking=booking, quote=quote, difference=difference, room=placement.room, moves=placement.moves
        )
    if room_is_free(room=booking.room, check_in=check_in, check_out=check_out, exclude_booking=booking.pk):
        return DateChange(booking=booking, quote=quote, difference=difference, room=booking.room)
    if stay_rooms_left_for(booking=booking, check_in=check_in, check_out=check_out) <= 0:
        raise RoomUnavailable(
            _("%(room_type)s is not available for the new dates.") % {"room_type": booking.room_type.name}
        )
    room = first_free_room(
        room_type=booking.room_type, check_in=check_in, check_out=check_out, exclude_booking=booking.pk
    )
    return DateChange(booking=booking, quote=quote, difference=difference, room=room or booking.room)


def booking_quote_date_change(*, booking: Booking, check_in: date, check_out: date) -> DateChange:
    """The new price (and whether a room is free) before the guest commits to new dates."""
    now = timezone.now()
    problem = change_problem(booking=booking, now=now)
    if problem:
        raise InvalidState(problem)
    return _plan_date_change(booking=booking, check_in=check_in, check_out=check_out, now=now)


def booking_change_dates(*, booking: Booking, check_in: date, check_out: date) -> DateChange:
    """Re-quotes and keeps the room if it is free on the new dates, else another of the type, else 409."""
    now = timezone.now()
    try:
        with transaction.atomic():
            lock_room_types([booking.room_type_id])
            booking = lock_booking(booking.pk)
            problem = change_problem(booking=booking, now=now)
            if problem:
                raise InvalidState(problem)
            if (check_in, check_out) == (booking.check_in, booking.check_out):
                raise ValidationFailed(
                    _("These are already the booking's dates."), fields={"check_in": [_("Unchanged.")]}
                )
            change = _plan_date_change(booking=booking, check_in=check_in, check_out=check_out, now=now, placing=True)
            _move_for_placement(Placement(room=change.room, moves=change.moves or {}))
            old = {"check_in": booking.check_in, "check_out": booking.check_out, "total": booking.total}
            if change.room.pk != booking.room_id:
                booking.room_pinned = False  # a room chosen by hand for the old dates is not kept for new ones
            booking.check_in, booking.check_out, booking.room = check_in, check_out, change.room
            _apply_quote(booking, change.quote)
            booking.save()
            if change.moves:
                _check_double_booking_now()
            _write_nights(booking, change.quote)
            booking_log(
                booking=booking,
                event="dates_changed",
                from_status=booking.status,
                details={
                    "from": old,
                    "to": {"check_in": check_in, "check_out": check_out, "total": booking.total},
                    "difference": change.difference,
                    "room": change.room.number,
                },
            )
            booking_notify(booking=booking, event="dates_changed")
    except IntegrityError as error:
        if _is_double_booking(error):
            raise RoomUnavailable(_("That room was just taken for the new dates.")) from error
        raise
    return DateChange(booking=booking, quote=change.quote, difference=change.difference, room=change.room)


# --- The desk ---------------------------------------------------------------------------------


def booking_assign_room(*, booking: Booking, room: Room) -> Booking:
    """Puts the booking in `room` (a room move or an upgrade within the hotel); the price stays."""
    if room.hotel_id != booking.hotel_id:
        raise NotFound(_("This hotel has no such room."))
    try:
        with transaction.atomic():
            lock_room_types([booking.room_type_id, room.room_type_id])
            booking = lock_booking(booking.pk)
            if booking.status not in Booking.ACTIVE_STATUSES:
                raise InvalidState(
                    _("A %(status)s booking has no room to assign.") % {"status": booking.get_status_display().lower()}
                )
            if not room.in_service:
                raise InvalidState(_("Room %(number)s is out of service.") % {"number": room.number})
            if not room_is_free(
                room=room, check_in=booking.check_in, check_out=booking.check_out, exclude_booking=booking.pk
            ):
                raise RoomUnavailable(_("Room %(number)s is taken on some of these nights.") % {"number": room.number})
            previous_room = booking.room.number
            booking.room = room
            booking.room_pinned = True  # placed by hand: the engine never moves it again
            booking.save(update_fields=["room", "room_pinned", "updated_at"])
            booking_log(
                booking=booking,
                event="room_assigned",
                from_status=booking.status,
                details={"from": previous_room, "to": room.number},
            )
            booking_notify(booking=booking, event="room_moved")
    except IntegrityError as error:
        if _is_double_booking(error):
            raise RoomUnavailable(
                _("Room %(number)s was just taken on some of these nights.") % {"number": room.number}
            ) from error
        raise
    return booking


def booking_check_in(*, booking: Booking, room: Room | None = None, now: datetime | None = None) -> Booking:
    """confirmed → checked_in, from the arrival date (hotel-local); the room must be in service."""
    now = now or timezone.now()
    if room is not None and room.pk != booking.room_id:
        booking = booking_assign_room(booking=booking, room=room)
    with transaction.atomic():
        booking = lock_booking(booking.pk)
        if booking.status != Status.CONFIRMED:
            raise InvalidState(
                _("A %(status)s booking cannot be checked in.") % {"status": booking.get_status_display().lower()}
            )
        today = hotel_today(booking.hotel, now=now)
        if today < booking.check_in:
            raise InvalidState(
                _("Check-in opens on the arrival date, %(day)s.") % {"day": date_format(booking.check_in)}
            )
        if today >= booking.check_out:
            raise InvalidState(_("The stay is already over."))
        if not booking.room.in_service:
            raise InvalidState(
                _("Room %(number)s is out of service: assign another room first.") % {"number": booking.room.number}
            )
        booking.status = Status.CHECKED_IN
        booking.checked_in_at = now
        booking.save(update_fields=["status", "checked_in_at", "updated_at"])
        booking_log(
            booking=booking, event="checked_in", from_status=Status.CONFIRMED, details={"room": booking.room.number}
        )
        booking_notify(booking=booking, event="checked_in")
    return booking


def booking_check_out(*, booking: Booking, now: datetime | None = None, leave_open_reason: str = "") -> Booking:
    """checked_in → checked_out once the balance is settled; the room becomes dirty for housekeeping.

    With money still due the guest leaves only with the desk's `leave_open_reason` (a company pays, a
    dispute), which the booking's history keeps beside the amount; without one, 400.
    """
    now = now or timezone.now()
    leave_open_reason = leave_open_reason.strip()[:200]
    with transaction.atomic():
        booking = lock_booking(booking.pk)
        if booking.status != Status.CHECKED_IN:
            raise InvalidState(
                _("A %(status)s booking cannot be checked out.") % {"status": booking.get_status_display().lower()}
            )
        due = amount_due.call(booking=booking)
        if due > 0 and not leave_open_reason:
            message = _("%(due)s is still due: take it, or say why the guest leaves without paying.") % {
                "due": format_money(due, booking.currency)
            }
            raise ValidationFailed(message, fields={"leave_open_reason": [message]})
        details: dict[str, Any] = (
            {"balance_left_open": f"{due:.2f} {booking.currency}: {leave_open_reason}"} if due > 0 else {}
        )
        # The room's row before the inventory's (which the save recounts): the order a room change takes them in.
        room_set_housekeeping(room=booking.room, housekeeping=Room.Housekeeping.DIRTY)
        booking.status = Status.CHECKED_OUT
        booking.checked_out_at = now
        booking.save(update_fields=["status", "checked_out_at", "updated_at"])
        booking_log(
            booking=booking,
            event="checked_out",
            from_status=Status.CHECKED_IN,
            details={"room": booking.room.number, **details},
        )
        booking_notify(booking=booking, event="checked_out")
    return booking


def booking_mark_no_show(*, booking: Booking, now: datetime | None = None) -> Cancellation:
    """confirmed → no_show once the arrival night is over (hotel-local); the whole stay is kept."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = lock_booking(booking.pk)
        if booking.status != Status.CONFIRMED:
            raise InvalidState(
                _("A %(status)s booking cannot be marked as a no-show.")
                % {"status": booking.get_status_display().lower()}
            )
        if hotel_today(booking.hotel, now=now) <= booking.check_in:
            raise InvalidState(_("A guest is a no-show only once the arrival night is over."))
        terms = no_show_terms(booking=booking)
        booking.status = Status.NO_SHOW
        booking.save(update_fields=["status", "updated_at"])
        booking_log(booking=booking, event="no_show", from_status=Status.CONFIRMED, details={"keeps": terms.keeps})
        booking_notify(booking=booking, event="no_show")
        _propose_refund(booking=booking, amount=terms.refund)
    return Cancellation(booking=booking, terms=terms)


def booking_expire_holds(*, now: datetime | None = None) -> int:
    """The periodic sweep: every hold past its time becomes expired and frees its room."""
    now = now or timezone.now()
    room_type_ids = list(
        Booking.objects.filter(status=Status.HELD, hold_expires_at__lt=now)
        .values_list("room_type_id", flat=True)
        .distinct()
    )
    if not room_type_ids:
        return 0
    with transaction.atomic():
        lock_room_types(room_type_ids)
        return _release_stale_holds(room_type_ids=room_type_ids, now=now)


# --- Rooms out of order -------------------------------------------------------------------------

MAX_BLOCK_NIGHTS = 366


def _stays_in_the_way(*, room: Room, start: date, end: date) -> list[Booking]:
    return list(
        Booking.objects.filter(room=room, status__in=Booking.ACTIVE_STATUSES)
        .alias(stay=StayRange())
        .filter(stay__overlap=DateRange(start, end, "[)"))
        .order_by("check_in")
    )


def room_block_create(
    *, room: Room, start: date, end: date, reason: str, created_by: User | None = None, now: datetime | None = None
) -> RoomBlock:
    """Takes `room` out of order for the nights [start, end): those nights are no longer sold.

    Refused (409) while an active stay holds one of those nights: the answer lists the stays to move
    first (`fields.stays`, their references). The room type is locked as a booking locks it, so a
    booking and a block of the same room never both get the night.
    """
    now = now or timezone.now()
    reason = reason.strip()[:200]
    fields: dict[str, list[str]] = {}
    if not reason:
        fields["reason"] = [_("Say why the room is out of order (e.g. a leaking shower).")]
    if end <= start:
        fields["end"] = [_("The block ends after its first night.")]
    elif (end - start).days > MAX_BLOCK_NIGHTS:
        fields["end"] = [
            _("A block covers at most %(nights)s nights; take the room out of service instead.")
            % {"nights": MAX_BLOCK_NIGHTS}
        ]
    if start < hotel_today(room.hotel, now=now):
        fields["start"] = [_("Nights already past cannot be blocked.")]
    if fields:
        raise ValidationFailed(_("This block cannot be set."), fields=fields)
    try:
        with transaction.atomic():
            lock_room_types([room.room_type_id])
            stays = _stays_in_the_way(room=room, start=start, end=end)
            if stays:
                listed = ", ".join(
                    f"{b.reference} ({date_format(b.check_in, 'j N')} → {date_format(b.check_out, 'j N')})"
                    for b in stays
                )
                raise Conflict(
                    _("Room %(number)s has stays on these nights: move them first (%(stays)s).")
                    % {"number": room.number, "stays": listed},
                    fields={"stays": [b.reference for b in stays]},
                )
            block = RoomBlock(hotel_id=room.hotel_id, room=room, start=start, end=end, reason=reason)
            block.created_by = created_by
            block.save()
            push_block_event(event="block.created", blocks=[block])
    except IntegrityError as error:
        if _is_double_booking(error):  # the exclusion constraint on blocks: one live block per room and night
            raise Conflict(
                _("Room %(number)s is already out of order on some of these nights.") % {"number": room.number}
            ) from error
        raise
    return block


def room_block_delete(*, block: RoomBlock) -> None:
    """The room is back in order on those nights (the row is kept, soft-deleted, for the record)."""
    with transaction.atomic():
        block.delete()
        push_block_event(event="block.removed", blocks=[block])


@dataclass(frozen=True)
class BlockWanted:
    """One block asked of `room_blocks_create_many`: the room and its nights [start, end)."""

    room: Room
    start: date
    end: date


def _span_problem(*, start: date, end: date, today: date) -> str:
    if end <= start:
        return _("The block ends after its first night.")
    if (end - start).days > MAX_BLOCK_NIGHTS:
        return _("A block covers at most %(nights)s nights; take the room out of service instead.") % {
            "nights": MAX_BLOCK_NIGHTS
        }
    if start < today:
        return _("Nights already past cannot be blocked.")
    return ""


def _overlaps(spans: list[tuple[date, date]], start: date, end: date) -> bool:
    return any(start < taken_end and taken_start < end for taken_start, taken_end in spans)


def room_blocks_create_many(
    *, items: list[BlockWanted], reason: str, created_by: User | None = None, now: datetime | None = None
) -> list[RoomBlock | None]:
    """Many blocks at once (a channel's feed): `room_block_create`'s rules, in one pass under one lock.

    The answer is in the order of `items`: the block made, or None for an item refused (nights an active
    stay or a live block of the room already takes, one an earlier item of the list takes, or dates a block
    cannot have), so the caller decides what a refusal means. The room types are locked as a booking locks
    them; the stays and blocks in the way are read in one query each, the blocks go in in one insert with
    their audit lines in another, and the inventory of each type is recounted once over the nights touched.
    The exclusion constraint stays the last word: a block it refuses refuses the whole list (409).
    """
    now = now or timezone.now()
    reason = reason.strip()[:200]
    if not reason:
        raise ValidationFailed(
            _("These blocks cannot be set."),
            fields={"reason": [_("Say why the room is out of order (e.g. a leaking shower).")]},
        )
    if not items:
        return []
    todays: dict[int, date] = {}
    for item in items:
        if item.room.hotel_id not in todays:
            todays[item.room.hotel_id] = hotel_today(item.room.hotel, now=now)
    answer: list[RoomBlock | None] = [None] * len(items)
    with transaction.atomic():
        lock_room_types({item.room.room_type_id for item in items})
        room_ids = {item.room.pk for item in items}
        first, last = min(item.start for item in items), max(item.end for item in items)
        taken: dict[int, list[tuple[date, date]]] = {pk: [] for pk in room_ids}
        stays = (
            Booking.objects.filter(room_id__in=room_ids, status__in=Booking.ACTIVE_STATUSES)
            .filter(check_in__lt=last, check_out__gt=first)
            .values_list("room_id", "check_in", "check_out")
        )
        blocks = RoomBlock.objects.filter(room_id__in=room_ids, start__lt=last, end__gt=first).values_list(
            "room_id", "start", "end"
        )
        for room_id, start, end in [*stays, *blocks]:
            taken[room_id].append((start, end))
        made: list[tuple[int, RoomBlock]] = []
        for index, item in enumerate(items):
            if _span_problem(start=item.start, end=item.end, today=todays[item.room.hotel_id]):
                continue
            if _overlaps(taken[item.room.pk], item.start, item.end):
                continue
            taken[item.room.pk].append((item.start, item.end))
            block = RoomBlock(
                hotel_id=item.room.hotel_id, room=item.room, start=item.start, end=item.end, reason=reason
            )
            block.created_by = created_by
            made.append((index, block))
        if not made:
            return answer
        try:
            with transaction.atomic():
                rows = RoomBlock.objects.bulk_create([block for _, block in made])
        except IntegrityError as error:
            if _is_double_booking(error):
                raise Conflict(_("A room is already out of order on some of these nights.")) from error
            raise
        audit_bulk_created(list(rows))
        _recount_blocks(rows)
        push_block_event(event="block.created", blocks=list(rows))
        for (index, _block), row in zip(made, rows, strict=True):
            answer[index] = row
    return answer


def _recount_blocks(blocks: list[RoomBlock]) -> None:
    """The inventory of the blocks' room types, recounted once over the nights they touch from today on."""
    if not blocks:
        return
    rooms = {
        room.pk: room
        for room in Room.all_objects.filter(pk__in={block.room_id for block in blocks}).select_related("hotel")
    }
    spans: dict[tuple[int, int], tuple[date, date]] = {}
    for block in blocks:
        room = rooms[block.room_id]
        key = (room.room_type_id, room.hotel_id)
        first, end = spans.get(key, (block.start, block.end))
        spans[key] = (min(first, block.start), max(end, block.end))
    for (room_type_id, hotel_id), (first, end) in sorted(spans.items()):
        hotel = next(room.hotel for room in rooms.values() if room.hotel_id == hotel_id)
        recount(room_type_ids=[room_type_id], first=max(first, hotel_today(hotel)), end=end)


def room_blocks_delete_many(*, blocks: list[RoomBlock], now: datetime | None = None) -> int:
    """`room_block_delete` for many blocks: the rooms are back in order on their nights (rows kept, soft-deleted),
    in one update, one insert of audit lines and one recount per room type. Returns how many were live."""
    now = now or timezone.now()
    live = [block for block in blocks if not block.is_deleted and block.pk is not None]
    if not live:
        return 0
    with transaction.atomic():
        for block in live:
            block.is_deleted, block.deleted_at, block.updated_at = True, now, now
        RoomBlock.all_objects.filter(pk__in=[block.pk for block in live]).update(
            is_deleted=True, deleted_at=now, updated_at=now
        )
        audit_bulk_updated(list(live), update_fields=["is_deleted", "deleted_at", "updated_at"])
        for block in live:  # the backup of each row, as its own delete() would have sent
            soft_deleted.send(sender=RoomBlock, instance=block)
        _recount_blocks(live)
        push_block_event(event="block.removed", blocks=list(live))
    return len(live)


# --- The inventory's repair ---------------------------------------------------------------------------


def inventory_repair(*, hotel: Hotel, drift: int) -> None:
    """Writes the recount of the hotel's inventory over its rows (`manage.py inventory_check --fix`), audited.

    The room types are locked first, as a booking locks them, so no booking is made while the rows are rewritten.
    """
    with transaction.atomic():
        lock_room_types(RoomType.all_objects.filter(hotel=hotel).values_list("pk", flat=True))
        recount_hotel(hotel)
        audit_log_record(
            action="inventory_repair",
            entity=entity_label(Hotel),
            entity_id=hotel.pk,
            details={"nights_fixed": drift, "hotel": hotel.slug},
        )
