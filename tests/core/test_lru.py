"""The process-local LRU behind the catalogue's local copies and the hotel page's reviews section."""

from __future__ import annotations

import threading

from apps.core.lru import LocalLru


def test_an_entry_counts_only_while_its_stamp_is_fresh():
    lru: LocalLru[str] = LocalLru(4)
    lru.put("catalogue", "generation-a", "hotels of a")
    assert lru.get("catalogue", fresh="generation-a".__eq__) == (True, "hotels of a")
    assert lru.get("catalogue", fresh="generation-b".__eq__) == (False, None)
    assert lru.get("unknown", fresh=lambda stamp: True) == (False, None)


def test_the_least_recently_read_goes_first():
    lru: LocalLru[int] = LocalLru(2)
    lru.put("a", 0, 1)
    lru.put("b", 0, 2)
    assert lru.get("a", fresh=lambda stamp: True) == (True, 1)  # "a" read last: "b" is the oldest now
    lru.put("c", 0, 3)
    assert [key for key in ("a", "b", "c") if lru.get(key, fresh=lambda stamp: True)[0]] == ["a", "c"]


def test_threads_writing_at_once_leave_it_within_its_size():
    lru: LocalLru[int] = LocalLru(50)

    def write(offset: int) -> None:
        for n in range(500):
            lru.put((offset, n), 0, n)
            lru.get((offset, n // 2), fresh=lambda stamp: True)

    threads = [threading.Thread(target=write, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(lru.entries) == 50
