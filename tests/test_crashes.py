"""tests/crashes.py in a pytest run of its own, on two xdist workers scheduled as the suite is (worksteal):
a worker that dies once, one that always dies, a failed assertion and a pass."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SUITE = """
import os
from pathlib import Path

RUNS = Path(os.environ["CRASH_RUNS"])


def _count(name):
    with (RUNS / name).open("a") as runs:
        runs.write("x")
    return len((RUNS / name).read_text())


def test_dies_the_first_time():
    if _count("once") == 1:
        os.abort()


def test_dies_every_time():
    _count("always")
    os.abort()


def test_fails_an_assertion():
    _count("assertion")
    assert 1 == 2


def test_passes():
    _count("pass")
"""


def test_a_dead_workers_test_runs_once_more_and_a_failed_assertion_never(tmp_path):
    (tmp_path / "test_suite.py").write_text(SUITE)
    runs = tmp_path / "runs"
    runs.mkdir()
    environment = {**os.environ, "CRASH_RUNS": str(runs), "PYTHONPATH": str(ROOT)}
    environment.pop("PYTEST_XDIST_WORKER", None)
    environment.pop("PYTEST_ADDOPTS", None)
    options = ["-n", "2", "--dist", "worksteal", "-p", "tests.crashes", "-p", "no:django", "-p", "no:cacheprovider"]
    alone = ["-c", os.devnull, "--rootdir", str(tmp_path)]  # none of the project's settings
    run = subprocess.run(
        [sys.executable, "-m", "pytest", *options, *alone, str(tmp_path / "test_suite.py")],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    summary = run.stdout.strip().splitlines()[-1]
    assert "2 failed" in summary and "2 passed" in summary and "2 rerun" in summary, output
    assert {name: len((runs / name).read_text()) for name in ("once", "always", "assertion", "pass")} == {
        "once": 2,  # died, then passed on a new worker
        "always": 2,  # died twice: failed
        "assertion": 1,  # never run again
        "pass": 1,
    }
    assert "workers that died" in output
    assert "test_suite.py::test_dies_the_first_time: its worker died once; it ran again on a new worker" in output
    assert "test_suite.py::test_dies_every_time: its worker died twice; failed" in output
    assert "crashed while running 'test_suite.py::test_dies_every_time'" in output
