"""Soft delete: hidden from the default manager, kept in the table, restorable."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from tests.testapp.models import Widget

pytestmark = pytest.mark.django_db


def test_delete_hides_the_row_but_keeps_it():
    widget = Widget.objects.create(code="A1")
    widget.delete()
    assert not Widget.objects.filter(pk=widget.pk).exists()
    kept = Widget.all_objects.get(pk=widget.pk)
    assert kept.is_deleted and kept.deleted_at is not None


def test_queryset_delete_is_soft_too():
    Widget.objects.create(code="A1")
    Widget.objects.create(code="A2")
    count, _ = Widget.objects.all().delete()
    assert count == 2
    assert Widget.objects.count() == 0
    assert Widget.all_objects.count() == 2


def test_restore_brings_it_back():
    widget = Widget.objects.create(code="A1")
    widget.delete()
    widget.restore()
    assert Widget.objects.get(pk=widget.pk).deleted_at is None


def test_unique_constraint_counts_only_live_rows():
    Widget.objects.create(code="A1").delete()
    Widget.objects.create(code="A1")  # the deleted one does not block reuse
    with pytest.raises(IntegrityError), transaction.atomic():
        Widget.objects.create(code="A1")


def test_hard_delete_removes_the_row():
    widget = Widget.objects.create(code="A1")
    widget.hard_delete()
    assert not Widget.all_objects.filter(pk=widget.pk).exists()
