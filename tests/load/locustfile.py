"""Mixed traffic on one kecamatan (Jetis) for `make soak` (tests/load/soak.py prepares and runs it).

Citizens (weight 5): service list, a service page, the tracking page for a code they got, and now
and then an application with its files. Staff (weight 1): sign in with password + TOTP once,
then the queue and an application's detail. The run's fixture (SOAK_FIXTURE, written by
soak.py) holds the service to apply for, its form values and the staff accounts' TOTP keys.

Python does not resolve *.localhost, so requests go to the server's address with a Host header.
Against production settings (SOAK_SCHEME=https) the ingress's X-Forwarded-Proto is sent, and
the cookies' Secure flag is dropped on this side so that they travel on this plain-HTTP hop as
they would behind TLS (requests copies the jar per request, so a cookie policy would not hold);
that is also why POSTs' redirects are followed here, not by requests.
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
from urllib.parse import urlsplit

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


def _local(location: str) -> str:
    """A redirect's path (the server may answer with its public https:// address)."""
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


class _Visitor(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.client.headers["Host"] = HOST
        if SCHEME == "https":
            self.client.headers["X-Forwarded-Proto"] = "https"

    def _cookies_over_http(self) -> None:
        for cookie in self.client.cookies:
            cookie.secure = False

    def _get(self, path: str, **kwargs):
        self._cookies_over_http()
        return self.client.get(path, **kwargs)

    def _post(self, path: str, token: str, **kwargs):
        """A form POST, redirect not followed: the caller checks the 302 and follows it with _get."""
        self._cookies_over_http()
        headers = {"Origin": f"{SCHEME}://{HOST}", "Referer": f"{SCHEME}://{HOST}{path}"}
        data = {"csrfmiddlewaretoken": token, **kwargs.pop("data", {})}
        return self.client.post(path, data=data, headers=headers, allow_redirects=False, **kwargs)


class Citizen(_Visitor):
    weight = 5
    wait_time = between(1, 3)

    @task(4)
    def service_list(self) -> None:
        self._get("/layanan/")

    @task(4)
    def service_page(self) -> None:
        slug = random.choice(FIXTURE["service_slugs"])
        self._get(f"/layanan/{slug}/", name="/layanan/[slug]/")

    @task(3)
    def tracking_page(self) -> None:
        with _lock:
            code = random.choice(_tracking_codes) if _tracking_codes else None
        if code is None:
            self._get("/lacak/")
        else:
            self._get(f"/lacak/?kode={code}", name="/lacak/?kode=[code]")

    @task(1)
    def apply_with_files(self) -> None:
        service = FIXTURE["apply"]
        path = f"/layanan/{service['slug']}/ajukan/"
        form = self._get(path, name="/layanan/[slug]/ajukan/ (form)")
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
            if response.status_code != 302:
                response.failure(f"application not accepted ({response.status_code})")
                return
        receipt = self._get(_local(response.headers["Location"]), name="/permohonan/[id]/ (receipt)")
        if code := TRACKING_RE.search(receipt.text):
            with _lock:
                _tracking_codes.append(code.group(0))


class Staff(_Visitor):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self) -> None:
        super().on_start()
        # One account per simulated staff member: a TOTP code is accepted once per account.
        account = FIXTURE["staff"][next(_staff) % len(FIXTURE["staff"])]
        page = self._get("/kantor/masuk/", name="/kantor/masuk/ (form)")
        token = CSRF_RE.search(page.text).group(1)
        with self._post(
            "/kantor/masuk/",
            token,
            data={"username": account["username"], "password": FIXTURE["staff_password"]},
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"password not accepted ({response.status_code})")
        page = self._get("/kantor/masuk/otp/", name="/kantor/masuk/otp/ (form)")
        token = CSRF_RE.search(page.text).group(1)
        code = f"{totp(bytes.fromhex(account['key']), step=30, t0=0, digits=6):06d}"
        with self._post(
            "/kantor/masuk/otp/", token, data={"token": code, "next": "/kantor/"}, catch_response=True
        ) as response:
            if response.status_code != 302 or response.headers.get("Location") != "/kantor/":
                response.failure(f"TOTP code not accepted ({response.status_code})")

    @task(3)
    def queue(self) -> None:
        page = self._get("/kantor/")
        self.details = DETAIL_RE.findall(page.text) or getattr(self, "details", [])

    @task(2)
    def application_detail(self) -> None:
        details = getattr(self, "details", [])
        if details:
            self._get(random.choice(details), name="/kantor/permohonan/[pk]/")
        else:
            self.queue()
