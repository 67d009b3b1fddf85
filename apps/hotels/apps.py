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

        # The review figures are derived from audited reviews: their recount is not a change of the hotel.
        registry.register(
            Hotel, exclude=("rating", "review_count", *(f"rating_{c}" for c in Hotel.RATING_CATEGORIES)), ref="slug"
        )
        registry.register(Amenity, ref="code")
        for model in (RoomType, Room, RateOverride):  # no key of their own beyond the hotel's
            registry.register(model)
        registry.register_m2m(RoomType, "amenities")
        account_ports.hotel_slugs.provide(hotel_slugs)
