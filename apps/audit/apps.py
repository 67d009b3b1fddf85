from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from django.contrib import admin

        from apps.audit import audited, backups
        from apps.audit.admin import attach_history

        audited.register_defaults()
        backups.connect()
        # Admin modules are imported by the admin app's ready(), which runs first.
        attach_history(admin.site)
