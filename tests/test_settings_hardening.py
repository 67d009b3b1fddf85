"""Settings that are easy to get wrong: loaded as a server would load them, in a process of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "hbs.settings.production",
    "DJANGO_SECRET_KEY": "production-secret-key-for-the-settings-test-only-0123456789",
    "JWT_SIGNING_KEY": "a-jwt-signing-key-of-its-own-for-the-settings-test-0123456789",
    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    "DATABASE_POOL": "false",
    "REDIS_URL": "redis://127.0.0.1:1/0",
    "DJANGO_ALLOWED_HOSTS": "hotel.example.com",
}


def run(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}  # nothing of the tests
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env={**base, **env}, capture_output=True, text=True, timeout=600
    )


def test_check_deploy_with_the_production_settings_reports_nothing_schema_warnings_included():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_entry_points_refuse_to_guess_the_settings():
    assert "DJANGO_SETTINGS_MODULE is not set" in run(["manage.py", "check"], {}).stderr
    for module in ("hbs.asgi", "hbs.wsgi"):
        result = run(["-c", f"import {module}"], {})
        assert result.returncode != 0 and "DJANGO_SETTINGS_MODULE is not set" in result.stderr, module


def test_the_procfile_and_compose_name_the_production_settings():
    for line in (ROOT / "Procfile").read_text().splitlines():
        assert "DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-hbs.settings.production}" in line, line
    assert "DJANGO_SETTINGS_MODULE: hbs.settings.production" in (ROOT / "docker-compose.yml").read_text()


def test_the_local_settings_do_not_turn_debug_on_against_what_dotenv_says(tmp_path):
    # A copy of the settings package beside a .env, as a deployment configured only through .env has it.
    (tmp_path / "hbs").mkdir()
    subprocess.run(["cp", "-r", str(ROOT / "hbs" / "settings"), str(tmp_path / "hbs" / "settings")], check=True)
    (tmp_path / "hbs" / "__init__.py").write_text("")
    (tmp_path / ".env").write_text("DJANGO_DEBUG=false\nDJANGO_SECRET_KEY=from-dotenv-" + "x" * 40 + "\n")
    probe = "import hbs.settings.local as s; print('DEBUG', s.DEBUG); print('KEY', s.SECRET_KEY[:12])"
    env = {
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "PYTHONPATH": f"{tmp_path}:{ROOT}",
    }
    result = run(["-c", probe], env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout and "KEY from-dotenv-" in result.stdout
