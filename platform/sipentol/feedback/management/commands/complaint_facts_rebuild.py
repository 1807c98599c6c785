"""Backfill or repair the regency's complaint facts from every kecamatan's complaints."""

from django.core.management.base import BaseCommand

from sipentol.feedback.services import complaint_facts_rebuild
from tenants.models import Kecamatan


class Command(BaseCommand):
    help = "Publish every complaint's ComplaintFact again, for all kecamatan (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--kecamatan", action="append", help="slug; repeat for several (default: all)")

    def handle(self, *args, **options):
        selected = None
        if options["kecamatan"]:
            selected = list(Kecamatan.objects.filter(slug__in=options["kecamatan"]))
        counts = complaint_facts_rebuild(kecamatan_list=selected)
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} complaints in {len(counts)} kecamatan"))
