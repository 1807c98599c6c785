"""Sign-in security on every host: lockout (django-axes, per account and per address, per
kecamatan), backup codes, enrolment only with an admin's code, idle and absolute session
timeouts, re-authentication, and the audit of every step (sipentol.accounts.signin)."""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from sipentol.accounts import middleware, signin
from sipentol.accounts.models import RegencyRole, Role, SignInEvent
from sipentol.accounts.services import backup_codes_issue
from tests.factories import RegencyUserFactory, StaffFactory

from .staff import PASSWORD, current_token, issue_enrolment_code, make_staff, sign_in

JETIS = "jetis.localhost"


def _enrolled(kecamatan, username: str, role: str = Role.VERIFIER):
    with tenant_context(kecamatan):
        user = StaffFactory(username=username, role=role)
    connection.set_schema_to_public()
    return user


def _wrong_passwords(client: Client, username: str, times: int = 5) -> None:
    """`times` wrong passwords; the fifth is answered with the lockout page already."""
    for n in range(1, times + 1):
        answer = client.post("/kantor/masuk/", {"username": username, "password": "salah-sekali"})
        assert answer.status_code == (429 if n >= 5 else 400)


def _events(kecamatan, username: str) -> list[str]:
    with tenant_context(kecamatan):
        return list(SignInEvent.objects.filter(username=username).order_by("pk").values_list("action", flat=True))


def test_it_locks_an_account_after_five_wrong_passwords_and_says_when_to_try_again(jetis):
    make_staff(jetis, "ditebak")
    client = Client(HTTP_HOST=JETIS, REMOTE_ADDR="198.51.100.1")
    _wrong_passwords(client, "ditebak")

    # even the right password, now, from another address
    other = Client(HTTP_HOST=JETIS, REMOTE_ADDR="198.51.100.2")
    response = other.post("/kantor/masuk/", {"username": "ditebak", "password": PASSWORD})

    assert response.status_code == 429
    assert "Coba lagi dalam 15 menit" in response.content.decode()
    assert other.get("/kantor/")["Location"].startswith("/kantor/masuk/")


def test_it_says_when_to_try_again_in_english_too(jetis):
    make_staff(jetis, "ditebak.en")
    client = Client(HTTP_HOST=JETIS)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    _wrong_passwords(client, "ditebak.en")

    response = client.post("/kantor/masuk/", {"username": "ditebak.en", "password": PASSWORD})

    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.content.decode()


def test_it_locks_an_address_after_thirty_failures_over_several_accounts(jetis):
    make_staff(jetis, "korban")
    client = Client(HTTP_HOST=JETIS, REMOTE_ADDR="198.51.100.3")
    for n in range(30):
        client.post("/kantor/masuk/", {"username": f"tebakan{n}", "password": "salah-sekali"})

    response = client.post("/kantor/masuk/", {"username": "korban", "password": PASSWORD})

    assert response.status_code == 429


def test_it_lets_colleagues_behind_one_office_address_sign_in_after_others_mistyped(jetis):
    # one NAT address for the whole office: four colleagues mistype their password 4 times each
    office = Client(HTTP_HOST=JETIS, REMOTE_ADDR="198.51.100.30")
    for n in range(4):
        for _attempt in range(4):
            office.post("/kantor/masuk/", {"username": f"rekan{n}", "password": "salah-sekali"})
    make_staff(jetis, "rekan.benar")

    response = office.post("/kantor/masuk/", {"username": "rekan.benar", "password": PASSWORD})

    assert response.status_code == 302


def test_it_keeps_a_lockout_inside_the_kecamatan_where_it_happened(jetis, mojosari):
    make_staff(jetis, "admin")
    _enrolled(mojosari, "admin", Role.ADMIN)
    _wrong_passwords(Client(HTTP_HOST=JETIS, REMOTE_ADDR="198.51.100.4"), "admin")

    # Mojosari's "admin" is another person, in another schema
    client = Client(HTTP_HOST="mojosari.localhost", REMOTE_ADDR="198.51.100.4")
    response = client.post("/kantor/masuk/", {"username": "admin", "password": PASSWORD})

    assert response.status_code == 302


def test_it_reads_the_client_address_from_the_trusted_proxy_behind_the_ingress(jetis, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    make_staff(jetis, "di.balik.proxy")
    # a forged left-most entry, then the address the ingress saw; the pod sees the ingress
    client = Client(HTTP_HOST=JETIS, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")

    client.post("/kantor/masuk/", {"username": "di.balik.proxy", "password": "salah-sekali"})

    with tenant_context(jetis):
        event = SignInEvent.objects.get(username="di.balik.proxy")
    assert event.ip_address == "203.0.113.7"


def test_it_locks_out_repeated_wrong_totp_codes(jetis):
    _enrolled(jetis, "kode.ditebak")
    client = Client(HTTP_HOST=JETIS)
    client.post("/kantor/masuk/", {"username": "kode.ditebak", "password": PASSWORD})
    for _i in range(4):
        assert client.post("/kantor/masuk/otp/", {"token": "000000"}).status_code == 400

    fifth = client.post("/kantor/masuk/otp/", {"token": "000000"})
    assert fifth.status_code == 429
    # the right password and code do not open it before the cool-off
    again = client.post("/kantor/masuk/", {"username": "kode.ditebak", "password": PASSWORD})
    assert again.status_code == 429
    assert client.get("/kantor/").status_code == 302


def test_it_lets_a_backup_code_in_once(jetis):
    user = _enrolled(jetis, "hp.ketinggalan")
    with tenant_context(jetis):
        code = backup_codes_issue(user=user)[0]
    connection.set_schema_to_public()

    first = Client(HTTP_HOST=JETIS)
    first.post("/kantor/masuk/", {"username": "hp.ketinggalan", "password": PASSWORD})
    assert first.post("/kantor/masuk/otp/", {"token": code, "next": "/kantor/"})["Location"] == "/kantor/"
    assert first.get("/kantor/").status_code == 200

    second = Client(HTTP_HOST=JETIS)
    second.post("/kantor/masuk/", {"username": "hp.ketinggalan", "password": PASSWORD})
    assert second.post("/kantor/masuk/otp/", {"token": code}).status_code == 400


def test_it_shows_ten_backup_codes_once_after_enrolment(jetis):
    make_staff(jetis, "baru.daftar")
    client = sign_in(jetis, "baru.daftar")  # enrolment code, TOTP, then the codes page

    with tenant_context(jetis):
        from django_otp.plugins.otp_static.models import StaticToken

        assert StaticToken.objects.filter(device__user__username="baru.daftar").count() == 10
    assert b'id="backup-codes"' not in client.get("/kantor/masuk/otp/").content  # not again


def test_it_shows_no_secret_for_a_wrong_or_expired_enrolment_code(jetis):
    make_staff(jetis, "pencuri.sandi")
    code = issue_enrolment_code(jetis, "pencuri.sandi")
    client = Client(HTTP_HOST=JETIS)
    client.post("/kantor/masuk/", {"username": "pencuri.sandi", "password": PASSWORD})

    wrong = client.post("/kantor/masuk/otp/", {"enrolment_code": "abcd-efgh-jkmn-pqrs"})
    assert wrong.status_code == 400 and "otpauth://" not in wrong.content.decode()
    assert "Minta kode baru" in wrong.content.decode()

    with tenant_context(jetis):
        from sipentol.accounts.models import EnrolmentCode

        EnrolmentCode.objects.update(expires_at="2020-01-01T00:00:00Z")
    expired = client.post("/kantor/masuk/otp/", {"enrolment_code": code})
    assert expired.status_code == 400 and "otpauth://" not in expired.content.decode()


def _age_session(client: Client, **seconds_ago: int) -> None:
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_it_signs_out_a_session_idle_for_more_than_30_minutes_and_refuses_its_signature(jetis):
    camat = _enrolled(jetis, "camat.diam", Role.CAMAT)
    client = sign_in(jetis, camat.username)
    client.defaults["HTTP_HOST"] = JETIS
    _age_session(client, **{middleware.LAST_SEEN: 31 * 60})

    signing = client.post("/kantor/tanda-tangan/", {"token": current_token(jetis, "camat.diam")})

    assert signing.status_code == 302 and signing["Location"].startswith("/kantor/masuk/")
    assert client.get("/kantor/")["Location"].startswith("/kantor/masuk/?")
    assert "session_expired" in _events(jetis, "camat.diam")


def test_it_keeps_an_active_session_but_ends_it_12_hours_after_sign_in(jetis):
    _enrolled(jetis, "lembur")
    client = sign_in(jetis, "lembur")
    _age_session(client, **{middleware.LAST_SEEN: 29 * 60})
    assert client.get("/kantor/").status_code == 200

    _age_session(client, **{middleware.STARTED: 12 * 3600 + 60})

    assert client.get("/kantor/")["Location"].startswith("/kantor/masuk/")


def test_it_asks_the_password_again_before_a_password_change_long_after_sign_in(jetis):
    make_staff(jetis, "sandi.lama")
    with tenant_context(jetis):
        get_user_model().objects.get(username="sandi.lama").staff.__class__.objects.update(must_change_password=True)
    client = Client(HTTP_HOST=JETIS)
    client.post("/kantor/masuk/", {"username": "sandi.lama", "password": PASSWORD})
    _age_session(client, **{signin.AUTH_AT: 6 * 60})

    page = client.get("/kantor/ganti-kata-sandi/")
    assert page["Location"].startswith("/kantor/masuk/ulang/?next=/kantor/ganti-kata-sandi/")
    assert client.post("/kantor/masuk/ulang/", {"password": "salah-sekali"}).status_code == 400
    again = client.post("/kantor/masuk/ulang/", {"password": PASSWORD, "next": "/kantor/ganti-kata-sandi/"})
    assert again["Location"] == "/kantor/ganti-kata-sandi/"
    assert client.get("/kantor/ganti-kata-sandi/").status_code == 200


def test_it_records_every_sign_in_step_failure_lockout_and_sign_out(jetis):
    _enrolled(jetis, "diaudit")
    client = Client(HTTP_HOST=JETIS, REMOTE_ADDR="198.51.100.9")
    client.post("/kantor/masuk/", {"username": "diaudit", "password": "salah-sekali"})
    client.post("/kantor/masuk/", {"username": "diaudit", "password": PASSWORD})
    client.post("/kantor/masuk/otp/", {"token": current_token(jetis, "diaudit")})
    client.post("/kantor/keluar/")
    _wrong_passwords(client, "diaudit", times=5)  # the full sign-in reset the count: five more

    assert _events(jetis, "diaudit") == [
        "password_failed",
        "password_ok",
        "signed_in",
        "signed_out",
        *["password_failed"] * 5,
        "locked_out",
    ]


def test_it_lands_an_operator_on_the_console_after_password_and_totp(public_client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    operator = RegencyUserFactory(username="operator.ops", role=RegencyRole.OPERATOR, totp_enrolled=False)
    device = TOTPDevice.objects.create(user=operator, name="authenticator", confirmed=True)

    login = public_client.post("/ops/masuk/", {"username": "operator.ops", "password": PASSWORD})
    assert login["Location"].startswith("/ops/masuk/otp/")
    assert public_client.get("/ops/")["Location"].startswith("/ops/masuk/otp/")  # password alone: no console
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    verified = public_client.post("/ops/masuk/otp/", {"token": token})

    assert verified["Location"] == "/ops/"
    assert public_client.get("/ops/").status_code == 200


def test_it_locks_the_ops_login_after_five_wrong_passwords(public_client):
    RegencyUserFactory(username="ops.ditebak", role=RegencyRole.OPERATOR, totp_enrolled=False)
    for _i in range(5):
        public_client.post("/ops/masuk/", {"username": "ops.ditebak", "password": "salah-sekali"})

    response = public_client.post("/ops/masuk/", {"username": "ops.ditebak", "password": PASSWORD})

    assert response.status_code == 429
    assert SignInEvent.objects.filter(site="ops", username="ops.ditebak", action="locked_out").exists()


def test_it_creates_the_first_operator_with_an_enrolment_code_printed_once(public_client, capsys):
    call_command("signin_account", "diskominfo.pertama", "--ops")
    out = capsys.readouterr().out
    password = out.split("password: ")[1].split()[0]
    code = out.split("enrolment code: ")[1].split()[0]

    public_client.post("/ops/masuk/", {"username": "diskominfo.pertama", "password": password})
    assert "otpauth://" not in public_client.get("/ops/masuk/otp/").content.decode()
    assert public_client.post("/ops/masuk/otp/", {"enrolment_code": code}).status_code == 302
    assert "otpauth://totp/" in public_client.get("/ops/masuk/otp/").content.decode()


def test_it_lets_an_operator_unlock_a_staff_account_early(jetis):
    make_staff(jetis, "dibuka.lagi")
    _wrong_passwords(Client(HTTP_HOST=JETIS, REMOTE_ADDR="198.51.100.10"), "dibuka.lagi")

    call_command("tenant_command", "axes_reset_username", "dibuka.lagi", schema="jetis")

    other_address = Client(HTTP_HOST=JETIS, REMOTE_ADDR="198.51.100.11")
    assert other_address.post("/kantor/masuk/", {"username": "dibuka.lagi", "password": PASSWORD}).status_code == 302


def test_it_lets_the_ops_console_issue_an_enrolment_code_for_a_leader(public_client):
    from .staff import public_sign_in

    operator = RegencyUserFactory(username="ops.penerbit", role=RegencyRole.DISKOMINFO_ADMIN, totp_enrolled=False)
    RegencyUserFactory(username="pimpinan.baru", role=RegencyRole.LEADER, totp_enrolled=False)
    public_sign_in(public_client, operator, "/ops/")

    issued = public_client.post("/ops/akun/kode-pendaftaran/", {"username": "pimpinan.baru"})
    assert issued.status_code == 200 and "no-store" in issued["Cache-Control"]
    code = issued.content.decode().split('id="enrolment-code">')[1].split("<")[0]

    browser = Client(HTTP_HOST="localhost")
    browser.post("/dashboard/masuk/", {"username": "pimpinan.baru", "password": PASSWORD})
    assert browser.post("/dashboard/masuk/otp/", {"enrolment_code": code}).status_code == 302
    assert "otpauth://totp/" in browser.get("/dashboard/masuk/otp/").content.decode()
    assert SignInEvent.objects.filter(username="pimpinan.baru", action="2fa_reset").exists()


def test_it_lands_a_leader_on_the_dashboard_after_password_and_totp(public_client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    leader = RegencyUserFactory(username="pimpinan.mendarat", role=RegencyRole.LEADER, totp_enrolled=False)
    device = TOTPDevice.objects.create(user=leader, name="authenticator", confirmed=True)
    public_client.post("/dashboard/masuk/", {"username": "pimpinan.mendarat", "password": PASSWORD})
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"

    verified = public_client.post("/dashboard/masuk/otp/", {"token": token})

    assert verified["Location"] == "/dashboard/"


def test_it_asks_the_password_again_before_new_backup_codes_and_voids_the_old_ones(jetis):
    user = _enrolled(jetis, "kode.baru")
    with tenant_context(jetis):
        old_code = backup_codes_issue(user=user)[0]
    connection.set_schema_to_public()
    client = sign_in(jetis, "kode.baru")
    _age_session(client, **{signin.AUTH_AT: 6 * 60})

    asked = client.post("/kantor/masuk/kode-cadangan/")
    assert asked["Location"].startswith("/kantor/masuk/ulang/")
    client.post("/kantor/masuk/ulang/", {"password": PASSWORD})
    renewed = client.post("/kantor/masuk/kode-cadangan/")
    assert b'id="backup-codes"' in client.get(renewed["Location"]).content

    other = Client(HTTP_HOST=JETIS)
    other.post("/kantor/masuk/", {"username": "kode.baru", "password": PASSWORD})
    assert other.post("/kantor/masuk/otp/", {"token": old_code}).status_code == 400
    assert other.post("/kantor/masuk/kode-cadangan/")["Location"].startswith("/kantor/masuk/otp/")
