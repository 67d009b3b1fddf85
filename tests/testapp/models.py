from django.db import models
from django.db.models import Q

from apps.core.models import SoftDeleteModel


class Widget(SoftDeleteModel):
    code = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(is_deleted=False), name="testapp_widget_code_live"),
        ]
