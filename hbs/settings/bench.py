"""Benchmarks (bench/): the test settings on a database of their own that survives between runs."""

import os

os.environ["CACHE_KEY_PREFIX"] = "hbs-bench"

from .test import *  # noqa: F403
from .test import DATABASES

DATABASES["default"]["NAME"] = os.environ.get("BENCH_DATABASE_NAME", "hbs_bench")
DATABASES["default"]["CONN_MAX_AGE"] = 600
