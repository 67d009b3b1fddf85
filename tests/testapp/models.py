from django.db import models
from django.db.models import Q

from apps.accounts.roles import scope_permissions
from apps.core.models import SoftDeleteModel


class Widget(SoftDeleteModel):
    code = models.CharField(max_length=20)

    class Meta:
        # A stand-in for the Hotel: hotel roles can be granted at a widget.
        permissions = scope_permissions()
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(is_deleted=False), name="testapp_widget_code_live"),
        ]
