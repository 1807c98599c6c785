"""URLs of a kecamatan's site (<slug>.BASE_DOMAIN, the kecamatan's schema)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from sipentol import health, metrics
from sipentol.applications.staff_urls import kiosk_patterns as staff_kiosk_patterns
from sipentol.lib.locale import language_switch

urlpatterns = [
    path("", include("sipentol.portal.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("i18n/setlang/", language_switch, name="set_language"),
    path("", include("sipentol.letters.urls")),
    path("", include("sipentol.desa.urls")),
    path("", include("sipentol.applications.urls")),
    path("", include("sipentol.feedback.urls")),
    path("", include("sipentol.privacy.urls")),
    path("kantor/", include("sipentol.backoffice.urls", namespace="staff")),
    path("kiosk/", include(staff_kiosk_patterns, namespace="kiosk")),
    path("api/v1/", include("sipentol.applications.api", namespace="api")),
    path("api/v1/desa/", include("sipentol.desa.api", namespace="desa-api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]

handler400 = "sipentol.lib.error_pages.bad_request"
handler403 = "sipentol.lib.error_pages.permission_denied"
handler404 = "sipentol.lib.error_pages.page_not_found"
handler500 = "sipentol.lib.error_pages.server_error"
