from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "apps.staff"
    label = "staff"
    verbose_name = "Back office"

    def ready(self) -> None:
        from apps.core.panels import fill
        from apps.staff.panels import desk_actions

        fill("bookings.detail.actions", desk_actions, order=20)
