"""Provider webhooks, mounted once on the regency host (urls_public): /webhooks/..."""

from django.urls import path

from sipentol.notifications import views

urlpatterns = [
    path("whatsapp/", views.whatsapp_webhook, name="webhook-whatsapp"),
    path("sms/<str:token>/", views.sms_report, name="webhook-sms-report"),
]
