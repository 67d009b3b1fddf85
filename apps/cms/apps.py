from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "apps.cms"
    label = "cms"
    verbose_name = "Content pages"

    def ready(self) -> None:
        from apps.audit import registry
        from apps.cms import signals  # noqa: F401
        from apps.cms.models import Page

        # The rendered copies follow from the Markdown: the audit keeps the source, not the HTML twice.
        registry.register(Page, exclude=("body_html", "published_body_html"), ref="slug")
