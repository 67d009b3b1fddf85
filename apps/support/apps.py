from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "apps.support"
    label = "support"
    verbose_name = "Support tickets"

    def ready(self) -> None:
        from apps.audit import registry
        from apps.core import panels
        from apps.support import views
        from apps.support.models import SupportSettings, Ticket, TicketAttachment, TicketMessage
        from apps.support.notifications import register_kinds

        registry.register(Ticket)
        # A message's text is the guest's own words: the audit line says a message was written, not what.
        registry.register(TicketMessage, mask=("body",))
        registry.register(TicketAttachment)
        registry.register(SupportSettings)
        register_kinds()
        # The booking pages name these slots; bookings never imports support.
        panels.fill("bookings.detail.actions", views.booking_help_panel, order=60)
        panels.fill_rows("bookings.list", views.booking_help_rows, order=60)
