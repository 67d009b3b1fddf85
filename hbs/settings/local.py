"""Local development: `make run`. DATABASE_URL and REDIS_URL come from hbs.devenv when unset."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
# A fixed key is fine for a laptop; production.py refuses to start without a real one.
os.environ.setdefault("DJANGO_SECRET_KEY", "local-development-only-not-a-secret-long-enough-for-jwt-hmac")
os.environ.setdefault("JWT_SIGNING_KEY", "local-development-only-jwt-signing-key-not-a-secret-either")
# The test-card page: takes no money, so production.py refuses it.
os.environ.setdefault("PAYMENT_ONLINE_PROVIDER", "simulated")
os.environ.setdefault("PAYMENT_WEBHOOK_SECRET", "local-development-only-webhook-secret")

from .base import *  # noqa: F403
from .base import STORAGES

WHITENOISE_USE_FINDERS = True
CHANNEL_IMPORT_ALLOW_PRIVATE = True  # feeds served on 127.0.0.1
WHITENOISE_AUTOREFRESH = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
