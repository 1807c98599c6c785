from django.core.management.base import BaseCommand

from sipentol.lib import storage


class Command(BaseCommand):
    help = "Create the private object-storage bucket if it is missing."

    def handle(self, *args, **options):
        storage.ensure_bucket()
        self.stdout.write("Object storage bucket ready.")
