from django.apps import AppConfig


class DesaFactsConfig(AppConfig):
    name = "sipentol.desa_facts"
    label = "desa_facts"
    verbose_name = "Fakta surat pengantar desa (kabupaten)"

    def ready(self) -> None:
        from sipentol.lib import dashboards

        from .sections import RegencyDesaResponseSection

        dashboards.register("regency", RegencyDesaResponseSection())
