from django.apps import AppConfig


class RegencyConfig(AppConfig):
    name = "sipentol.regency"
    label = "regency"
    verbose_name = "Regency site and dashboards"

    def ready(self) -> None:
        # The applications and feedback publish their facts through this registry (lib/facts.py),
        # so that neither app imports the other; the complaint clock reads Diskominfo's deadlines
        # through lib/complaint_clock.py's provider, the board its sections through lib/dashboards.py.
        from sipentol.lib import complaint_clock, dashboards, facts

        from .dashboard_sections import complaints_section
        from .selectors import complaint_thresholds
        from .services import sink

        facts.register_sink(sink)

        from .sections import register_sections

        register_sections()
        facts.register_complaint_sink(sink)
        complaint_clock.register_thresholds_provider(complaint_thresholds)
        dashboards.register("regency", complaints_section)
