from django.apps import AppConfig


class HotelsConfig(AppConfig):
    name = "apps.hotels"
    label = "hotels"
    verbose_name = "Hotels and rooms"

    def ready(self) -> None:
        from apps.accounts import ports as account_ports
        from apps.audit import registry
        from apps.hotels import signals  # noqa: F401
        from apps.hotels.models import Amenity, Hotel, RateOverride, Room, RoomType
        from apps.hotels.selectors import hotel_slugs

        for model in (Hotel, Amenity, RoomType, Room, RateOverride):
            registry.register(model)
        registry.register_m2m(RoomType, "amenities")
        account_ports.hotel_slugs.provide(hotel_slugs)
