from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """No models: only the development management commands (`load_demo`, `letters_dev_ca`)."""

    name = "sipentol_devtools"
    verbose_name = "Development tools"
