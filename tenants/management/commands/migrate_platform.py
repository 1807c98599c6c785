import gc

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants.services import template_schema_ensure


def long_lived_freeze() -> None:
    """Take what is alive now (Django, the apps, the models: ~the whole heap) out of the cyclic
    garbage collector's scans for the rest of the process.

    Each schema's migrate leaves a migration graph and project states behind as cyclic garbage, so
    every third or fourth schema Python makes a full collection, which walks the whole heap again
    (~8% of an upgrade's time, `tests/bench/upgrade_app`). Frozen after one collection, the heap is
    not walked again and the garbage of each schema is still collected; nothing garbage is frozen.
    """
    gc.collect()
    gc.freeze()


class Command(BaseCommand):
    help = "Migrate the shared schema, the template schema, then every kecamatan schema."

    def add_arguments(self, parser):
        parser.add_argument("--executor", default="standard", choices=["standard", "multiprocessing"])

    def handle(self, *args, executor: str, verbosity: int, **options):
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        template_schema_ensure(verbosity=verbosity)
        long_lived_freeze()
        call_command("migrate_schemas", tenant=True, executor=executor, interactive=False, verbosity=verbosity)
