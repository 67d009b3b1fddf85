from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "apps.offers"
    label = "offers"
    verbose_name = "Offers"

    def ready(self) -> None:
        from apps.audit import registry
        from apps.core import panels
        from apps.offers import signals
        from apps.offers.models import Offer
        from apps.offers.views import staff_hotel_offers_panel

        signals.connect()
        panels.fill("hotels.staff_hotel", staff_hotel_offers_panel, order=40)

        # times_used moves with every redemption (an atomic UPDATE, not a save): no diff noise from it.
        registry.register(Offer, exclude=("times_used",), ref="code")
        registry.register_m2m(Offer, "room_types")
