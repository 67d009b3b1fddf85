"""Bookkeeping only: an offer change forgets the cached catalogue (automatic offers are part of it) after commit."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.hotels.signals import catalogue_changed
from apps.offers.models import Offer


def connect() -> None:
    post_save.connect(catalogue_changed, sender=Offer, dispatch_uid="hbs.catalogue.offers.offer.save")
    post_delete.connect(catalogue_changed, sender=Offer, dispatch_uid="hbs.catalogue.offers.offer.delete")
    m2m_changed.connect(catalogue_changed, sender=Offer.room_types.through, dispatch_uid="hbs.catalogue.offer-types")
