from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "sipentol.letters"
    label = "letters"

    def ready(self) -> None:
        from tenants.golive import register_check

        from .golive import CHECKS

        for check in CHECKS:
            register_check(check)

        # tenants imports no tenant app: the letter templates join a regency template through its registry.
        from tenants.blueprints import register_section

        from .blueprints import LETTERS_SECTION

        register_section(LETTERS_SECTION)

        # The Camat's board shows the letters waiting for signature (lib/dashboards.py).
        from sipentol.lib import dashboards

        from .dashboard import SECTION

        dashboards.register("camat", SECTION)
