from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "apps.bookings"
    label = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        from apps.audit import registry
        from apps.bookings import inventory
        from apps.bookings.models import Booking, RoomBlock
        from apps.bookings.notifications import register_kinds
        from apps.bookings.selectors import room_has_stays
        from apps.hotels import ports as hotel_ports

        # Every state change also has its booking_logs line; the audit line carries the field diff.
        registry.register(Booking, ref="reference")
        registry.register(RoomBlock)
        register_kinds()
        hotel_ports.room_has_stays.provide(room_has_stays)
        hotel_ports.room_supply_changed.provide(inventory.room_supply_changed)
        inventory.connect()
