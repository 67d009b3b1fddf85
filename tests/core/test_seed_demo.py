"""The demo data command: idempotent, and refuses to run in production by accident."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from apps.accounts.models import User
from apps.core.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

CONTRACT_ACCOUNTS = {
    "admin@hbs.test",
    "manager@hbs.test",
    "desk@hbs.test",
    "desk2@hbs.test",
    "guest@hbs.test",
    "guest2@hbs.test",
}


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert User.objects.count() == 0


def test_creates_the_contract_accounts_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert set(User.objects.values_list("email", flat=True)) == CONTRACT_ACCOUNTS
    assert authenticate(username="guest@hbs.test", password=DEMO_PASSWORD) is not None
    admin = User.objects.get(email="admin@hbs.test")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.get(email="guest@hbs.test").is_staff


def test_force_runs_with_debug_off(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    assert User.objects.filter(email="desk@hbs.test").exists()
