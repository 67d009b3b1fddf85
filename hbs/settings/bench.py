"""Benchmarks (bench/): the test settings on a database of their own that survives between runs."""

import os

# A bench database of another name (BENCH_DATABASE_NAME) gets cache keys of its own: cached rows carry ids.
os.environ.setdefault("BENCH_DATABASE_NAME", "hbs_bench")
os.environ["CACHE_KEY_PREFIX"] = "hbs-bench" + (
    "" if os.environ["BENCH_DATABASE_NAME"] == "hbs_bench" else "-" + os.environ["BENCH_DATABASE_NAME"]
)
os.environ["DATABASE_POOL"] = "true"  # measure what production runs
# One client sends thousands of requests a minute here: throttles would measure themselves.
os.environ.setdefault("THROTTLE_ANON", "1000000/min")
os.environ.setdefault("THROTTLE_USER", "1000000/min")

from .test import *  # noqa: F403
from .test import DATABASES

DATABASES["default"]["NAME"] = os.environ["BENCH_DATABASE_NAME"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]  # the in-process client of bench/
# As in production: emails and other work are queued rows for the worker, not run inline.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# bench/floor.py serves with the request log line on, as production writes it (LOG_LEVEL INFO).
if os.environ.get("BENCH_REQUEST_LOG") == "1":
    from .test import LOGGING

    LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "hbs": {**LOGGING["loggers"]["hbs"], "level": "INFO"}}}
