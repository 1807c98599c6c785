"""Load Kabupaten Mojokerto: 18 kecamatan tenants, their domains and desa/kelurahan.

Idempotent: a second run changes nothing. `--demo` adds demo staff for Jetis and prints
their logins (development only).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tenants.models import Desa, Kecamatan
from tenants.provisioning import regency_steps
from tenants.regency_data import FIRST_TENANT_CODE, read_regency
from tenants.selectors import kecamatan_url, regency_url
from tenants.services import kecamatan_provision


class Command(BaseCommand):
    help = "Load the regency's kecamatan (as tenants) and desa/kelurahan from the CSV."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="also create demo staff users for Jetis")

    def handle(self, *args, demo: bool, **options):
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
        if demo:
            if not settings.DEBUG:
                raise CommandError("--demo creates known passwords: only with DEBUG on (development).")
            from tenants.demo import demo_staff_ensure

            jetis = Kecamatan.objects.get(code=FIRST_TENANT_CODE)
            logins = demo_staff_ensure(jetis)
            self.stdout.write(f"\nRegency site: {regency_url()}   Ops console: {regency_url('/ops/')}")
            self.stdout.write(f"Jetis site:   {kecamatan_url(jetis)}")
            self.stdout.write("Demo logins (development only):")
            for login in logins:
                self.stdout.write(
                    f"  {login['where']:<8} {login['username']:<18} {login['password']:<22} {login['role']}"
                )
