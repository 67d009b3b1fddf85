"""Reports read the bookings' frozen nights; they own no table, only the right to read them."""

from __future__ import annotations

from django.db import models


class Report(models.Model):
    """No table: the content type that carries `reports.view_report` (held per hotel or globally)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_report", "Can read the hotel's occupancy and revenue reports")]

    def __str__(self) -> str:
        return "Report"
