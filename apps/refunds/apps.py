from django.apps import AppConfig


class RefundsConfig(AppConfig):
    name = "apps.refunds"
    label = "refunds"
    verbose_name = "Refunds"

    def ready(self) -> None:
        from apps.audit import registry
        from apps.refunds.models import Refund
        from apps.refunds.notifications import register_kinds

        registry.register(Refund)
        register_kinds()
