from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """Models that exist only in tests, to exercise the base classes on a real table."""

    name = "tests.testapp"
    label = "testapp"
