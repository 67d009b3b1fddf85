"""The request floor: requests/s and p50/p95/p99 under load for each way of serving HTTP, in one run.

Run: .venv/bin/python -m hbs.devenv bench bench/floor.py [SETUP ...]
Needs wrk, Debian's package: `apt-get install -y wrk` (the bench says so when it is missing).

For each serving set-up (a real server with FLOOR_WORKERS processes, default 4), wrk keeps
FLOOR_CONNECTIONS (16) keep-alive connections busy for FLOOR_SECONDS (10) on:
  - GET /healthz, which does nothing: the floor every answer stands on;
  - GET /api/v1/availability/, 30-night windows on random dates of the big hotel, anonymous;
  - GET /pages/about/, a guest page: templates, CSP nonce, context processors.
Rounds (FLOOR_ROUNDS, 2) go through every set-up in turn, so a change of the machine's load falls
on all of them; each figure is printed with the load average (1 min) beside it, then the median
of the rounds. The machine has 2 cores and wrk takes its share of them.

Before the load, the queries and Redis commands of one request of each kind, in-process.
FLOOR_PROFILE=1 also samples one worker of each set-up with py-spy (from requirements-dev.txt) during
the /healthz and availability loads, and prints how much of its threads' time waits (on PostgreSQL,
Redis, or nothing) and where the rest goes: own samples, and the share under a few telltale frames.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.request import urlopen

from common import big_hotel

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("FLOOR_SECONDS", "10"))
ROUNDS = int(os.environ.get("FLOOR_ROUNDS", "2"))
CONNECTIONS = int(os.environ.get("FLOOR_CONNECTIONS", "16"))
WORKERS = int(os.environ.get("FLOOR_WORKERS", "4"))
THREADS = int(os.environ.get("HTTP_THREADS", "8"))
PROFILE = os.environ.get("FLOOR_PROFILE", "") == "1"
GUEST_PAGE = "/pages/about/"

# name -> command line ({port}); the first is how HTTP was served before, the last how it is served now.
SETUPS: dict[str, list[str]] = {
    "before: uvicorn + Django's ASGI handler": [
        "uvicorn", "bench.servers:django_asgi_sync_middleware", "--port", "{port}", "--workers", str(WORKERS),
        "--log-level", "warning",
    ],
    "uvicorn + Django's ASGI handler, our middleware async": [
        "uvicorn", "bench.servers:django_asgi", "--port", "{port}", "--workers", str(WORKERS),
        "--log-level", "warning",
    ],
    "gunicorn gthread (WSGI; /ws/ needs a 2nd server)": [
        "gunicorn", "hbs.wsgi:application", "--bind", "127.0.0.1:{port}", "--workers", str(WORKERS),
        "--worker-class", "gthread", "--threads", str(THREADS), "--log-level", "warning",
    ],
    "after: uvicorn + hbs.asgi (thread pool)": [
        "uvicorn", "hbs.asgi:application", "--port", "{port}", "--workers", str(WORKERS), "--log-level", "warning",
    ],
}  # fmt: skip

WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end
init = function(args)
  math.randomseed(19 + 7919 * id)
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'FLOOR {"requests": %%d, "duration_us": %%d, "p50": %%d, "p95": %%d, "p99": %%d, "errors": %%d, "status": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def main() -> None:
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("bench/floor.py needs wrk: `apt-get install -y wrk` (Debian's package), then run it again.")
    chosen = sys.argv[1:]
    setups = {name: argv for name, argv in SETUPS.items() if not chosen or any(c in name for c in chosen)}
    hotel = big_hotel()
    targets = {
        "/healthz": ["/healthz"],
        "availability, 30 nights": availability_paths(hotel),
        "guest page " + GUEST_PAGE: [GUEST_PAGE],
    }
    print_costs(hotel, {**targets, "static file": ["/static/css/hbs.css"]})
    print(
        f"\n{WORKERS} workers, {CONNECTIONS} connections, {SECONDS} s a figure, {ROUNDS} rounds, "
        f"{os.cpu_count()} cores; load = 1-minute load average when the figure starts"
    )
    results: dict[tuple[str, str], list[dict]] = {}
    with tempfile.TemporaryDirectory() as scripts:
        lua = {}
        for target, paths in targets.items():
            lua[target] = Path(scripts) / f"{len(lua)}.lua"
            lua[target].write_text(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths)})
        for round_number in range(1, ROUNDS + 1):
            print(f"\n-- round {round_number}")
            for name, argv in setups.items():
                print(name)
                with server(argv) as (port, pids):
                    run_wrk(wrk, port, lua["/healthz"], 2)  # warm up every worker
                    for target in targets:
                        figures = run_wrk(wrk, port, lua[target], SECONDS)
                        results.setdefault((name, target), []).append(figures)
                        print(f"  {target:<28} {line(figures)}")
                    if PROFILE and round_number == 1:
                        for target in ("/healthz", "availability, 30 nights"):
                            profile(wrk, port, target, lua[target], pids)
    print(f"\n-- median of {ROUNDS} rounds (requests/s, p50/p95/p99 ms; load = mean over the figures)")
    for target in targets:
        print(target)
        for name in setups:
            runs = results[(name, target)]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            median["errors"] = sum(run["errors"] for run in runs)
            median["status"] = sum(run["status"] for run in runs)
            print(f"  {name:<56} {line(median)}")


def availability_paths(hotel, count: int = 2000) -> list[str]:  # type: ignore[no-untyped-def]
    from apps.hotels.stays import hotel_today

    today = hotel_today(hotel)
    chooser = random.Random(19)
    paths = []
    for _ in range(count):
        check_in = today + timedelta(days=chooser.randrange(1, 330))
        check_out = check_in + timedelta(days=30)
        paths.append(f"/api/v1/availability/?hotel={hotel.slug}&check_in={check_in}&check_out={check_out}&adults=2")
    return paths


def line(figures: dict) -> str:
    problems = ""
    if figures["errors"] or figures["status"]:
        problems = f"  ERRORS {figures['errors']} socket, {figures['status']} non-2xx"
    return (
        f"{figures['rps']:7.0f} req/s  p50 {figures['p50']:6.1f}  p95 {figures['p95']:6.1f}  "
        f"p99 {figures['p99']:6.1f} ms  load {figures['load']:4.1f}{problems}"
    )


def run_wrk(wrk: str, port: int, script: Path, seconds: int) -> dict:
    load = os.getloadavg()[0]
    threads = str(min(2, CONNECTIONS))
    out = subprocess.run(
        [
            wrk,
            "-t",
            threads,
            "-c",
            str(CONNECTIONS),
            "-d",
            f"{seconds}s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    raw = json.loads(next(row for row in out.splitlines() if row.startswith("FLOOR "))[6:])
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50": raw["p50"] / 1000,
        "p95": raw["p95"] / 1000,
        "p99": raw["p99"] / 1000,
        "errors": raw["errors"],
        "status": raw["status"],
        "load": load,
    }


class server:
    """A serving set-up on a free port, started in its own process group and stopped with it."""

    def __init__(self, argv: list[str]) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.argv = [str(VENV_BIN / argv[0]), *(part.format(port=self.port) for part in argv[1:])]

    def __enter__(self) -> tuple[int, list[int]]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hbs.settings.bench",
            "PYTHONPATH": str(ROOT),
            "BENCH_REQUEST_LOG": "1",  # one JSON line per request, as in production; to a file here
        }
        # The servers' own complaints (a client gone at the end of a run) go to a file, shown if it fails to start.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            self.argv, cwd=ROOT, env=env, start_new_session=True, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.__exit__()
                    self.log.seek(0)
                    sys.stderr.write(self.log.read().decode(errors="replace")[-4000:])
                    raise RuntimeError(f"{' '.join(self.argv)} did not start") from None
                time.sleep(0.3)
        return self.port, workers_of(self.process.pid)

    def __exit__(self, *_: object) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.seek(0)
        complaints = self.log.read().decode(errors="replace").count("Exception in ASGI application")
        if complaints:
            print(f"  (the server logged {complaints} 'Exception in ASGI application', clients leaving at the end)")
        self.log.close()


def workers_of(pid: int) -> list[int]:
    import psutil

    children = psutil.Process(pid).children(recursive=True)
    return [child.pid for child in children if "multiprocessing.resource_tracker" not in " ".join(child.cmdline())]


# --- What one request costs in queries and Redis commands ---------------------------------------


def print_costs(hotel, targets: dict[str, list[str]]) -> None:  # type: ignore[no-untyped-def]
    """Queries and Redis commands of one request, in-process, with and without a session, once warm."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.accounts.models import User
    from apps.accounts.tokens import tokens_for

    guest = User.objects.get(email="guest@hbs.test")
    signed_in = Client()
    signed_in.force_login(guest)
    bearer = Client(headers={"Authorization": f"Bearer {tokens_for(guest)['access']}"})
    clients = {"anonymous": Client(), "session": signed_in, "bearer": bearer}
    print("\nqueries / Redis commands of one request (in-process, warm):")
    for target, paths in targets.items():
        row = []
        for label, client in clients.items():
            client.get(paths[0])
            with CaptureQueriesContext(connection) as queries, RedisCounter() as redis:
                status = client.get(paths[1 % len(paths)]).status_code
            row.append(f"{label} {len(queries)} / {redis.count} ({status})")
        print(f"  {target:<28} " + "   ".join(row))
        if os.environ.get("FLOOR_VERBOSE"):
            for sql in queries.captured_queries:
                print("     ", sql["sql"][:160])
            print("     ", redis.commands)


class RedisCounter:
    """Counts round trips to Redis (a pipeline is one) and the commands sent, while it is entered."""

    def __enter__(self) -> RedisCounter:
        import redis.client

        self.count = 0
        self.commands: list[str] = []
        self.saved = (redis.client.Redis.execute_command, redis.client.Pipeline.execute)
        plain, pipelined = self.saved
        counter = self

        def execute_command(client, *args, **options):  # type: ignore[no-untyped-def]
            counter.count += 1
            counter.commands.append(str(args[0]))
            return plain(client, *args, **options)

        def execute(pipeline, *args, **options):  # type: ignore[no-untyped-def]
            counter.count += 1
            counter.commands.append("PIPELINE " + " ".join(str(c[0][0]) for c in pipeline.command_stack))
            return pipelined(pipeline, *args, **options)

        redis.client.Redis.execute_command = execute_command  # type: ignore[method-assign]
        redis.client.Pipeline.execute = execute  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        import redis.client

        redis.client.Redis.execute_command, redis.client.Pipeline.execute = self.saved  # type: ignore[method-assign]


# --- Where a worker's time goes ------------------------------------------------------------------

TELLTALES = ("Thread.start", "_adjust_thread_count", "SyncToAsync.__call__", "AsyncToSync.__call__")


def profile(wrk: str, port: int, target: str, script: Path, pids: list[int]) -> None:
    py_spy = VENV_BIN / "py-spy"
    if not py_spy.exists() or not pids:
        print("  (profile: py-spy missing from the virtualenv)")
        return
    with tempfile.NamedTemporaryFile(suffix=".txt") as out:
        load = subprocess.Popen(
            [
                wrk,
                "-t2",
                "-c",
                str(CONNECTIONS),
                "-d",
                f"{SECONDS + 2}s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}",
            ],
            stdout=subprocess.DEVNULL,
        )
        busiest = busiest_of(pids)  # connections stay with the worker that accepted them: not all get load
        subprocess.run(
            [str(py_spy), "record", "--pid", str(busiest), "--duration", str(SECONDS), "--rate", "200",
             "--format", "raw", "--output", out.name, "--nonblocking", "--threads"],
            capture_output=True, check=False,
        )  # fmt: skip
        load.wait()
        stacks = [row.rsplit(" ", 1) for row in Path(out.name).read_text().splitlines() if row.strip()]
    waits: Counter[str] = Counter()
    own: Counter[str] = Counter()
    under: Counter[str] = Counter()
    total = 0
    for stack, count in stacks:
        frames = [frame for frame in stack.split(";") if not frame.startswith("thread (")]
        if not frames:
            continue
        samples = int(count)
        total += samples
        waiting = waited_on(frames[-1])
        if waiting:
            waits[waiting] += samples
            continue
        own[short(frames[-1])] += samples
        for telltale in {t for t in TELLTALES for frame in frames if t in frame}:
            under[telltale] += samples
    running = total - sum(waits.values())
    if not running:
        print("  (profile: no samples)")
        return
    print(
        f"  profile of one worker under the {target} load, {total} samples of its threads: "
        + ", ".join(f"{name} {samples / total:.0%}" for name, samples in waits.most_common())
        + f", running Python {running / total:.0%}; of that, top own time:"
    )
    for frame, samples in own.most_common(8):
        print(f"    {samples / running:6.1%}  {frame}")
    print("  under (share of running): " + ", ".join(f"{t} {under[t] / running:.1%}" for t in TELLTALES))


WAITS = {
    "waiting on PostgreSQL": ("psycopg",),
    "waiting on Redis": ("redis/",),
    "idle (event loop, pool threads, locks)": (
        "Runner.run (", "run_forever (", "select (", "Condition.wait (", "_worker (", "Thread.join (",
        "Event.wait (", "sleep (", "wait (threading.py", "Lock.acquire (",
    ),
}  # fmt: skip


def busiest_of(pids: list[int]) -> int:
    """The worker that used the most CPU over the next second."""
    import psutil

    workers = [psutil.Process(pid) for pid in pids]
    before = [sum(worker.cpu_times()[:2]) for worker in workers]
    time.sleep(1)
    used = [sum(worker.cpu_times()[:2]) - start for worker, start in zip(workers, before, strict=True)]
    return pids[used.index(max(used))]


def waited_on(leaf: str) -> str:
    """What a stack whose innermost frame is `leaf` waits on, or "" when it runs Python."""
    return next((name for name, marks in WAITS.items() if any(mark in leaf for mark in marks)), "")


def short(frame: str) -> str:
    """`func (path/to/module.py:12)` -> `func (module.py)`."""
    name, _, where = frame.partition(" (")
    return f"{name} ({Path(where.split(':')[0]).name})"


if __name__ == "__main__":
    main()
