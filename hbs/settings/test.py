"""Tests: real PostgreSQL and Redis (hbs.devenv sets the URLs), MongoDB through mongomock."""

import hashlib
import os
import tempfile
from pathlib import Path

# Several checkouts may test against one server at once: each gets its own
# test database and cache key space, named after its folder.
# Under pytest-xdist each worker is a checkout of its own too (gw0, gw1, ...).
_FOLDER = str(Path(__file__).resolve().parent.parent.parent).encode()
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "").encode()
_CHECKOUT = hashlib.sha1(_FOLDER + _WORKER, usedforsecurity=False).hexdigest()[:8]

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-a-secret-but-long-enough-for-hmac-sha256")
os.environ.setdefault("JWT_SIGNING_KEY", "test-only-jwt-signing-key-long-enough-for-hmac-sha256")
os.environ.setdefault("PAYMENT_ONLINE_PROVIDER", "simulated")
os.environ.setdefault("PAYMENT_WEBHOOK_SECRET", "test-only-webhook-secret")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hbs")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
if _WORKER:  # a worker inherits the controller's environment, prefix included: its own replaces it
    os.environ["CACHE_KEY_PREFIX"] = f"hbs-test-{_CHECKOUT}"
os.environ.setdefault("CACHE_KEY_PREFIX", f"hbs-test-{_CHECKOUT}")
# Tests open and close connections per thread on purpose (races); a pool would only hide that.
os.environ.setdefault("DATABASE_POOL", "false")
# The client factory gives a mongomock client for this URL.
os.environ["MONGODB_URL"] = "mongomock://localhost"

from .base import *  # noqa: E402,F403
from .base import DATABASES, LOGGING, STORAGES  # noqa: E402

DATABASES["default"]["TEST"] = {"NAME": f"test_hbs_{_CHECKOUT}"}

DEBUG = False
# A test that meets a slow Redis counts its attempts inside its own transaction; the fallback's own tests
# use the separate connection production uses.
RATE_LIMIT_DATABASE = "default"
# Each test starts with an empty cache, so the epoch is read once, on its first (cold) check.
AUTH_CACHE_EPOCH_TTL = 300
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tasks run at once in tests (emails land in mail.outbox on commit); the
# database backend stays available as "db" for the tests of the worker itself.
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "db": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
WHITENOISE_USE_FINDERS = True
CHANNEL_IMPORT_ALLOW_PRIVATE = True  # feeds served on 127.0.0.1
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Each checkout's own folder: tests of several checkouts may run at once.
    "attachments": {
        "BACKEND": "apps.core.storage.PrivateFileSystemStorage",
        "OPTIONS": {
            "location": str(Path(tempfile.gettempdir()) / f"hbs-test-attachments-{_CHECKOUT}"),
            "base_url": None,
        },
    },
}
LOGGING = {
    **LOGGING,
    "loggers": {**LOGGING["loggers"], "hbs": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}

from .base import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]

# A test database is thrown away: its commits need not wait for the disk (PostgreSQL's synchronous_commit,
# per connection). Locks, constraints and what other connections see are unchanged.
DATABASES["default"]["OPTIONS"]["options"] = "-c synchronous_commit=off"
