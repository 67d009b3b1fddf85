from django.apps import AppConfig


class RefundsConfig(AppConfig):
    name = "apps.refunds"
    label = "refunds"
    verbose_name = "Refunds"

    def ready(self) -> None:
        from apps.audit import registry
        from apps.bookings import ports as booking_ports
        from apps.core import panels
        from apps.payments import ports as payment_ports
        from apps.refunds.models import Refund
        from apps.refunds.notifications import register_kinds
        from apps.refunds.services import refund_create_automatic, refund_propose_for_cancellation
        from apps.refunds.views import booking_refund_link_panel

        registry.register(Refund, ref="provider_reference")  # empty until the provider has it
        register_kinds()
        booking_ports.propose_refund.provide(refund_propose_for_cancellation)
        payment_ports.give_back.provide(refund_create_automatic)
        panels.fill("bookings.detail.sections", booking_refund_link_panel, order=20)
