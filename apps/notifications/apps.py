from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from apps.audit import registry
        from apps.notifications.models import Notification, NotificationPreference

        # Reading is the person's own bookkeeping, like a last login: not an audited change.
        registry.register(Notification, exclude=("read_at",))
        registry.register(NotificationPreference)
