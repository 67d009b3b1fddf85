"""Every admin list, add form and change form opens for an admin on the demo data: no 500 anywhere."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User


@pytest.fixture
def admin_client(settings, django_capture_on_commit_callbacks) -> Client:
    settings.DEBUG = True  # seed_demo refuses without it
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    client = Client()
    client.force_login(User.objects.get(email="admin@hbs.test"))
    return client


@pytest.mark.django_db
def test_every_admin_page_opens(admin_client: Client):
    opened = 0
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        listing = admin_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert listing.status_code == 200, (model, listing.status_code)
        request = listing.wsgi_request
        if model_admin.has_add_permission(request):
            assert admin_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, model
        manager = getattr(model, "all_objects", model._default_manager)
        row = manager.order_by("pk").first()
        if row is not None:
            change = admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[row.pk]))
            assert change.status_code == 200, (model, change.status_code)
            history = admin_client.get(reverse("admin:{}_{}_history".format(*info), args=[row.pk]))
            assert history.status_code == 200, (model, history.status_code)
        opened += 1
    assert opened >= 15
