from django.urls import path

from apps.audit.apis import AuditLogListApi

app_name = "audit"
urlpatterns = [
    path("audit-logs/", AuditLogListApi.as_view(), name="audit-log-list"),
]
