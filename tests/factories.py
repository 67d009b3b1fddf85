"""factory-boy factories for every model; tests build their world with these."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from apps.accounts.models import User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


def user_with_roles(*roles: str, **fields: object) -> User:
    """A user holding the given global roles (groups)."""
    from django.contrib.auth.models import Group

    user = UserFactory(**fields)
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


# --- Catalogue -------------------------------------------------------------------------------------


class HotelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hotels.Hotel"

    name = factory.Sequence(lambda n: f"Hotel {n}")
    slug = factory.Sequence(lambda n: f"hotel-{n}")
    city = "Lisbon"
    country = "PT"
    time_zone = "Europe/Lisbon"
    currency = "EUR"
    tax_rate = Decimal("0.1000")


class AmenityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hotels.Amenity"

    code = factory.Sequence(lambda n: f"amenity-{n}")
    name = factory.Sequence(lambda n: f"Amenity {n}")


class RoomTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hotels.RoomType"

    hotel = factory.SubFactory(HotelFactory)
    name = factory.Sequence(lambda n: f"Double {n}")
    max_adults = 2
    max_children = 2
    base_occupancy = 2
    base_rate = Decimal("100.00")
    extra_adult_charge = Decimal("0")
    extra_child_charge = Decimal("0")
    photos = factory.LazyFunction(lambda: ["img/rooms/double.svg"])


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hotels.Room"

    room_type = factory.SubFactory(RoomTypeFactory)
    hotel = factory.SelfAttribute("room_type.hotel")
    number = factory.Sequence(lambda n: f"F{n}")  # never one of the plain numbers tests give (101, 201-240)
    floor = 1


class RateOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hotels.RateOverride"

    room_type = factory.SubFactory(RoomTypeFactory)
    starts_on = factory.LazyFunction(lambda: timezone.now().date())
    ends_on = factory.SelfAttribute("starts_on")
    price = Decimal("150.00")


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "offers.Offer"

    hotel = factory.SubFactory(HotelFactory)
    name = factory.Sequence(lambda n: f"Offer {n}")
    code = factory.Sequence(lambda n: f"CODE{n}")
    kind = "percent"
    value = Decimal("10.00")


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking inserted directly (the booking services come later); totals add up as the constraint wants."""

    class Meta:
        model = "bookings.Booking"

    guest = factory.SubFactory(UserFactory)
    room = factory.SubFactory(RoomFactory)
    room_type = factory.SelfAttribute("room.room_type")
    hotel = factory.SelfAttribute("room.hotel")
    check_in = factory.LazyFunction(lambda: timezone.now().date() + timedelta(days=10))
    check_out = factory.LazyAttribute(lambda b: b.check_in + timedelta(days=2))
    status = "confirmed"
    hold_expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=15))
    subtotal = Decimal("200.00")
    discount = Decimal("0.00")
    taxes = Decimal("20.00")
    total = Decimal("220.00")
    currency = "EUR"


class BookingNightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "bookings.BookingNight"

    booking = factory.SubFactory(BookingFactory)
    date = factory.SelfAttribute("booking.check_in")
    base = Decimal("100.00")
    occupancy_charge = Decimal("0.00")
    price = Decimal("100.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    """Money taken at the desk for the whole stay (succeeded), unless told otherwise."""

    class Meta:
        model = "payments.Payment"

    booking = factory.SubFactory(BookingFactory)
    amount = factory.SelfAttribute("booking.total")
    currency = factory.SelfAttribute("booking.currency")
    method = "cash"
    provider = "desk"
    provider_reference = factory.Sequence(lambda n: f"desk_test_{n}")
    status = "succeeded"
    succeeded_at = factory.LazyFunction(timezone.now)


class WebhookEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "payments.WebhookEvent"

    provider = "simulated"
    event_id = factory.Sequence(lambda n: f"evt_test_{n}")
    kind = "payment.succeeded"
    payment = factory.SubFactory(PaymentFactory, method="online", provider="simulated")
    payload = factory.LazyAttribute(lambda event: {"id": event.event_id, "type": event.kind})
    outcome = "confirmed"


class RefundFactory(factory.django.DjangoModelFactory):
    """A refund requested by the guest for part of a payment; the payment's committed amount follows it."""

    class Meta:
        model = "refunds.Refund"
        skip_postgeneration_save = True

    payment = factory.SubFactory(PaymentFactory)
    booking = factory.SelfAttribute("payment.booking")
    amount = Decimal("50.00")
    currency = factory.SelfAttribute("payment.currency")
    reason = "Plans changed"
    requested_by = factory.SelfAttribute("booking.guest")

    @factory.post_generation
    def commit_on_payment(refund, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            refund.payment.refund_committed += refund.amount
            refund.payment.save(update_fields=["refund_committed", "updated_at"])


class OutboxEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "audit.OutboxEntry"

    collection = "audit_logs"
    document = factory.Sequence(lambda n: {"action": "update", "entity": "hotels.hotel", "entity_id": str(n)})


class IdempotencyKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "core.IdempotencyKey"

    user = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"key-{n}")
    fingerprint = "0" * 64
    state = "completed"
    response_status = 201
    response_body = factory.LazyFunction(lambda: {"ok": True})
    completed_at = factory.LazyFunction(timezone.now)


# --- Notifications and content ----------------------------------------------------------------------


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.Notification"

    user = factory.SubFactory(UserFactory)
    kind = "booking_confirmed"
    title = factory.Sequence(lambda n: f"Booking confirmed: HBS-{n:06d}")
    body = "Hotel, 2030-01-01 to 2030-01-03."
    link = "/bookings/"


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.NotificationPreference"

    user = factory.SubFactory(UserFactory)
    kind = "booking_cancelled"
    email = False


class PageFactory(factory.django.DjangoModelFactory):
    """A draft page (publishing goes through apps.cms.services.page_publish)."""

    class Meta:
        model = "cms.Page"

    slug = factory.Sequence(lambda n: f"page-{n}")
    title = factory.Sequence(lambda n: f"Page {n}")
    summary = "A page."
    body = "Some **text**."
    status = "draft"


class RoomBlockFactory(factory.django.DjangoModelFactory):
    """A room out of order for two nights a month from now."""

    class Meta:
        model = "bookings.RoomBlock"

    room = factory.SubFactory(RoomFactory)
    hotel = factory.SelfAttribute("room.hotel")
    start = factory.LazyFunction(lambda: timezone.now().date() + timedelta(days=30))
    end = factory.LazyAttribute(lambda b: b.start + timedelta(days=2))
    reason = "Leaking shower"


class ChannelFactory(factory.django.DjangoModelFactory):
    """A booking channel of one room type, export only unless given an import URL."""

    class Meta:
        model = "calendars.Channel"

    room_type = factory.SubFactory(RoomTypeFactory)
    hotel = factory.SelfAttribute("room_type.hotel")
    name = factory.Sequence(lambda n: f"Channel {n}")
    import_url = ""


class ChannelStayFactory(factory.django.DjangoModelFactory):
    """An event of a channel's feed that no room could hold (a conflict); held ones come from the import."""

    class Meta:
        model = "calendars.ChannelStay"

    channel = factory.SubFactory(ChannelFactory)
    uid = factory.Sequence(lambda n: f"event-{n}@channel")
    start = factory.LazyFunction(lambda: timezone.now().date() + timedelta(days=30))
    end = factory.LazyAttribute(lambda stay: stay.start + timedelta(days=2))
    conflict = True


class RoomTypeNightFactory(factory.django.DjangoModelFactory):
    """One night of a room type's inventory, written directly (the engine recounts rows from the bookings)."""

    class Meta:
        model = "bookings.RoomTypeNight"

    room_type = factory.SubFactory(RoomTypeFactory)
    hotel = factory.SelfAttribute("room_type.hotel")
    night = factory.LazyFunction(lambda: timezone.now().date() + timedelta(days=3))
    rooms = 1


# --- Guest relations -----------------------------------------------------------------------------------


class CheckedOutBookingFactory(BookingFactory):
    """A stay that is over: checked out yesterday, so its guest may review it."""

    check_in = factory.LazyFunction(lambda: timezone.now().date() - timedelta(days=3))
    check_out = factory.LazyAttribute(lambda b: b.check_in + timedelta(days=2))
    status = "checked_out"
    hold_expires_at = None
    checked_out_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class ReviewFactory(factory.django.DjangoModelFactory):
    """A published review inserted directly (the hotel's figures are the services' work: call them in tests)."""

    class Meta:
        model = "reviews.Review"

    booking = factory.SubFactory(CheckedOutBookingFactory)
    hotel = factory.SelfAttribute("booking.hotel")
    author = factory.SelfAttribute("booking.guest")
    rating = 4
    text = "Quiet room, friendly desk."
    stay_month = factory.LazyAttribute(lambda r: r.booking.check_in.replace(day=1))


class ReviewInviteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.ReviewInvite"

    booking = factory.SubFactory(CheckedOutBookingFactory)
    sent_at = factory.LazyFunction(timezone.now)


class SupportSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "support.SupportSettings"

    hotel = factory.SubFactory(HotelFactory)


class TicketFactory(factory.django.DjangoModelFactory):
    """An open ticket due in a day (the services compute due times; tests that need theirs call ticket_open)."""

    class Meta:
        model = "support.Ticket"

    hotel = factory.SubFactory(HotelFactory)
    guest = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"Question {n}")
    category = "other"
    priority = "normal"
    status = "open"
    first_response_due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    resolution_due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    due_at = factory.SelfAttribute("first_response_due_at")
    last_message_at = factory.LazyFunction(timezone.now)


class TicketMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "support.TicketMessage"

    ticket = factory.SubFactory(TicketFactory)
    author = factory.SelfAttribute("ticket.guest")
    from_staff = False
    body = "Is there parking?"


class TicketAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "support.TicketAttachment"

    message = factory.SubFactory(TicketMessageFactory)
    file = factory.django.FileField(filename="receipt.pdf", data=b"%PDF-1.4\n%test\n")
    name = "receipt.pdf"
    content_type = "application/pdf"
    size = 15
