"""Bookkeeping only: a catalogue change forgets the cached public reads after commit."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.core.transactions import on_commit
from apps.hotels.cache import forget_catalogue
from apps.hotels.models import Amenity, Hotel, RateOverride, Room, RoomType


def catalogue_changed(**kwargs: Any) -> None:
    on_commit(forget_catalogue)


def _connect() -> None:
    for model in (Hotel, Amenity, RoomType, Room, RateOverride):
        uid = f"hbs.catalogue.{model._meta.label_lower}"
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(catalogue_changed, sender=RoomType.amenities.through, dispatch_uid="hbs.catalogue.amenities")


_connect()
