"""docker-compose cannot run here, so its file is checked against what the settings read."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS_SOURCE = (ROOT / "hbs" / "settings" / "base.py").read_text()


def required_variables() -> set[str]:
    """Variables base.py reads without a default: the app cannot start without them."""
    return set(re.findall(r'env(?:\.\w+)?\("([A-Z_]+)"\)', SETTINGS_SOURCE))


def app_environment(service: str) -> dict[str, str]:
    environment = COMPOSE["services"][service].get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return environment


def test_every_backing_service_is_there():
    services = COMPOSE["services"]
    assert {"db", "redis", "mongo", "web", "worker", "scheduler"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["mongo"]["image"].startswith("mongo:")


def test_app_services_get_every_variable_the_settings_require():
    for name in ("web", "worker", "scheduler"):
        environment = app_environment(name)
        assert {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY"} <= required_variables()
        missing = required_variables() - set(environment)
        assert not missing, f"{name} lacks {missing}"
        assert environment["DATABASE_URL"].split("@")[1].startswith("db:5432/")
        assert environment["REDIS_URL"].startswith("redis://redis:6379")
        assert environment["MONGODB_URL"].startswith("mongodb://mongo:27017")
        assert environment["DJANGO_SETTINGS_MODULE"] == "hbs.settings.production"


def test_app_services_wait_for_healthy_backends_and_web_has_a_healthcheck():
    for name in ("web", "worker", "scheduler"):
        depends = COMPOSE["services"][name]["depends_on"]
        assert {"db", "redis", "mongo"} <= set(depends)
        assert depends["db"]["condition"] == "service_healthy"
    assert "healthz" in " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])


def test_dockerfile_runs_as_non_root_and_collects_static():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.1[3-9][.\w-]*slim", dockerfile, re.M)
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    assert "collectstatic" in dockerfile
    assert "HEALTHCHECK" in dockerfile


def test_web_is_published_on_loopback_only_not_as_if_it_were_the_proxy():
    assert all(str(port).startswith("127.0.0.1:") for port in COMPOSE["services"]["web"]["ports"])
    assert "TRUSTED_PROXIES" in app_environment("web")
