from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "apps.bookings"
    label = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        from apps.audit import registry
        from apps.bookings.models import Booking, RoomBlock

        # Every state change also has its booking_logs line; the audit line carries the field diff.
        registry.register(Booking)
        registry.register(RoomBlock)
