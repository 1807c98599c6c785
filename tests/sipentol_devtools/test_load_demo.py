"""`make run`'s demo staff (`load_demo`) and development signing PKI (`letters_dev_ca`)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.utils import tenant_context


def test_it_creates_demo_staff_and_prints_their_logins(jetis, capsys, settings):
    settings.DEBUG = True

    call_command("load_demo")

    out = capsys.readouterr().out
    assert "camat" in out and "demo-sipentol-2026" in out and "http://jetis.localhost:8000/" in out
    with tenant_context(jetis):
        camat = get_user_model().objects.get(username="camat")
        assert camat.staff.role == "camat"
        assert camat.check_password("demo-sipentol-2026")
    connection.set_schema_to_public()
    assert get_user_model().objects.get(username="diskominfo").regency.role == "diskominfo_admin"


def test_it_keeps_a_changed_demo_password_when_run_again(jetis, capsys, settings):
    settings.DEBUG = True
    call_command("load_demo")
    with tenant_context(jetis):
        camat = get_user_model().objects.get(username="camat")
        camat.set_password("diganti-oleh-pengembang")
        camat.save()

    call_command("load_demo")

    with tenant_context(jetis):
        assert get_user_model().objects.get(username="camat").check_password("diganti-oleh-pengembang")
        assert get_user_model().objects.filter(username="camat").count() == 1


def test_it_refuses_demo_logins_outside_development(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", verbosity=0)


def test_it_gives_the_demo_camat_and_sekcam_development_signing_certificates(jetis, capsys, settings):
    from sipentol.letters.models import SignerCredential

    # given the demo staff of Jetis
    settings.DEBUG = True
    call_command("load_demo")

    # when
    call_command("letters_dev_ca", "--kecamatan", "jetis")

    # then
    assert "jetis: CA ready" in capsys.readouterr().out
    with tenant_context(jetis):
        signers = set(SignerCredential.objects.filter(is_active=True).values_list("user__username", flat=True))
    assert signers == {"camat", "sekcam"}
