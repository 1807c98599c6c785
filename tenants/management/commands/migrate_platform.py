from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants.services import template_schema_ensure


class Command(BaseCommand):
    help = "Migrate the shared schema, the template schema, then every kecamatan schema."

    def add_arguments(self, parser):
        parser.add_argument("--executor", default="standard", choices=["standard", "multiprocessing"])

    def handle(self, *args, executor: str, verbosity: int, **options):
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        template_schema_ensure(verbosity=verbosity)
        call_command("migrate_schemas", tenant=True, executor=executor, interactive=False, verbosity=verbosity)
