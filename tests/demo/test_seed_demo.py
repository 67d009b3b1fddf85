"""The demo data command: idempotent, and refuses to run in production by accident."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from apps.accounts.models import User
from apps.accounts.permissions import user_has_perm, user_has_perm_anywhere
from apps.demo.management.commands.seed_demo import DEMO_PASSWORD
from apps.hotels.models import Hotel

pytestmark = pytest.mark.django_db

CONTRACT_ACCOUNTS = {
    "admin@hbs.test",
    "manager@hbs.test",
    "desk@hbs.test",
    "desk2@hbs.test",
    "housekeeping@hbs.test",
    "auditor@hbs.test",
    "guest@hbs.test",
    "guest2@hbs.test",
}


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert User.objects.count() == 0


def test_creates_the_contract_accounts_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert set(User.objects.values_list("email", flat=True)) == CONTRACT_ACCOUNTS
    assert authenticate(username="guest@hbs.test", password=DEMO_PASSWORD) is not None
    admin = User.objects.get(email="admin@hbs.test")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.get(email="guest@hbs.test").is_staff
    # The back office's demo roles: the housekeeper at the first hotel, the auditor everywhere.
    first = Hotel.objects.order_by("pk").first()
    housekeeper = User.objects.get(email="housekeeping@hbs.test")
    assert user_has_perm(housekeeper, "hotels.change_room_housekeeping", first)
    assert not user_has_perm_anywhere(housekeeper, "bookings.view_booking")
    assert user_has_perm(User.objects.get(email="auditor@hbs.test"), "reports.view_report")


def test_force_runs_with_debug_off(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    assert User.objects.filter(email="desk@hbs.test").exists()


def test_seeds_two_hotels_in_different_zones_and_currencies_with_staff_grants(settings):
    from apps.accounts.permissions import user_has_perm
    from apps.hotels.models import Hotel, RateOverride, Room
    from apps.offers.models import Offer

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    hotels = list(Hotel.objects.order_by("name"))
    assert [(h.slug, h.time_zone, h.currency) for h in hotels] == [
        ("harbour-view-lisbon", "Europe/Lisbon", "EUR"),
        ("maple-court-toronto", "America/Toronto", "CAD"),
    ]
    assert Room.objects.filter(hotel=hotels[0]).count() == 20
    assert Room.objects.filter(hotel=hotels[1]).count() == 12
    assert RateOverride.objects.filter(weekdays=[4, 5]).count() == 7
    assert Offer.objects.get(code="WELCOME10").value == 10
    lisbon, toronto = hotels
    manager, desk, desk2 = (User.objects.get(email=f"{n}@hbs.test") for n in ("manager", "desk", "desk2"))
    assert user_has_perm(manager, "hotels.change_roomtype", lisbon)
    assert not user_has_perm(manager, "hotels.change_roomtype", toronto)
    assert user_has_perm(desk, "bookings.check_in_booking", lisbon)
    assert user_has_perm(desk2, "bookings.check_in_booking", toronto)
    assert not user_has_perm(desk2, "bookings.check_in_booking", lisbon)


def test_demo_stays_are_real_bookings_made_once(settings):
    from apps.bookings.models import Booking

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    mine = Booking.objects.filter(guest__email="guest@hbs.test", status__in=Booking.ACTIVE_STATUSES)
    assert mine.count() == 2
    assert set(mine.values_list("status", flat=True)) == {"confirmed"}
    assert Booking.objects.filter(guest__email="guest2@hbs.test", status="held").count() == 1
    assert all(b.total == b.subtotal - b.discount + b.taxes for b in Booking.objects.all())


def test_growing_a_hotel_books_around_its_demo_stays_within_the_horizon_and_can_run_again(settings):
    from datetime import timedelta

    from apps.bookings.models import Booking
    from apps.hotels.models import Hotel
    from apps.hotels.stays import HORIZON_MONTHS, add_months, hotel_today

    settings.DEBUG = True
    call_command("seed_demo", "--rooms", "25", "--bookings", "3000")
    lisbon = Hotel.objects.order_by("pk").first()
    assert lisbon.rooms.count() == 25 and Booking.objects.filter(hotel=lisbon).count() == 3000
    call_command("seed_demo", "--rooms", "25", "--bookings", "3500")  # a second run adds the difference
    stays = Booking.objects.filter(hotel=lisbon)
    assert stays.count() == 3500
    horizon = add_months(hotel_today(lisbon), HORIZON_MONTHS)
    assert max(stays.values_list("check_in", flat=True)) <= horizon
    # The demo's own stay of today sits in a room whose grown timeline runs past it, not after it.
    demo_room = Booking.objects.get(guest__email="guest@hbs.test", hotel=lisbon, status="confirmed").room
    assert stays.filter(room=demo_room, check_out__lt=hotel_today(lisbon) - timedelta(days=30)).exists()


def test_seeds_reviews_on_past_stays_and_tickets_once(settings):
    from apps.hotels.models import Hotel
    from apps.reviews.models import Review
    from apps.reviews.services import hotel_figures_recount
    from apps.support.models import Ticket, TicketMessage

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert Review.objects.count() == 4 and Review.objects.filter(responded_at__isnull=False).count() == 2
    assert all(review.booking.status == "checked_out" for review in Review.objects.select_related("booking"))
    for hotel in Hotel.objects.all():
        figures = hotel_figures_recount(hotel_id=hotel.pk)
        assert (hotel.rating, hotel.review_count) == (figures.rating, figures.review_count) and hotel.review_count == 2
    assert Ticket.objects.count() == 3
    assert TicketMessage.objects.filter(internal=True).count() == 1
