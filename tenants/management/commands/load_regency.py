"""Load Kabupaten Mojokerto: 18 kecamatan tenants, their domains and desa/kelurahan.

Idempotent: a second run changes nothing. Demo staff for `make run` come from the
development-only `load_demo` (sipentol_devtools).
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from tenants.models import Desa, Kecamatan
from tenants.provisioning import regency_steps
from tenants.regency_data import FIRST_TENANT_CODE, read_regency
from tenants.services import kecamatan_provision


class Command(BaseCommand):
    help = "Load the regency's kecamatan (as tenants) and desa/kelurahan from the CSV."

    def handle(self, *args, **options):
        # The regency's own data first (the service catalog): provisioning copies it into each kecamatan.
        loaded = [step.run(actor="load_regency") for step in regency_steps()]
        created_tenants = created_desa = 0
        for row in read_regency():
            status = Kecamatan.Status.ACTIVE if row.code == FIRST_TENANT_CODE else Kecamatan.Status.ONBOARDING
            kecamatan, created = kecamatan_provision(code=row.code, name=row.name, slug=row.slug, status=status)
            created_tenants += created
            with transaction.atomic():
                for code, name, kind in row.desa:
                    _, made = Desa.objects.get_or_create(
                        code=code, defaults={"kecamatan": kecamatan, "name": name, "kind": kind}
                    )
                    created_desa += made
        self.stdout.write(
            f"Regency loaded: {Kecamatan.objects.count()} kecamatan ({created_tenants} new), "
            f"{Desa.objects.count()} desa/kelurahan ({created_desa} new)"
            + "".join(f"; {text}" for text in loaded)
            + "."
        )
