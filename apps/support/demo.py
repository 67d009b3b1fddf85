"""Demo tickets (`seed_demo`, idempotent): a new question, and one the desk answered beside an internal note."""

from __future__ import annotations

from apps.accounts.models import User
from apps.bookings.models import Booking
from apps.hotels.models import Hotel
from apps.support.models import Ticket
from apps.support.services import ticket_open, ticket_reply, ticket_update

TICKETS = [
    # guest, hotel index, subject, category, priority, first message, (desk note, desk answer) or None
    ("guest@hbs.test", 0, "Arriving after midnight", "booking", "normal",
     "Our flight lands at 23:40. Will someone be at the desk to check us in?",
     ("Guest is a returning guest: offer the welcome drink.", "Yes, the desk is open all night. Safe travels!")),
    ("guest2@hbs.test", 0, "Crib for a toddler", "room", "low",
     "Could we have a crib in the room for our two-year-old?", None),
    ("guest@hbs.test", 1, "Charged twice?", "payment", "high",
     "I see two charges on my card for the same stay. Can you check?", None),
]  # fmt: skip


def seed_tickets(*, users: dict[str, User], hotels: list[Hotel]) -> int:
    desk = users.get("desk@hbs.test")
    made = 0
    for email, index, subject, category, priority, message, answer in TICKETS:
        guest, hotel = users[email], hotels[index]
        if Ticket.all_objects.filter(guest=guest, hotel=hotel, subject=subject).exists():
            continue
        booking = Booking.objects.filter(guest=guest, hotel=hotel).order_by("check_in").first()
        ticket = ticket_open(
            guest=guest,
            hotel=hotel,
            booking=booking,
            subject=subject,
            category=category,
            priority=priority,
            message=message,
        )
        if answer is not None and desk is not None:
            note, reply = answer
            ticket_update(ticket=ticket, actor=desk, assignee=desk)
            ticket_reply(ticket=ticket, author=desk, body=note, internal=True)
            ticket_reply(ticket=ticket, author=desk, body=reply)
        made += 1
    return made
