"""Demo staff for Jetis and a Diskominfo operator, with known passwords; prints their logins.

Development only (`make run` runs it after `load_regency`); refuses to run without DEBUG.
Idempotent: existing users keep their passwords.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sipentol_devtools.demo import demo_staff_ensure
from tenants.models import Kecamatan
from tenants.regency_data import FIRST_TENANT_CODE
from tenants.selectors import kecamatan_url, regency_url


class Command(BaseCommand):
    help = "Create demo staff users for Jetis and the ops console and print their logins (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("load_demo creates known passwords: only with DEBUG on (development).")
        jetis = Kecamatan.objects.filter(code=FIRST_TENANT_CODE).first()
        if jetis is None:
            raise CommandError("Kecamatan Jetis does not exist yet: run `manage.py load_regency` first.")
        logins = demo_staff_ensure(jetis)
        self.stdout.write(f"\nRegency site: {regency_url()}   Ops console: {regency_url('/ops/')}")
        self.stdout.write(f"Jetis site:   {kecamatan_url(jetis)}")
        self.stdout.write("Demo logins (development only; enrolment code: asked once, before the authenticator):")
        for login in logins:
            code = login["enrolment_code"] or "(enrolled)"
            self.stdout.write(
                f"  {login['where']:<8} {login['username']:<18} {login['password']:<22} {code:<20} {login['role']}"
            )
