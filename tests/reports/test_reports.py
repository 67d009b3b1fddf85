"""The occupancy report against stays with known prices and discounts: every figure of the affected nights."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format
from rest_framework.test import APIClient

from apps.accounts.roles import AUDITOR, FRONT_DESK, HOTEL_MANAGER
from apps.accounts.services import object_role_grant
from apps.accounts.tokens import tokens_for
from apps.bookings import services
from apps.bookings.inventory import inventory_roll, recount
from apps.core.templatetags.l10n_money import format_money
from apps.hotels.stays import hotel_today
from apps.reports.selectors import occupancy_report
from tests.bookings.conftest import make_hotel
from tests.factories import OfferFactory, RateOverrideFactory, UserFactory, user_with_roles

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")


def book(place, first: int, last: int, **extra):
    return services.booking_create(
        guest=UserFactory(),
        hotel=place.hotel,
        room_type=place.room_type,
        check_in=place.day(first),
        check_out=place.day(last),
        adults=2,
        **extra,
    )


@pytest.fixture
def season(db):
    """Five rooms at 100 a night, 150 on night 1; stays booked, confirmed, changed and cancelled."""
    place = make_hotel(rooms=5)
    RateOverrideFactory(room_type=place.room_type, starts_on=place.day(1), ends_on=place.day(1), price="150.00")
    OfferFactory(hotel=place.hotel, code="TEN", kind="percent", value=Decimal("10.00"))
    OfferFactory(hotel=place.hotel, code="MINUS25", kind="fixed", value=Decimal("25.00"))
    a = services.booking_confirm(booking=book(place, 0, 3, offer_code="TEN"))  # 100+150+100, -35
    b = services.booking_confirm(booking=book(place, 1, 3))  # changed below to three nights
    services.booking_change_dates(booking=b, check_in=place.day(1), check_out=place.day(4))
    c = services.booking_confirm(booking=book(place, 0, 2))
    services.booking_cancel(booking=c)  # cancelled: not sold
    d = book(place, 2, 3)  # held only: not sold yet
    e = services.booking_confirm(booking=book(place, 0, 3, offer_code="MINUS25"))  # 350, -25
    free = next(room for room in place.rooms if room.pk not in {a.room_id, b.room_id, d.room_id, e.room_id})
    services.room_block_create(room=free, start=place.day(2), end=place.day(3), reason="Paint")
    return place


def figures(day):
    return (
        day.rooms_in_service,
        day.rooms_sold,
        day.rooms_out_of_order,
        day.revenue,
        day.occupancy,
        day.adr,
        day.revpar,
    )


def test_every_figure_of_the_affected_nights(season):
    report = occupancy_report(hotel=season.hotel, first=season.day(0), last=season.day(4))
    d = Decimal
    assert [figures(day) for day in report.days] == [
        # A 90.00 (its 35 off spread 10/15/10) + E 92.86 (25 off spread 7.14/10.72/7.14)
        (5, 2, 0, d("182.86"), d("40.0"), d("91.43"), d("36.57")),
        # A 135.00 + B 150.00 + E 139.28
        (5, 3, 0, d("424.28"), d("60.0"), d("141.43"), d("84.86")),
        # A 90.00 + B 100.00 + E 92.86; the fifth room out of order stays in the supply
        (5, 3, 1, d("282.86"), d("60.0"), d("94.29"), d("56.57")),
        (5, 1, 0, d("100.00"), d("20.0"), d("100.00"), d("20.00")),  # B's added night
        (5, 0, 0, d("0.00"), d("0.0"), d("0.00"), d("0.00")),
    ]
    totals = report.totals
    assert figures(totals) == (25, 9, 1, d("990.00"), d("36.0"), d("110.00"), d("39.60"))
    # Each stay's nights add up to what it was sold for: 315 (A) + 350 (B) + 325 (E).
    assert totals.revenue == d("315.00") + d("350.00") + d("325.00")
    for day in [*report.days, totals]:
        exact_occupancy = Decimal(day.rooms_sold) / day.rooms_in_service
        assert abs(day.revpar - exact_occupancy * day.adr) <= CENT


def test_a_range_cutting_through_stays_keeps_each_nights_share(season):
    middle = occupancy_report(hotel=season.hotel, first=season.day(1), last=season.day(1))
    assert [day.revenue for day in middle.days] == [Decimal("424.28")]


def test_bad_ranges_are_refused(season):
    from apps.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        occupancy_report(hotel=season.hotel, first=season.day(3), last=season.day(1))
    with pytest.raises(ValidationFailed, match="366"):
        occupancy_report(hotel=season.hotel, first=season.day(0), last=season.day(0) + timedelta(days=366))
    assert len(occupancy_report(hotel=season.hotel, first=season.day(0), last=season.day(365)).days) == 366


def bearer(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for(user)['access']}")
    return client


def test_the_api_answers_the_pinned_shape_and_csv(season, django_capture_on_commit_callbacks):
    manager = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        object_role_grant(user=manager, role=HOTEL_MANAGER, scope=season.hotel)
    query = {"hotel": season.hotel.slug, "from": season.day(0).isoformat(), "to": season.day(4).isoformat()}
    answer = bearer(manager).get("/api/v1/reports/occupancy/", query)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["hotel"], body["currency"], body["from"], body["to"]) == (
        season.hotel.slug, "EUR", query["from"], query["to"],
    )  # fmt: skip
    assert body["days"][1] == {
        "date": season.day(1).isoformat(),
        "rooms_in_service": 5,
        "rooms_sold": 3,
        "rooms_out_of_order": 0,
        "occupancy": "60.0",
        "adr": "141.43",
        "revpar": "84.86",
        "revenue": "424.28",
    }
    assert body["totals"]["revenue"] == "990.00" and body["totals"]["occupancy"] == "36.0"
    as_csv = bearer(manager).get("/api/v1/reports/occupancy/", {**query, "format": "csv"})
    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert rows[0] == [
        "date",
        "rooms_in_service",
        "rooms_sold",
        "rooms_out_of_order",
        "occupancy",
        "adr",
        "revpar",
        "revenue",
    ]
    assert rows[2] == [season.day(1).isoformat(), "5", "3", "0", "60.0", "141.43", "84.86", "424.28"]
    assert len(rows) == 6


def test_reports_are_scoped_to_the_callers_hotels(season, django_capture_on_commit_callbacks):
    other = make_hotel(rooms=1)
    desk, elsewhere = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        object_role_grant(user=desk, role=FRONT_DESK, scope=season.hotel)
        object_role_grant(user=elsewhere, role=HOTEL_MANAGER, scope=other.hotel)
    query = {"hotel": season.hotel.slug, "from": season.day(0).isoformat(), "to": season.day(1).isoformat()}
    assert bearer(desk).get("/api/v1/reports/occupancy/", query).status_code == 403  # the desk reads no report
    assert bearer(elsewhere).get("/api/v1/reports/occupancy/", query).status_code == 404
    assert bearer(user_with_roles(AUDITOR)).get("/api/v1/reports/occupancy/", query).status_code == 200
    too_long = {**query, "to": season.day(400).isoformat()}
    assert bearer(user_with_roles(AUDITOR)).get("/api/v1/reports/occupancy/", too_long).status_code == 400


def test_a_french_manager_reads_the_occupancy_report_and_its_chart_in_french(
    season, django_capture_on_commit_callbacks
):
    manager = UserFactory(preferred_language="fr-ca")
    with django_capture_on_commit_callbacks(execute=True):
        object_role_grant(user=manager, role=HOTEL_MANAGER, scope=season.hotel)
    client = Client()
    client.force_login(manager)
    query = {"hotel": season.hotel.slug, "start": season.day(0).isoformat(), "end": season.day(4).isoformat()}
    try:
        response = client.get("/staff/reports/occupancy/", query)
    finally:
        translation.activate("en")  # the page leaves French active on this thread
    html = response.content.decode()
    assert response.status_code == 200
    assert "Occupation et revenus" in html and "Nuitées vendues" in html and "Hors d\u2019usage" in html
    assert "9 sur 25" in html  # room nights sold of the supply
    assert format_money(Decimal("990.00"), "EUR", language="fr-ca") in html  # the room revenue: 990,00 €
    assert "36,0 %" in html and "424,28" in html  # French decimals in the totals and the table
    assert "Occupancy and revenue" not in html and "Room nights sold" not in html
    chart = json.loads(re.search(r'<script id="report-data" type="application/json">(.*?)</script>', html).group(1))
    assert chart["occupancy_label"] == "Occupation" and chart["adr_label"] == "PMC (EUR)"
    with translation.override("fr-ca"):
        nights = [date_format(season.day(n), "D j N") for n in range(5)]
    assert chart["labels"] == nights and nights[0] != date_format(season.day(0), "D j N")  # French day names


def test_a_room_taken_out_of_service_today_leaves_past_supply_as_it_was():
    """The report reads each past night's inventory count: today's change of the rooms counts from today on."""
    place = make_hotel(rooms=3)
    today = hotel_today(place.hotel)
    yesterday, long_ago = today - timedelta(days=1), today - timedelta(days=30)
    recount(room_type_ids=[place.room_type.pk], first=yesterday, end=today)  # as last night's count left it
    room = place.rooms[0]
    room.in_service = False
    room.save()

    report = occupancy_report(hotel=place.hotel, first=yesterday, last=today)
    assert [day.rooms_in_service for day in report.days] == [3, 2]
    # A night the inventory never counted (before it existed) takes today's rooms in service.
    assert occupancy_report(hotel=place.hotel, first=long_ago, last=long_ago).days[0].rooms_in_service == 2
    inventory_roll()
    assert occupancy_report(hotel=place.hotel, first=yesterday, last=yesterday).days[0].rooms_in_service == 3
