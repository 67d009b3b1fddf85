"""The API's general request limits (REST_FRAMEWORK's "anon" and "user" rates) on the fixed-window limiter.

DRF's own throttles keep a list of timestamps per client that is read and
written whole on every request, two Redis round trips each, and its anonymous
and user throttles both run for every anonymous request. One counter per
client and window costs one round trip, and a throttled request gets the same
429 (with Retry-After) as a throttled login.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from apps.core.middleware import client_ip
from apps.core.ratelimit import Limit, hit

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/min" → (120, 60), as DRF reads its rates (the period's first letter counts)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


class ApiRateThrottle(BaseThrottle):
    """Per user when signed in, else per client address; rates from DEFAULT_THROTTLE_RATES."""

    def allow_request(self, request: Request, view: Any) -> bool:
        user = request.user
        if user is not None and user.is_authenticated:
            scope, subject = "user", f"user:{user.pk}"
        else:
            scope, subject = "anon", f"ip:{client_ip(request)}"
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
        if rate:
            count, seconds = parse_rate(str(rate))
            hit(Limit(name=f"api-{scope}", count=count, seconds=seconds), subject)  # raises Throttled: 429
        return True
