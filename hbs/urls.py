from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.bookings.views import home
from apps.core.apis import HealthzApi, ReadyzApi
from apps.core.views import api_not_found

api_v1 = [
    path("", include("apps.accounts.urls_api")),
    path("", include("apps.audit.urls_api")),
    path("", include("apps.hotels.urls_api")),
    path("", include("apps.notifications.urls_api")),
    path("", include("apps.cms.urls_api")),
    path("", include("apps.offers.urls_api")),
    path("", include("apps.bookings.urls_api")),
    path("", include("apps.payments.urls_api")),
    path("", include("apps.refunds.urls_api")),
    path("", include("apps.reports.urls_api")),
    path("", include("apps.reviews.urls_api")),
    path("", include("apps.support.urls_api")),
    path("", include("apps.calendars.urls_api")),
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", HealthzApi.as_view(), name="healthz"),
    path("readyz", ReadyzApi.as_view(), name="readyz"),
    path("api/v1/", include((api_v1, "api"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="core/api_docs.html"),
        name="api-docs",
    ),
    path("accounts/", include("apps.accounts.urls")),
    path("hotels/", include("apps.bookings.urls_hotels")),
    path("staff/reports/", include("apps.reports.urls")),
    path("staff/", include("apps.staff.urls")),
    path("staff/", include("apps.offers.urls_staff")),
    path("", include("apps.bookings.urls")),
    path("", include("apps.payments.urls")),
    path("", include("apps.refunds.urls")),
    path("", include("apps.notifications.urls")),
    path("", include("apps.cms.urls")),
    path("", include("apps.reviews.urls")),
    path("", include("apps.support.urls")),
    path("", include("apps.calendars.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Last: whatever no pattern above took under /api/ is a 404 in the error shape, with DEBUG on or off.
urlpatterns.append(re_path(r"^api/(?P<unmatched>.*)$", api_not_found, name="api-not-found"))
