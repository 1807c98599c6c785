"""Backfill or repair the regency fact table from every kecamatan's applications."""

from django.core.management.base import BaseCommand

from sipentol.applications.facts import application_facts_rebuild
from tenants.models import Kecamatan


class Command(BaseCommand):
    help = "Recompute ApplicationFact rows for all kecamatan (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--kecamatan", action="append", help="slug; repeat for several (default: all)")

    def handle(self, *args, **options):
        selected = None
        if options["kecamatan"]:
            selected = list(Kecamatan.objects.filter(slug__in=options["kecamatan"]))
        counts = application_facts_rebuild(kecamatan_list=selected)
        for schema, rows in counts.items():
            self.stdout.write(f"{schema}: {rows}")
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} facts in {len(counts)} kecamatan"))
