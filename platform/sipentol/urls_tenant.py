"""URLs of a kecamatan's site (<slug>.BASE_DOMAIN, the kecamatan's schema)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from sipentol import health, metrics

urlpatterns = [
    path("", include("sipentol.portal.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("sipentol.letters.urls")),
    path("", include("sipentol.applications.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]
