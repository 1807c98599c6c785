"""URLs of the regency site (BASE_DOMAIN, public schema)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from sipentol import health, metrics
from sipentol.lib.locale import language_switch
from sipentol.regency import views as regency_views

urlpatterns = [
    path("", regency_views.home, name="regency-home"),
    path("statistik/", regency_views.statistics, name="regency-statistics"),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("ops/", include("sipentol.ops.urls")),
    path("dashboard/", include("sipentol.regency.urls")),
    path("i18n/setlang/", language_switch, name="set_language"),
    # One endpoint for every kecamatan: WhatsApp (Meta) and SMS gateway delivery reports.
    path("webhooks/", include("sipentol.notifications.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]

handler400 = "sipentol.lib.error_pages.bad_request"
handler403 = "sipentol.lib.error_pages.permission_denied"
handler404 = "sipentol.lib.error_pages.page_not_found"
handler500 = "sipentol.lib.error_pages.server_error"
