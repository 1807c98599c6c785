"""/kantor/ on a kecamatan's host, namespace "staff": each app's staff pages, included here only.

Included by sipentol.urls_tenant. An app's `staff_urls` has no `app_name`, so every page keeps its
`staff:<name>`; no app imports another app's views.
"""

from django.urls import include, path

app_name = "staff"
urlpatterns = [
    path("", include("sipentol.accounts.staff_urls")),
    path("", include("sipentol.applications.staff_urls")),
    path("", include("sipentol.letters.staff_urls")),
    path("", include("sipentol.feedback.staff_urls")),
    path("", include("sipentol.desa.staff_urls")),
    path("", include("sipentol.privacy.staff_urls")),
    path("", include("sipentol.regency.staff_urls")),
    path("", include("services_catalog.configured.staff_urls")),
    path("", include("services_catalog.blueprint_urls")),
    path("", include("sipentol.ops.staff_urls")),
]
