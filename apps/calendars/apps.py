from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "apps.calendars"
    label = "calendars"
    verbose_name = "Channel calendars"

    def ready(self) -> None:
        from apps.audit import registry
        from apps.calendars import views
        from apps.calendars.models import Channel, ChannelStay
        from apps.calendars.notifications import register_kinds
        from apps.core import panels

        # The export secret is a credential: the audit line says it changed, never what it is.
        registry.register(Channel, mask=("export_token",), ref="name")
        registry.register(ChannelStay, ref="uid")
        register_kinds()
        panels.fill("hotels.staff_hotel", views.staff_hotel_channels_panel, order=50)
