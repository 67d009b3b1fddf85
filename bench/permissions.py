"""Permission check time, cold (computed from PostgreSQL) vs warm (from Redis).

Run: .venv/bin/python -m hbs.devenv bench bench/permissions.py
A user holds hotel roles at 50 objects and two global roles; we time
`user_has_perm` on a fresh user object (as each request has), with the cache
emptied before every cold sample and left alone for warm ones.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbs.settings.bench")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import transaction  # noqa: E402

from apps.accounts import permissions  # noqa: E402
from apps.accounts.models import User  # noqa: E402
from apps.accounts.roles import AUDITOR, FRONT_DESK, GUEST  # noqa: E402
from apps.accounts.services import object_role_grant, role_assign  # noqa: E402
from tests.testapp.models import Widget  # noqa: E402

SAMPLES = 300


def setup() -> tuple[User, Widget]:
    with transaction.atomic():
        user, _ = User.objects.get_or_create(email="bench-perms@hbs.test")
        widgets = [Widget.objects.get_or_create(code=f"bench-{n}")[0] for n in range(50)]
        for widget in widgets:
            object_role_grant(user=user, role=FRONT_DESK, scope=widget)
        for role in (GUEST, AUDITOR):
            role_assign(user=user, role=role)
    return user, widgets[-1]


def time_checks(user_id: int, target: Widget, *, cold: bool) -> list[float]:
    samples = []
    for _ in range(SAMPLES):
        user = User.objects.get(pk=user_id)  # each request loads its own user
        if cold:
            permissions.forget_user(user_id)
        started = time.perf_counter()
        permissions.user_has_perm(user, "testapp.view_widget", target)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(f"{name:>5}: p50 {statistics.median(ordered):.3f} ms  p95 {p95:.3f} ms  ({len(ordered)} checks)")


def main() -> None:
    cache.delete_pattern("perm:*")
    user, target = setup()
    report("cold", time_checks(user.pk, target, cold=True))
    permissions.user_has_perm(User.objects.get(pk=user.pk), "testapp.view_widget", target)  # warm it
    report("warm", time_checks(user.pk, target, cold=False))


if __name__ == "__main__":
    main()
