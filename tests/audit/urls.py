"""The project's URLs plus a tiny API that edits a user, and an admin site with a soft-delete entity on it."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import User
from apps.audit.admin import AuditHistoryMixin
from apps.core.admin import SoftDeleteAdmin
from hbs.urls import urlpatterns as project_urlpatterns
from tests.testapp.models import Widget


class RenameUserApi(APIView):
    def post(self, request: Request, pk: int) -> Response:
        with transaction.atomic():
            user = User.objects.get(pk=pk)
            user.first_name = request.data["first_name"]
            user.save()
        return Response({"id": user.pk})


class WidgetAdmin(AuditHistoryMixin, SoftDeleteAdmin):
    list_display = ["code"]


test_admin = admin.AdminSite(name="test_admin")
test_admin.register(Widget, WidgetAdmin)

urlpatterns = [
    path("test/users/<int:pk>/rename/", RenameUserApi.as_view()),
    path("test-admin/", test_admin.urls),
    *project_urlpatterns,
]
