from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "apps.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        from apps.audit import registry
        from apps.payments.models import Payment, WebhookEvent
        from apps.payments.notifications import register_kinds

        # card_last4 is all we ever hold of a card; the raw event payload is kept on the row, not in the diff.
        registry.register(Payment)
        registry.register(WebhookEvent, exclude=("payload",))
        register_kinds()
