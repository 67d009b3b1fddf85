"""Bookkeeping hooks of the base models, so other apps (the audit) can listen without core knowing them."""

from django.dispatch import Signal

# Sent after a SoftDeleteModel row is marked deleted / brought back; kwargs: instance.
soft_deleted = Signal()
restored = Signal()
