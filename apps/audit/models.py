"""The transactional outbox: audit lines and backups wait here, in the writer's transaction, for the relay."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

# The MongoDB collections the outbox ships to (ARCHITECTURE.md); other apps name theirs the same way.
AUDIT_LOGS = "audit_logs"
BACKUPS = "backup_data_collections"


class OutboxEntry(models.Model):
    """One document bound for a MongoDB collection; its id becomes the document's `_id`.

    Rows are written in the same PostgreSQL transaction as the change they
    describe, so a committed change always has its line and a rolled-back one
    never does; the relay ships them and a re-ship hits the same `_id`.
    """

    id = models.BigAutoField(primary_key=True)
    collection = models.CharField(max_length=64)
    # Already BSON-safe (apps.audit.encoding): no Decimal, no bare date, UUIDs as text.
    document = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    shipped_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = "outbox entry"
        verbose_name_plural = "outbox entries"
        default_permissions = ("view",)
        permissions = [("view_auditlog", "Can read the audit logs")]
        indexes = [
            # The relay and the backlog check only ever look at unshipped rows: keep that index tiny.
            models.Index(fields=["id"], condition=Q(shipped_at__isnull=True), name="audit_outbox_unshipped"),
            # Pruning finds shipped rows by age.
            models.Index(fields=["shipped_at"], condition=Q(shipped_at__isnull=False), name="audit_outbox_shipped_at"),
        ]

    def __str__(self) -> str:
        state = "shipped" if self.shipped_at else "waiting"
        return f"{self.collection} #{self.pk} ({state})"
