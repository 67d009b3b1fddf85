"""What the server entry points (asgi.py, wsgi.py) check before loading Django."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured


def require_settings_module() -> str:
    """The settings module named in the environment; never a default, so a server cannot start as a laptop."""
    name = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    if not name:
        raise ImproperlyConfigured(
            "DJANGO_SETTINGS_MODULE is not set: name hbs.settings.production (or hbs.settings.local on a laptop)."
        )
    return name
