"""Every model of ours has a factory, and each builds a row the database's constraints accept."""

from __future__ import annotations

import factory
import pytest
from django.apps import apps

from tests import factories

pytestmark = pytest.mark.django_db


def our_factories() -> dict[str, type[factory.django.DjangoModelFactory]]:
    found = {}
    for value in vars(factories).values():
        if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory) and value._meta.model:
            model = value._meta.get_model_class()
            found[model._meta.label] = value
    return found


def test_every_model_of_ours_has_a_factory():
    # An unmanaged model has no table, so no rows to make (reports.Report only carries a permission).
    ours = {
        model._meta.label for model in apps.get_models() if model.__module__.startswith("apps.") and model._meta.managed
    }
    assert ours - set(our_factories()) == set()


@pytest.mark.parametrize("label", sorted(our_factories()))
def test_each_factory_makes_a_row_the_constraints_accept(label):
    row = our_factories()[label]()
    model = apps.get_model(label)
    assert model._base_manager.filter(pk=row.pk).exists()
