"""The front desk's reads: today's lists, the dashboard's counts, the room board and the housekeeping board.

Every read is one hotel's, in that hotel's own today, and makes a fixed number of queries whatever the
rooms, nights or bookings (the tests hold them to it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import user_has_perm
from apps.bookings.models import Booking, RoomBlock, StayNights
from apps.bookings.selectors import rooms_left_by_type
from apps.core.templatetags.l10n_money import number
from apps.hotels.models import Hotel, Room
from apps.hotels.selectors import staff_hotels
from apps.hotels.stays import MAX_NIGHTS, hotel_today
from apps.payments.models import Payment
from apps.refunds.models import Refund
from apps.reviews.models import Review
from apps.support.models import LIVE_STATUSES, Ticket

Status = Booking.Status
DESK = "hotels.view_hotel"  # opens the back office (desk, housekeeping, manager, accountant)
VIEW_BOOKINGS = "bookings.view_booking"
ZERO = Decimal("0.00")
HOLD_SOON = timedelta(minutes=5)
BOARD_NIGHTS = 14


def desk_hotels(*, user: Any) -> list[Hotel]:
    return list(staff_hotels(user=user, perm=DESK))


def _bookings(hotel: Hotel) -> QuerySet[Booking]:
    return Booking.objects.filter(hotel=hotel).select_related("guest", "room", "room_type")


# --- Today's lists ------------------------------------------------------------------------------------


def arrivals(*, hotel: Hotel, day: date) -> list[Booking]:
    """Confirmed stays arriving on `day` (not yet checked in), by room type then guest."""
    return list(
        _bookings(hotel)
        .filter(status=Status.CONFIRMED, check_in=day)
        .order_by("room_type__name", "guest__last_name", "reference")
    )


def departures(*, hotel: Hotel, day: date) -> list[Booking]:
    """Guests in house who leave on `day`, or should have left before it."""
    return list(
        _bookings(hotel).filter(status=Status.CHECKED_IN, check_out__lte=day).order_by("check_out", "room__number")
    )


def in_house(*, hotel: Hotel) -> list[Booking]:
    return list(_bookings(hotel).filter(status=Status.CHECKED_IN).order_by("room__number"))


def balances_due(*, bookings: list[Booking]) -> dict[int, Decimal]:
    """What each booking still owes (total - money taken), in one query for the whole list."""
    if not bookings:
        return {}
    paid = dict(
        Payment.objects.filter(booking__in=[b.pk for b in bookings], status__in=Payment.TAKEN_STATUSES)
        .values("booking")
        .annotate(paid=Sum("amount"))
        .values_list("booking", "paid")
    )
    return {b.pk: max(b.total - (paid.get(b.pk) or ZERO), ZERO) for b in bookings}


# --- The dashboard ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardCount:
    key: str
    label: str
    count: int | str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class DeskDay:
    """What the dashboard's providers share: the hotel, its today, and who is looking."""

    hotel: Hotel
    today: date
    user: Any
    now: datetime
    counts: dict[str, int] = field(default_factory=dict)


# One round trip, each count written so that it reads an index: the hotel's arrivals by
# (hotel, check_in), the in-house and held stays by status (a few hundred at any time, whatever the
# history), late arrivals by a month of arrival dates, and tonight's stays through the partial GiST
# index on (hotel, nights) that availability uses. An ORM aggregate with FILTERs scanned every
# booking of the hotel (100 ms at 150,000 bookings).
DAY_COUNTS_SQL = """
    SELECT
      (SELECT count(*) FROM bookings_booking b
        WHERE b.hotel_id = %(hotel)s::bigint AND NOT b.is_deleted AND b.status = 'confirmed'
          AND b.check_in = %(today)s),
      (SELECT count(*) FROM bookings_booking b
        WHERE b.hotel_id = %(hotel)s::bigint AND NOT b.is_deleted AND b.status = 'checked_in'
          AND b.check_out <= %(today)s),
      (SELECT count(*) FROM bookings_booking b
        WHERE b.hotel_id = %(hotel)s::bigint AND NOT b.is_deleted AND b.status = 'checked_in'),
      (SELECT count(*) FROM bookings_booking b
        WHERE b.hotel_id = %(hotel)s::bigint AND NOT b.is_deleted AND b.status = 'held'
          AND b.hold_expires_at > %(now)s AND b.hold_expires_at <= %(soon)s),
      (SELECT count(*) FROM bookings_booking b
        WHERE b.hotel_id = %(hotel)s::bigint AND NOT b.is_deleted AND b.status = 'confirmed'
          AND b.check_in >= %(month_ago)s AND b.check_in < %(today)s AND b.check_out >= %(today)s),
      (SELECT count(*) FROM bookings_booking b
        WHERE b.hotel_id = %(hotel)s::bigint AND NOT b.is_deleted
          AND b.status IN ('held', 'confirmed', 'checked_in')
          AND daterange(b.check_in, b.check_out) && daterange(%(today)s, %(tomorrow)s)),
      (SELECT count(*) FROM hotels_room r WHERE r.hotel_id = %(hotel)s::bigint AND NOT r.is_deleted AND r.in_service),
      (SELECT count(*) FROM hotels_room r WHERE r.hotel_id = %(hotel)s::bigint AND NOT r.is_deleted AND r.in_service
          AND r.housekeeping = 'dirty')
"""
DAY_COUNT_NAMES = (
    "arrivals", "departures", "in_house", "holds_expiring", "late_arrivals", "taken_tonight", "in_service", "dirty",
)  # fmt: skip


def _day_counts(hotel: Hotel, today: date, now: datetime) -> dict[str, int]:
    """Arrivals, departures, in house, holds about to expire, late arrivals, rooms taken tonight, rooms in
    service and rooms to clean."""
    params: dict[str, Any] = {
        "hotel": hotel.pk,
        "today": today,
        "tomorrow": today + timedelta(days=1),
        "month_ago": today - timedelta(days=MAX_NIGHTS),
        "now": now,
        "soon": now + HOLD_SOON,
    }
    with connection.cursor() as cursor:
        cursor.execute(DAY_COUNTS_SQL, params)
        row = cursor.fetchone()
    return dict(zip(DAY_COUNT_NAMES, row, strict=True))


def _bookings_counts(day: DeskDay) -> list[DashboardCount]:
    if not user_has_perm(day.user, VIEW_BOOKINGS, day.hotel):
        return []
    slug, counts = day.hotel.slug, day.counts
    counts_shown = [
        DashboardCount("arrivals", _("Arrivals today"), counts["arrivals"], reverse("staff:arrivals", args=[slug])),
        DashboardCount(
            "departures", _("Departures today"), counts["departures"], reverse("staff:departures", args=[slug])
        ),
        DashboardCount("in_house", _("In house"), counts["in_house"], reverse("staff:in-house", args=[slug])),
        DashboardCount(
            "holds_expiring",
            _("Holds expiring within 5 minutes"),
            counts["holds_expiring"],
            reverse("staff:find", args=[slug]) + "?status=held",
        ),
    ]
    if counts["late_arrivals"]:
        yesterday = (day.today - timedelta(days=1)).isoformat()
        counts_shown.append(
            DashboardCount(
                "late_arrivals",
                _("Not arrived from past nights"),
                counts["late_arrivals"],
                reverse("staff:arrivals", args=[slug]) + f"?date={yesterday}",
                note=_("Check in or mark as no-show."),
            )
        )
    return counts_shown


def _tonight(day: DeskDay) -> list[DashboardCount]:
    """Rooms free tonight and occupancy tonight (rooms sold ÷ rooms in service, blocks kept in the supply)."""
    if not user_has_perm(day.user, VIEW_BOOKINGS, day.hotel):
        return []
    tomorrow = day.today + timedelta(days=1)
    free = sum(rooms_left_by_type(hotel_id=day.hotel.pk, check_in=day.today, check_out=tomorrow).values())
    supply, taken = day.counts["in_service"], day.counts["taken_tonight"]
    share = (Decimal(taken * 100) / supply).quantize(Decimal("0.1")) if supply else Decimal("0.0")
    occupancy = _("%(share)s %%") % {"share": number(share, 1)}
    board = reverse("staff:board", args=[day.hotel.slug])
    return [
        DashboardCount("free_tonight", _("Rooms free tonight"), free, board),
        DashboardCount(
            "occupancy_tonight",
            _("Occupancy tonight"),
            occupancy,
            board,
            note=_("%(taken)s of %(supply)s rooms") % {"taken": taken, "supply": supply},
        ),
    ]


def _refunds_waiting(day: DeskDay) -> list[DashboardCount]:
    if not user_has_perm(day.user, "refunds.approve_refund", day.hotel):
        return []
    waiting = Refund.objects.filter(booking__hotel=day.hotel, status=Refund.Status.REQUESTED).count()
    return [DashboardCount("refunds_waiting", _("Refunds waiting for approval"), waiting, reverse("refunds:queue"))]


def _housekeeping(day: DeskDay) -> list[DashboardCount]:
    if not user_has_perm(day.user, "hotels.change_room_housekeeping", day.hotel):
        return []
    dirty = day.counts["dirty"]
    return [
        DashboardCount("dirty_rooms", _("Rooms to clean"), dirty, reverse("staff:housekeeping", args=[day.hotel.slug]))
    ]


def _tickets(day: DeskDay) -> list[DashboardCount]:
    """Open tickets (open or waiting on someone) and those past their due time, in one query."""
    if not user_has_perm(day.user, "support.view_ticket", day.hotel):
        return []
    live = Ticket.objects.filter(hotel=day.hotel, status__in=LIVE_STATUSES)
    counts = live.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=day.now)))
    queue = reverse("support:staff-queue") + f"?hotel={day.hotel.slug}"
    return [
        DashboardCount("tickets_open", _("Open tickets"), counts["open"], queue + "&status=live"),
        DashboardCount("tickets_overdue", _("Overdue tickets"), counts["overdue"], queue + "&overdue=true"),
    ]


def _reviews(day: DeskDay) -> list[DashboardCount]:
    if not user_has_perm(day.user, "reviews.respond_review", day.hotel):
        return []
    unanswered = Review.objects.filter(hotel=day.hotel, status=Review.Status.PUBLISHED, responded_at__isnull=True)
    url = reverse("reviews:staff") + f"?hotel={day.hotel.slug}&unanswered=on"
    return [DashboardCount("reviews_unanswered", _("Reviews waiting for an answer"), unanswered.count(), url)]


# Each provider answers the counts it has for this hotel and user (none without the right to open them).
COUNT_PROVIDERS: list[Callable[[DeskDay], list[DashboardCount]]] = [
    _bookings_counts,
    _tonight,
    _housekeeping,
    _refunds_waiting,
    _tickets,
    _reviews,
]


def dashboard_counts(*, hotel: Hotel, user: Any, now: datetime | None = None) -> list[DashboardCount]:
    now = now or timezone.now()
    today = hotel_today(hotel, now=now)
    day = DeskDay(hotel=hotel, today=today, user=user, now=now, counts=_day_counts(hotel, today, now))
    return [count for provider in COUNT_PROVIDERS for count in provider(day)]


# --- The room board -----------------------------------------------------------------------------------
# Plain rows, not model instances: 300 rooms and some 1,500 stays as instances cost most of the board's
# time (each instance also takes the audit's snapshot when it is loaded), and the board changes nothing.

STATUS_LABELS = dict(Booking.Status.choices)
HOUSEKEEPING_LABELS = dict(Room.Housekeeping.choices)


@dataclass(slots=True)
class BoardRoom:
    pk: int
    number: str
    floor: int
    in_service: bool
    housekeeping: str
    room_type_id: int
    room_type_name: str

    @property
    def housekeeping_label(self) -> str:
        return str(HOUSEKEEPING_LABELS.get(self.housekeeping, self.housekeeping))


@dataclass(slots=True)
class BoardStay:
    reference: str
    status: str
    check_in: date
    check_out: date
    guest_name: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))


@dataclass(slots=True)
class BoardBlock:
    pk: int
    start: date
    end: date
    reason: str


@dataclass(slots=True)
class BoardBar:
    """A stay or a block on one room's line: where it starts on the board and how many nights it shows."""

    first: int  # index of its first night on the board
    span: int
    booking: BoardStay | None = None
    block: BoardBlock | None = None
    starts_before: bool = False
    ends_after: bool = False


@dataclass(slots=True)  # thousands per board: plain slots are quicker to make than frozen
class BoardCell:
    """A board cell: a bar (spanning `span` nights) or an empty night (bar None)."""

    night: date
    span: int = 1
    bar: BoardBar | None = None


@dataclass(slots=True)
class BoardRow:
    room: BoardRoom
    bars: list[BoardBar]  # by first night
    nights: list[date]

    @property
    def cells(self) -> list[BoardCell]:
        """The row night by night: a bar spans its nights, an empty night is a cell of its own."""
        by_start = {bar.first: bar for bar in self.bars}
        cells: list[BoardCell] = []
        index = 0
        while index < len(self.nights):
            bar = by_start.get(index)
            cells.append(BoardCell(night=self.nights[index], span=bar.span if bar else 1, bar=bar))
            index += bar.span if bar else 1
        return cells


@dataclass(frozen=True)
class BoardGroup:
    room_type_id: int
    room_type_name: str
    rows: list[BoardRow]


@dataclass(frozen=True)
class Board:
    hotel: Hotel
    first: date
    nights: list[date]
    groups: list[BoardGroup]
    today: date

    @property
    def last(self) -> date:
        return self.nights[-1]

    @property
    def rooms(self) -> list[BoardRoom]:
        return [row.room for group in self.groups for row in group.rows]


def _first_night(bar: BoardBar) -> int:
    return bar.first


def _bar(first: date, end: date, start: date, stop: date, **what: Any) -> BoardBar:
    """The part of [start, stop) that shows between the board's `first` night and `end` (excluded)."""
    shown_from, shown_to = max(first, start), min(end, stop)
    return BoardBar(
        first=(shown_from - first).days,
        span=(shown_to - shown_from).days,
        starts_before=start < first,
        ends_after=stop > end,
        **what,
    )


def room_board(*, hotel: Hotel, first: date, nights: int = BOARD_NIGHTS) -> Board:
    """Rooms (grouped by type) x nights, with each active stay and block as a bar. Three queries."""
    end = first + timedelta(days=nights)
    days = [first + timedelta(days=n) for n in range(nights)]
    rooms = [
        BoardRoom(*row)
        for row in Room.objects.filter(hotel=hotel)
        .order_by("room_type__name", "room_type_id", "floor", "number")
        .values_list("pk", "number", "floor", "in_service", "housekeeping", "room_type_id", "room_type__name")
    ]
    stays = (
        Booking.objects.filter(hotel=hotel, status__in=Booking.ACTIVE_STATUSES)
        .alias(stay=StayNights())
        .filter(stay__overlap=DateRange(first, end))  # the partial GiST index on (hotel, nights)
        .values_list(
            "room_id",
            "reference",
            "status",
            "check_in",
            "check_out",
            "guest__first_name",
            "guest__last_name",
            "guest__email",
        )
    )
    blocks = RoomBlock.objects.filter(hotel=hotel, start__lt=end, end__gt=first).values_list(
        "room_id", "pk", "start", "end", "reason"
    )
    bars: dict[int, list[BoardBar]] = {}
    for room_id, reference, status, check_in, check_out, first_name, last_name, email in stays:
        guest = f"{first_name} {last_name}".strip() or email
        stay = BoardStay(reference, status, check_in, check_out, guest)
        bars.setdefault(room_id, []).append(_bar(first, end, check_in, check_out, booking=stay))
    for room_id, pk, start, stop, reason in blocks:
        block = BoardBlock(pk, start, stop, reason)
        bars.setdefault(room_id, []).append(_bar(first, end, start, stop, block=block))
    groups: list[BoardGroup] = []
    for room in rooms:
        row = BoardRow(room=room, bars=sorted(bars.get(room.pk, ()), key=_first_night), nights=days)
        if not groups or groups[-1].room_type_id != room.room_type_id:
            groups.append(BoardGroup(room_type_id=room.room_type_id, room_type_name=room.room_type_name, rows=[]))
        groups[-1].rows.append(row)
    return Board(hotel=hotel, first=first, nights=days, groups=groups, today=hotel_today(hotel))


# --- Housekeeping -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HousekeepingRoom:
    room: Room
    occupied: bool  # a guest sleeps here tonight
    departure_today: bool  # the guest leaves today: the room needs cleaning after check-out
    arrival_today: bool  # a guest arrives today: clean it first
    blocked: bool  # out of order tonight


def housekeeping_rooms(*, hotel: Hotel, floor: int | None = None, today: date | None = None) -> list[HousekeepingRoom]:
    """The hotel's rooms in service (one floor, or all) with what today asks of each. Three queries."""
    today = today or hotel_today(hotel)
    rooms = Room.objects.filter(hotel=hotel, in_service=True).select_related("room_type").order_by("floor", "number")
    if floor is not None:
        rooms = rooms.filter(floor=floor)
    stays = Booking.objects.filter(
        hotel=hotel, status__in=Booking.ACTIVE_STATUSES, check_in__lte=today, check_out__gte=today
    ).values_list("room_id", "check_in", "check_out", "status")
    occupied, leaving, arriving = set(), set(), set()
    for room_id, check_in, check_out, status in stays:
        if check_in <= today < check_out:
            occupied.add(room_id)
        if check_out == today and status == Status.CHECKED_IN:
            leaving.add(room_id)
        if check_in == today:
            arriving.add(room_id)
    blocked = set(
        RoomBlock.objects.filter(hotel=hotel, start__lte=today, end__gt=today).values_list("room_id", flat=True)
    )
    return [
        HousekeepingRoom(
            room=room,
            occupied=room.pk in occupied,
            departure_today=room.pk in leaving,
            arrival_today=room.pk in arriving,
            blocked=room.pk in blocked,
        )
        for room in rooms
    ]


def floors(*, hotel: Hotel) -> list[int]:
    return list(
        Room.objects.filter(hotel=hotel, in_service=True).order_by("floor").values_list("floor", flat=True).distinct()
    )
