"""Mixed traffic on one kecamatan (Jetis) for `make soak` (tests/load/soak.py prepares and runs it).

Citizens (weight 5): service list, a service page, the tracking page for a code they got, and now
and then an application with its files. Staff (weight 1): sign in with password + TOTP once,
then the queue and an application's detail. The run's fixture (SOAK_FIXTURE, written by
soak.py) holds the service to apply for, its form values and the staff accounts' TOTP keys.

Python does not resolve *.localhost, so requests go to the server's address with a Host header.
Against production settings (SOAK_SCHEME=https) the ingress's X-Forwarded-Proto is sent, and
Secure cookies are kept on this plain-HTTP hop as a browser would keep them behind TLS.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import re
import threading
import uuid
from http.cookiejar import DefaultCookiePolicy

from django_otp.oath import totp
from locust import HttpUser, between, task
from PIL import Image

FIXTURE = json.loads(open(os.environ["SOAK_FIXTURE"]).read())  # noqa: SIM115, PTH123
HOST = os.environ.get("SOAK_TENANT_HOST", "jetis.localhost")
SCHEME = os.environ.get("SOAK_SCHEME", "http")
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TRACKING_RE = re.compile(r"\b[A-Z]{3}-\d{4}-[2-9A-HJKMNP-Z]{4}\b")
DETAIL_RE = re.compile(r'href="(/kantor/permohonan/\d+/)"')

_tracking_codes: list[str] = list(FIXTURE.get("tracking_codes", []))
_staff = itertools.count()
_lock = threading.Lock()


def _jpeg() -> bytes:
    image = Image.new("RGB", (1200, 900), (180, 200, 220))
    for x in range(0, 1200, 40):
        for y in range(0, 900, 40):
            image.putpixel((x, y), (x % 255, y % 255, random.randrange(255)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, "PDF")
    return out.getvalue()


JPEG, PDF = _jpeg(), _pdf()


class _SecureOverPlainHttp(DefaultCookiePolicy):
    def return_ok_secure(self, cookie, request):
        return True


class _Visitor(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.client.headers["Host"] = HOST
        if SCHEME == "https":
            self.client.headers["X-Forwarded-Proto"] = "https"
            self.client.cookies.set_policy(_SecureOverPlainHttp())

    def _post(self, path: str, token: str, **kwargs):
        headers = {"Origin": f"{SCHEME}://{HOST}", "Referer": f"{SCHEME}://{HOST}{path}"}
        data = {"csrfmiddlewaretoken": token, **kwargs.pop("data", {})}
        return self.client.post(path, data=data, headers=headers, **kwargs)


class Citizen(_Visitor):
    weight = 5
    wait_time = between(1, 3)

    @task(4)
    def service_list(self) -> None:
        self.client.get("/layanan/")

    @task(4)
    def service_page(self) -> None:
        slug = random.choice(FIXTURE["service_slugs"])
        self.client.get(f"/layanan/{slug}/", name="/layanan/[slug]/")

    @task(3)
    def tracking_page(self) -> None:
        with _lock:
            code = random.choice(_tracking_codes) if _tracking_codes else None
        if code is None:
            self.client.get("/lacak/")
        else:
            self.client.get(f"/lacak/?kode={code}", name="/lacak/?kode=[code]")

    @task(1)
    def apply_with_files(self) -> None:
        service = FIXTURE["apply"]
        path = f"/layanan/{service['slug']}/ajukan/"
        form = self.client.get(path, name="/layanan/[slug]/ajukan/ (form)")
        match = CSRF_RE.search(form.text)
        if not match:
            return
        files = {
            f"doc_{req['code']}": (f"{req['code']}.pdf", PDF, "application/pdf")
            if req["pdf"]
            else (f"{req['code']}.jpg", JPEG, "image/jpeg")
            for req in service["requirements"]
        }
        data = {**service["form"], "idempotency_key": str(uuid.uuid4()), "action": "submit"}
        with self._post(
            path, match.group(1), data=data, files=files, name="/layanan/[slug]/ajukan/ (submit)", catch_response=True
        ) as response:
            code = TRACKING_RE.search(response.text)
            if response.status_code != 200 or not code:
                response.failure(f"no tracking code in the answer ({response.status_code})")
                return
            with _lock:
                _tracking_codes.append(code.group(0))


class Staff(_Visitor):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self) -> None:
        super().on_start()
        # One account per simulated staff member: a TOTP code is accepted once per account.
        account = FIXTURE["staff"][next(_staff) % len(FIXTURE["staff"])]
        page = self.client.get("/kantor/masuk/", name="/kantor/masuk/ (form)")
        token = CSRF_RE.search(page.text).group(1)
        self._post(
            "/kantor/masuk/", token, data={"username": account["username"], "password": FIXTURE["staff_password"]}
        )
        page = self.client.get("/kantor/masuk/otp/", name="/kantor/masuk/otp/ (form)")
        token = CSRF_RE.search(page.text).group(1)
        code = f"{totp(bytes.fromhex(account['key']), step=30, t0=0, digits=6):06d}"
        with self._post(
            "/kantor/masuk/otp/", token, data={"token": code, "next": "/kantor/"}, catch_response=True
        ) as response:
            if not response.url.rstrip("/").endswith("/kantor"):
                response.failure(f"TOTP sign-in ended on {response.url}")

    @task(3)
    def queue(self) -> None:
        page = self.client.get("/kantor/")
        self.details = DETAIL_RE.findall(page.text) or getattr(self, "details", [])

    @task(2)
    def application_detail(self) -> None:
        details = getattr(self, "details", [])
        if details:
            self.client.get(random.choice(details), name="/kantor/permohonan/[pk]/")
        else:
            self.queue()
