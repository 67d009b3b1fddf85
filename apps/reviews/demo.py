"""Demo reviews on the demo hotels' past stays (`seed_demo`, idempotent).

Past stays cannot be booked through booking_create (it sells only future
nights), so the demo's own past stays are written as checked-out bookings
with their frozen nights; the reviews and responses then go through the
review services, so the hotels' figures are the services' own.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.bookings.models import Booking, BookingNight
from apps.hotels.models import Hotel, Room
from apps.hotels.pricing import money
from apps.hotels.stays import hotel_today
from apps.reviews.models import Review
from apps.reviews.services import review_create, review_respond

# guest, hotel index, days ago the stay ended, nights, rating, categories, title, text, answered
PAST_STAYS = [
    ("guest@hbs.test", 0, 12, 3, 5, {"cleanliness": 5, "staff": 5, "location": 5}, "Light, calm and right by the river",
     "We woke up to the ferries every morning. Spotless room, and the desk booked us a table in Alfama.", True),
    ("guest2@hbs.test", 0, 30, 2, 4, {"cleanliness": 4, "comfort": 4, "value": 3}, "Great base for Lisbon",
     "Comfortable beds and a good breakfast. The street can be loud on Friday nights.", False),
    ("guest@hbs.test", 1, 45, 4, 4, {"comfort": 5, "staff": 4, "value": 4}, "A quiet courtyard downtown",
     "The library bar is lovely. Our room faced the courtyard, so we slept well despite the city.", True),
    ("guest2@hbs.test", 1, 60, 2, 3, {"cleanliness": 3, "location": 5}, "Fine, if a little tired",
     "Perfect location for the theatre district. The bathroom needs some love.", False),
]  # fmt: skip
RESPONSES = [
    "Thank you for staying with us! We are glad the ferries were a good alarm clock. See you next time.",
    "Thank you for the kind words about the bar. We look forward to welcoming you back.",
]


def _past_stay(*, guest: User, hotel: Hotel, ended_days_ago: int, nights: int) -> Booking:
    room = Room.objects.filter(hotel=hotel, in_service=True).select_related("room_type").order_by("number").first()
    assert room is not None, f"{hotel.name} has no room"
    check_out = hotel_today(hotel) - timedelta(days=ended_days_ago)
    check_in = check_out - timedelta(days=nights)
    rate = room.room_type.base_rate
    subtotal = money(rate * nights)
    taxes = money(subtotal * hotel.tax_rate)
    booking = Booking.objects.create(
        guest=guest,
        hotel=hotel,
        room_type=room.room_type,
        room=room,
        check_in=check_in,
        check_out=check_out,
        adults=2,
        status=Booking.Status.CHECKED_OUT,
        hold_expires_at=None,
        subtotal=subtotal,
        discount=Decimal("0.00"),
        taxes=taxes,
        total=subtotal + taxes,
        currency=hotel.currency,
        confirmed_at=timezone.now() - timedelta(days=ended_days_ago + 30),
        checked_in_at=timezone.now() - timedelta(days=ended_days_ago + nights),
        checked_out_at=timezone.now() - timedelta(days=ended_days_ago),
    )
    for night in range(nights):
        BookingNight.objects.create(booking=booking, date=check_in + timedelta(days=night), base=rate, price=rate)
    return booking


def seed_reviews(*, users: dict[str, User], hotels: list[Hotel]) -> int:
    """Past stays of the demo guests with their reviews; a hotel's manager answered some. Skipped once made."""
    manager = users.get("manager@hbs.test")
    made = 0
    answered = iter(RESPONSES)
    for email, index, days_ago, nights, rating, ratings, title, text, answer in PAST_STAYS:
        guest, hotel = users[email], hotels[index]
        if Review.all_objects.filter(author=guest, hotel=hotel).exists():
            continue
        booking = _past_stay(guest=guest, hotel=hotel, ended_days_ago=days_ago, nights=nights)
        review = review_create(author=guest, booking=booking, rating=rating, ratings=ratings, title=title, text=text)
        responder = manager if index == 0 else users.get("admin@hbs.test")
        if answer and responder is not None:
            review_respond(review=review, responder=responder, text=next(answered))
        made += 1
    return made
