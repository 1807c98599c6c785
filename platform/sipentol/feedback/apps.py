from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "sipentol.feedback"
    label = "feedback"
    verbose_name = "SKM dan pengaduan"
