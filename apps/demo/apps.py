from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data command (`seed_demo`): it sits above every app, because it fills them all."""

    name = "apps.demo"
    label = "demo"
    verbose_name = "Demo data"
