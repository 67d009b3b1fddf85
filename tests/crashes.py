"""A test whose worker process dies runs once more, on a fresh worker; a second death fails it.

A worker dies only when the interpreter itself goes down (a segmentation fault in a C
extension such as a driver, an event loop or the greenlets behind Playwright's sync API),
never on a failed assertion or an exception: those are reported as they are and never run
again. pytest-xdist reports a dead worker's test as failed and starts a new worker; here
the test goes back to the queue once instead, and the run says so in its summary, with
the dead worker's stack (faulthandler's) printed above it, so a crash is never hidden.

Loaded by tests/conftest.py in the controlling process (the hooks run there) and by its
own test, tests/test_crashes.py, in a run of its own.
"""

from __future__ import annotations

from typing import Any

import pytest

_deaths: dict[str, int] = {}


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: absent when xdist is not loaded
def pytest_handlecrashitem(crashitem: str, report: pytest.TestReport, sched: Any) -> None:
    """pytest-xdist's hook for the test a dead worker was running."""
    _deaths[crashitem] = _deaths.get(crashitem, 0) + 1
    if _deaths[crashitem] > 1:
        return  # the second death: the failure stands
    sched.mark_test_pending(crashitem)
    report.outcome = "rerun"  # type: ignore[assignment]


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(report: pytest.TestReport) -> tuple[str, str, tuple[str, dict[str, bool]]] | None:
    if report.outcome == "rerun":
        return "rerun", "R", ("RERUN", {"yellow": True})
    return None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _deaths:
        return
    terminalreporter.section("workers that died", sep="=", yellow=True)
    for nodeid, deaths in _deaths.items():
        if deaths == 1:
            terminalreporter.line(f"{nodeid}: its worker died once; it ran again on a new worker")
        else:
            terminalreporter.line(f"{nodeid}: its worker died twice; failed")
