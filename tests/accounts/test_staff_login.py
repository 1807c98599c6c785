"""Staff sign-in: password of the kecamatan's own user, then TOTP (enrolled on first login)."""

import time

from django.test import Client

from .staff import PASSWORD, current_token, issue_enrolment_code, make_staff


def test_it_requires_a_password_and_a_totp_code_for_the_back_office(jetis):
    make_staff(jetis, "petugas1")
    client = Client(HTTP_HOST="jetis.localhost")

    assert client.get("/kantor/")["Location"].startswith("/kantor/masuk/")
    assert client.post("/kantor/masuk/", {"username": "petugas1", "password": PASSWORD}).status_code == 302
    assert client.get("/kantor/")["Location"].startswith("/kantor/masuk/otp/")  # password alone is not enough
    assert (
        client.post("/kantor/masuk/otp/", {"enrolment_code": issue_enrolment_code(jetis, "petugas1")}).status_code
        == 302
    )

    enroll = client.get("/kantor/masuk/otp/").content.decode()
    assert "<svg" in enroll and "otpauth://totp/" in enroll  # QR drawn on the server, secret as text
    assert "<script" not in enroll and 'style="' not in enroll  # CSP: no inline JS or styles

    wrong = client.post("/kantor/masuk/otp/", {"token": "000000"})
    assert wrong.status_code == 400 and "Kode salah" in wrong.content.decode()
    assert client.get("/kantor/").status_code == 302

    time.sleep(1.1)  # django-otp throttles: 1 s after one wrong code
    ok = client.post("/kantor/masuk/otp/", {"token": current_token(jetis, "petugas1")})
    assert ok.status_code == 302
    assert client.get("/kantor/").status_code == 200


def test_it_asks_an_enrolled_staff_member_only_for_the_code(jetis):
    make_staff(jetis, "petugas2")
    first = Client(HTTP_HOST="jetis.localhost")
    first.post("/kantor/masuk/", {"username": "petugas2", "password": PASSWORD})
    first.post("/kantor/masuk/otp/", {"enrolment_code": issue_enrolment_code(jetis, "petugas2")})
    first.get("/kantor/masuk/otp/")
    first.post("/kantor/masuk/otp/", {"token": current_token(jetis, "petugas2")})

    second = Client(HTTP_HOST="jetis.localhost")
    second.post("/kantor/masuk/", {"username": "petugas2", "password": PASSWORD})
    page = second.get("/kantor/masuk/otp/").content.decode()

    assert "<svg" not in page and "otpauth://" not in page  # the secret is shown only at enrollment


def test_it_refuses_a_staff_member_of_another_kecamatan(jetis, mojosari):
    make_staff(jetis, "petugas.jetis")
    client = Client(HTTP_HOST="mojosari.localhost")

    response = client.post("/kantor/masuk/", {"username": "petugas.jetis", "password": PASSWORD})

    assert response.status_code == 400
    assert "tidak berhak masuk di sini" in response.content.decode()
    assert client.get("/kantor/")["Location"].startswith("/kantor/masuk/")


def test_it_refuses_a_user_without_a_staff_profile(jetis):
    from django.contrib.auth import get_user_model
    from django_tenants.utils import tenant_context

    with tenant_context(jetis):
        get_user_model().objects.create_user("warga", password=PASSWORD)
    client = Client(HTTP_HOST="jetis.localhost")

    assert client.post("/kantor/masuk/", {"username": "warga", "password": PASSWORD}).status_code == 400
