"""Development PKI for `make run`: per kecamatan a CA, and certificates for its Camat/Sekcam.

Also loads the default letter templates. Idempotent; never use these certificates in production
(the command lives in the development tools, so the production image cannot run it).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django_tenants.utils import tenant_context


class Command(BaseCommand):
    help = "Create a development CA per active kecamatan and issue signer certificates (not for production)."

    def add_arguments(self, parser):
        parser.add_argument("--kecamatan", help="slug of one kecamatan (default: every active one)")

    def handle(self, *args, kecamatan=None, **options):
        from sipentol.accounts.models import StaffProfile
        from sipentol.letters import pki
        from sipentol.letters.models import SignerCredential
        from sipentol.letters.services import letter_templates_init
        from tenants.models import Kecamatan

        qs = Kecamatan.objects.filter(status=Kecamatan.Status.ACTIVE)
        if kecamatan:
            qs = Kecamatan.objects.filter(slug=kecamatan)
        for kec in qs:
            with tenant_context(kec):
                ca = pki.dev_ca_ensure(kec.name)
                templates = letter_templates_init()
                issued = 0
                for profile in StaffProfile.objects.filter(role__in=["camat", "sekcam"]).select_related("user"):
                    if not SignerCredential.objects.filter(user=profile.user, is_active=True).exists():
                        pki.dev_signer_issue(ca=ca, user=profile.user)
                        issued += 1
                self.stdout.write(f"{kec.slug}: CA ready, {templates} templates added, {issued} certificates issued")
