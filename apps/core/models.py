"""Base models: timestamps on every table, soft delete on the entities."""

from __future__ import annotations

from typing import Any, TypedDict

from django.db import models
from django.utils import timezone

from apps.core.signals import restored, soft_deleted


class DecimalShape(TypedDict):
    max_digits: int
    decimal_places: int


# Money is a Decimal with two places everywhere (DOMAIN.md): `models.DecimalField(**MONEY, ...)`.
MONEY: DecimalShape = {"max_digits": 10, "decimal_places": 2}


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SoftDeleteQuerySet(models.QuerySet):
    def delete(self) -> tuple[int, dict[str, int]]:
        """Soft-deletes each row through its own delete(), so per-row bookkeeping runs."""
        count = 0
        for row in self:
            assert isinstance(row, SoftDeleteModel)
            row.delete()
            count += 1
        return count, {self.model._meta.label: count}

    def hard_delete(self) -> tuple[int, dict[str, int]]:
        return super().delete()

    def alive(self) -> SoftDeleteQuerySet:
        return self.filter(is_deleted=False)

    def deleted(self) -> SoftDeleteQuerySet:
        return self.filter(is_deleted=True)


class LiveManager(models.Manager.from_queryset(SoftDeleteQuerySet)):  # type: ignore[misc]
    """The default manager: deleted rows are invisible."""

    def get_queryset(self) -> SoftDeleteQuerySet:
        return super().get_queryset().filter(is_deleted=False)


class AllObjectsManager(models.Manager.from_queryset(SoftDeleteQuerySet)):  # type: ignore[misc]
    """Sees deleted rows too: admin restore, audits, backups."""


class SoftDeleteModel(TimeStampedModel):
    is_deleted = models.BooleanField(default=False, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = LiveManager()
    all_objects = AllObjectsManager()

    class Meta:
        # Related lookups (booking.hotel) use Django's plain base manager, so
        # they still reach a deleted row.
        abstract = True

    def delete(self, using: Any = None, keep_parents: bool = False) -> tuple[int, dict[str, int]]:
        if self.is_deleted:
            return 0, {}
        self.is_deleted = True
        self.deleted_at = timezone.now()
        self.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
        soft_deleted.send(sender=type(self), instance=self)
        return 1, {self._meta.label: 1}

    def restore(self) -> None:
        if not self.is_deleted:
            return
        self.is_deleted = False
        self.deleted_at = None
        self.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
        restored.send(sender=type(self), instance=self)

    def hard_delete(self) -> tuple[int, dict[str, int]]:
        return super().delete()


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` of one user: the request it guarded and the response it gave.

    The row is committed as `in_progress` before the work starts, so a second
    request with the same key — concurrent or later — finds it: a replay of the
    stored response, `idempotency_in_progress`, or `idempotency_mismatch`.
    """

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress"
        COMPLETED = "completed"

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key_unique")]
        indexes = [models.Index(fields=["created_at"], name="core_idempotency_created")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class RateLimitCounter(models.Model):
    """A fixed-window counter of apps.core.ratelimit, kept here only while Redis does not answer.

    `key` names the limit, a digest of the subject and the window; rows whose window has ended are pruned.
    """

    key = models.CharField(max_length=128, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="core_ratelimit_expires")]

    def __str__(self) -> str:
        return f"{self.key}={self.count}"
