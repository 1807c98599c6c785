from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "sipentol.letters"
    label = "letters"
