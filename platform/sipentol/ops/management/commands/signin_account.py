"""Create a Diskominfo admin (`--ops`) or regency leader (`--dashboard`) account in the public
schema, or give an existing one a new authenticator (`--reset-2fa`); prints, once, the
temporary password (new accounts) and the one-time enrolment code their first sign-in asks for.

The operator's bootstrap: the first Diskominfo account cannot be made from the console.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context

from sipentol.accounts.models import RegencyProfile, RegencyRole
from sipentol.accounts.services import enrolment_code_issue, two_factor_reset


class Command(BaseCommand):
    help = "Create an ops or dashboard account (public schema) and print its password and enrolment code once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        kind = parser.add_mutually_exclusive_group(required=True)
        kind.add_argument("--ops", action="store_true", help="a Diskominfo admin (ops console and dashboard)")
        kind.add_argument("--dashboard", action="store_true", help="a regency leader (dashboard only)")
        kind.add_argument("--reset-2fa", action="store_true", help="an existing account: new enrolment code")

    def handle(self, *args, username: str, ops: bool, dashboard: bool, reset_2fa: bool, **options):
        User = get_user_model()
        with schema_context(get_public_schema_name()), transaction.atomic():
            if reset_2fa:
                user = User.objects.filter(username=username).first()
                if user is None:
                    raise CommandError(f"No account {username!r} in the public schema.")
                code = two_factor_reset(user=user)
                password = None
            else:
                if User.objects.filter(username__iexact=username).exists():
                    raise CommandError(f"{username!r} exists already; use --reset-2fa for a new enrolment code.")
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(username, password=password)
                role = RegencyRole.DISKOMINFO_ADMIN if ops else RegencyRole.LEADER
                RegencyProfile.objects.create(user=user, role=role)
                code = enrolment_code_issue(user=user)
        if password:
            self.stdout.write(f"password: {password}")
        self.stdout.write(f"enrolment code: {code}")
        self.stdout.write("Shown once; hand them over in person. The enrolment code is valid once, for a limited time.")
