from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "apps.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        from apps.audit import registry
        from apps.bookings import ports as booking_ports
        from apps.core import panels
        from apps.payments import views
        from apps.payments.models import Payment, WebhookEvent
        from apps.payments.notifications import register_kinds
        from apps.payments.selectors import refundable_amount
        from apps.payments.services import amount_due_locked

        # card_last4 is all we ever hold of a card; the raw event payload is kept on the row, not in the diff.
        registry.register(Payment, ref="provider_reference")
        registry.register(WebhookEvent, exclude=("payload",), ref="event_id")
        register_kinds()
        booking_ports.paid_so_far.provide(refundable_amount)
        booking_ports.amount_due.provide(amount_due_locked)
        panels.fill("bookings.detail.status", views.booking_status_panel)
        panels.fill("bookings.detail.pay_ways", views.booking_pay_online_panel)
        panels.fill("bookings.detail.sections", views.booking_payments_panel, order=10)
        panels.fill("bookings.detail.actions", views.booking_desk_action_panel, order=10)
