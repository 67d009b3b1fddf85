"""The project's URLs plus one that says which thread and which PostgreSQL backend answered."""

import threading

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def backend(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return JsonResponse({"thread": threading.get_ident(), "backend": pid})


urlpatterns = [path("probe/backend/", backend), path("", include("hbs.urls"))]
