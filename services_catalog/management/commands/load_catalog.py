"""Load the regency's service catalog from services_catalog/data, then give every kecamatan the
services it lacks. Idempotent: a second run changes nothing."""

from django.core.management.base import BaseCommand

from services_catalog.configured.services import kecamatan_services_init
from services_catalog.services import catalog_load
from tenants.crossing import EVERY, for_each_kecamatan


class Command(BaseCommand):
    help = "Load the regency service catalog and copy missing services into each kecamatan."

    def add_arguments(self, parser):
        parser.add_argument("--catalog-only", action="store_true", help="do not touch kecamatan schemas")

    def handle(self, *args, catalog_only: bool, **options):
        result = catalog_load(actor="load_catalog")
        self.stdout.write(
            f"Catalog: {result.created} new, {result.updated} updated, {result.unchanged} unchanged services; "
            f"{result.faqs_changed} FAQ entries changed."
        )
        if catalog_only:
            return
        # Every kecamatan, suspended ones too: their lists must be current when they come back.
        added = for_each_kecamatan(
            lambda k: kecamatan_services_init(kecamatan=k, actor="load_catalog"), statuses=EVERY, isolate=False
        )
        added = sum(added.values())
        self.stdout.write(f"Kecamatan service lists: {added} services added.")
