"""Demo content pages: About, House rules, FAQ, Privacy, Terms (published through the CMS services)."""

from __future__ import annotations

from apps.accounts.models import User
from apps.cms.models import Page
from apps.cms.services import page_save

PAGES = [
    {
        "slug": "about",
        "title": "About",
        "placement": Page.Placement.HEADER,
        "order": 10,
        "summary": "Who we are and the hotels we run.",
        "body": (
            "## Small hotels, run by people who live there\n\n"
            "HBS books rooms at a handful of independent hotels. Each one sets its own prices, "
            "check-in times and cancellation terms, and you see all of them before you pay.\n\n"
            "Questions about a stay? Open a ticket from your booking and the hotel answers."
        ),
    },
    {
        "slug": "house-rules",
        "title": "House rules",
        "placement": Page.Placement.FOOTER,
        "order": 10,
        "summary": "Check-in, quiet hours, smoking and pets.",
        "body": (
            "- **Check-in** from the hotel's check-in time (usually 15:00); **check-out** by 11:00.\n"
            "- **Quiet hours** from 22:00 to 08:00.\n"
            "- **No smoking** inside the hotels.\n"
            "- **Pets** by arrangement with the hotel: ask before you book.\n"
            "- The person who booked shows an ID at the desk."
        ),
    },
    {
        "slug": "faq",
        "title": "FAQ",
        "placement": Page.Placement.FOOTER,
        "order": 20,
        "summary": "Holds, payments, cancellations and refunds.",
        "body": (
            "### How long is a room held for me?\n15 minutes, while you pay or choose to pay at the hotel.\n\n"
            "### Can I cancel?\nFor free until the deadline the booking page shows (48 hours before "
            "check-in by default); after it the hotel keeps the first night.\n\n"
            "### When do I get my refund?\nAs soon as the hotel approves it; it goes back to the card or "
            "method you paid with."
        ),
    },
    {
        "slug": "privacy",
        "title": "Privacy",
        "placement": Page.Placement.FOOTER,
        "order": 30,
        "summary": "What we keep about you and for how long.",
        "body": (
            "We keep your name, email and phone to manage your bookings, and what the hotel needs by law. "
            "Card numbers never reach us: the payment provider holds them. Read notifications are deleted "
            "after 90 days. Ask us for a copy of your data, or for its deletion, at any time."
        ),
    },
    {
        "slug": "terms",
        "title": "Terms",
        "placement": Page.Placement.FOOTER,
        "order": 40,
        "summary": "The rules of booking through HBS.",
        "body": (
            "1. A booking is a contract with the hotel, at the price shown when you booked.\n"
            "2. The hotel's cancellation policy, shown before you book, decides any refund.\n"
            "3. A no-show keeps the whole stay.\n"
            "4. Prices include the taxes shown on the booking."
        ),
    },
]


def seed_pages(*, users: dict[str, User]) -> int:
    """Creates and publishes the demo pages that do not exist yet; returns how many it made."""
    author = users.get("admin@hbs.test")
    made = 0
    for spec in PAGES:
        if Page.all_objects.filter(slug=spec["slug"]).exists():
            continue
        page = Page(status=Page.Status.PUBLISHED, **spec)
        page_save(page=page, editor=author)
        made += 1
    return made
