from django.apps import AppConfig


class RegencyConfig(AppConfig):
    name = "sipentol.regency"
    label = "regency"
    verbose_name = "Regency site and dashboards"

    def ready(self) -> None:
        # The applications publish their facts through this registry (lib/facts.py), so that
        # neither app imports the other.
        from sipentol.lib import facts

        from .services import sink

        facts.register_sink(sink)

        from .sections import register_sections

        register_sections()
