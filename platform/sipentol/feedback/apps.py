from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "sipentol.feedback"
    label = "feedback"
    verbose_name = "SKM dan pengaduan"

    def ready(self) -> None:
        # The Camat's board asks lib/dashboards.py for its sections; feedback owns these two.
        from sipentol.lib import dashboards

        from .dashboard_sections import complaints_due, skm_follow_ups_open

        dashboards.register("camat", complaints_due)
        dashboards.register("camat", skm_follow_ups_open)
