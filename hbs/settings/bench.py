"""Benchmarks (bench/): the test settings on a database of their own that survives between runs."""

import os

os.environ["CACHE_KEY_PREFIX"] = "hbs-bench"
os.environ["DATABASE_POOL"] = "true"  # measure what production runs
# One client sends thousands of requests a minute here: throttles would measure themselves.
os.environ.setdefault("THROTTLE_ANON", "1000000/min")
os.environ.setdefault("THROTTLE_USER", "1000000/min")

from .test import *  # noqa: F403
from .test import DATABASES

DATABASES["default"]["NAME"] = os.environ.get("BENCH_DATABASE_NAME", "hbs_bench")
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]  # the in-process client of bench/
# As in production: emails and other work are queued rows for the worker, not run inline.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
