from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "apps.cms"
    label = "cms"
    verbose_name = "Content pages"

    def ready(self) -> None:
        from apps.audit import registry
        from apps.cms import signals  # noqa: F401
        from apps.cms.demo import seed_pages
        from apps.cms.models import Page
        from apps.core.demo import register_seeder

        # The rendered copies follow from the Markdown: the audit keeps the source, not the HTML twice.
        registry.register(Page, exclude=("body_html", "published_body_html"))
        register_seeder("cms.pages", seed_pages)
