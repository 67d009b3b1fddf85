"""Racing writers in threads against the real PostgreSQL: the one way the race tests run them.

`race(actions, expected=(RoomUnavailable,))` starts every action at the same
instant (a barrier), closes each thread's connection, and answers each
action's outcome in order: its return value, or the expected domain error it
raised. Any other exception, and any thread still running after `timeout`
seconds (a deadlock or a lock held too long), fails the test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import connection


def race(
    actions: Sequence[Callable[[], Any]],
    *,
    expected: tuple[type[BaseException], ...] = (),
    timeout: float = 60.0,
) -> list[Any]:
    barrier = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)
    unexpected: list[str] = []
    lock = threading.Lock()

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            outcome: Any = action()
        except expected as error:
            outcome = error
        except BaseException as error:  # the test fails on it below, with its repr
            with lock:
                unexpected.append(f"action {index}: {error!r}")
            return
        finally:
            connection.close()
        outcomes[index] = outcome

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    stuck = [index for index, thread in enumerate(threads) if thread.is_alive()]
    if stuck:
        pytest.fail(f"actions {stuck} still running after {timeout} s: a deadlock or a lock never released")
    if unexpected:
        pytest.fail("unexpected exceptions in racing threads:\n" + "\n".join(unexpected))
    return outcomes


def kinds(outcomes: Sequence[Any]) -> list[str]:
    """Each outcome as a word: the error's code (or class name) for raised errors, "ok" otherwise."""
    return [
        getattr(outcome, "code", type(outcome).__name__) if isinstance(outcome, BaseException) else "ok"
        for outcome in outcomes
    ]
