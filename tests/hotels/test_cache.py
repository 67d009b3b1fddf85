"""The catalogue cache on real Redis: entries live as long as their generation, here and in each process."""

from __future__ import annotations

from django.core.cache import cache
from django.test import RequestFactory

from apps.core import context
from apps.hotels.cache import GENERATION_KEY, cached, forget_catalogue


def test_a_process_local_entry_is_rebuilt_after_a_catalogue_change_and_after_redis_loses_everything():
    builds: list[int] = []

    def build() -> int:
        builds.append(len(builds) + 1)
        return builds[-1]

    assert cached("probe", build, keep_local=True) == 1
    assert cached("probe", build, keep_local=True) == 1 and builds == [1]
    forget_catalogue()  # what every catalogue write does after commit
    assert cached("probe", build, keep_local=True) == 2
    cache.delete_pattern("*")  # Redis restarted empty: the generation itself is gone
    assert cached("probe", build, keep_local=True) == 3
    assert cached("probe", build) == 3  # the shared copy in Redis holds the same value
    assert builds == [1, 2, 3]


def test_a_request_reads_one_catalogue_throughout_except_after_its_own_change():
    builds: list[int] = []

    def build() -> int:
        builds.append(len(builds) + 1)
        return builds[-1]

    token = context.set_current(context.RequestContext(request=RequestFactory().get("/")))
    try:
        assert cached("probe", build, keep_local=True) == 1
        cache.set(GENERATION_KEY, "changed-by-another-process", None)
        assert cached("probe", build, keep_local=True) == 1  # mid-request, the request's catalogue holds
        forget_catalogue()  # this request changed the catalogue itself
        assert cached("probe", build, keep_local=True) == 2
    finally:
        context.reset(token)
    assert cached("probe", build, keep_local=True) == 2  # the next reader shares the new generation
