from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sipentol.accounts"
    label = "accounts"
    verbose_name = "Staff accounts and roles"
