from django.apps import AppConfig


class BillingAndQuotaConfig(AppConfig):
    name = "billing_and_quota"
    verbose_name = "Billing and quota"
