from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "sipentol.letters"
    label = "letters"

    def ready(self) -> None:
        from tenants.golive import register_check

        from .golive import CHECKS

        for check in CHECKS:
            register_check(check)
