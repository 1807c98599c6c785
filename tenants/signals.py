"""Routing cache invalidation.

Signals (not services) because a domain or a tenant's status can change through any write
path - the ops console, the admin, a shell - and a stale route would keep serving a
suspended kecamatan. `QuerySet.update()` bypasses them: routing code never uses it.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Domain, Kecamatan
from .routing import forget_host, forget_tenant


@receiver([post_save, post_delete], sender=Domain)
def domain_changed(sender, instance: Domain, **kwargs) -> None:
    forget_host(instance.domain)
    # A renamed domain leaves its old name cached too.
    if old := getattr(instance, "_loaded_domain", None):
        forget_host(old)


@receiver([post_save, post_delete], sender=Kecamatan)
def kecamatan_changed(sender, instance: Kecamatan, **kwargs) -> None:
    forget_tenant(instance)
