"""Browser tests: Debian's chromium driven by Playwright against the real app in a subprocess.

The app runs as `manage.py runserver` on a free port against the session's test database
(the 18 kecamatan schemas made by tests/conftest.py). Rows it writes are committed there and
stay until the database is dropped at session end; that is why these tests never use
`live_server`/`transactional_db` (their flush would empty the kecamatan schemas) and make the
staff they need committed, through `django_db_blocker.unblock()`.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection, connections
from django_tenants.utils import tenant_context
from PIL import Image

from tests.conftest import ROOT, _database_url

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
PASSWORD = "kata-sandi-e2e-2026"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class AppServer:
    port: int
    log: Path

    def url(self, host: str = "jetis", path: str = "/") -> str:
        name = "localhost" if host in ("", "localhost") else f"{host}.localhost"
        return f"http://{name}:{self.port}{path}"

    def origin(self, host: str = "jetis") -> str:
        return self.url(host, "")

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="package")
def app_server(django_db_setup) -> Iterator[AppServer]:
    """The real app (runserver, DEBUG off) on a free port, on the suite's test database."""
    from django.conf import settings

    port = _free_port()
    log = Path(os.environ["SIPENTOL_DATA_DIR"]) / "e2e-server.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(settings.DATABASES["default"]),
        "DJANGO_SETTINGS_MODULE": "sipentol.settings.dev",
        "DEBUG": "0",
        "PUBLIC_PORT": str(port),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = AppServer(port=port, log=log)
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the app server exited during start-up:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"the app server did not answer:\n{server.log_tail()}") from None
            time.sleep(0.2)
    yield server
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """Chromium for the e2e package only: Playwright's sync API keeps an asyncio loop in this
    thread, and Django refuses ORM calls while a loop runs unless told that it is safe (it is:
    the loop only talks to the browser). Both end when the package's tests end."""
    from playwright.sync_api import sync_playwright

    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


def new_context(browser, *, phone: bool = True, **kwargs):
    """A fresh browser profile (cold cache, no cookies), Indonesian like a phone bought here."""
    options = {**(PHONE if phone else DESKTOP), "locale": "id-ID", "timezone_id": "Asia/Jakarta", **kwargs}
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    _open_contexts.append(context)
    return context


_open_contexts: list = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        # what each browser showed when the test failed, to read next to the assertion
        folder = ARTIFACTS / "failures" / item.name
        folder.mkdir(parents=True, exist_ok=True)
        for i, context in enumerate(_open_contexts):
            for j, page in enumerate(context.pages):
                with contextlib.suppress(Exception):  # a closed page has nothing to show
                    page.screenshot(path=str(folder / f"context{i}-page{j}.png"), full_page=True)
                    (folder / f"context{i}-page{j}.html").write_text(page.content())
    return report


@pytest.fixture(autouse=True)
def _close_contexts():
    yield
    while _open_contexts:
        with contextlib.suppress(Exception):  # already closed by the test
            _open_contexts.pop().close()


@pytest.fixture
def phone_page(browser):
    context = new_context(browser, phone=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = new_context(browser, phone=False)
    yield context.new_page()
    context.close()


# ----------------------------------------------------------------- screenshots


class Screens:
    """Numbered full-page screenshots of a journey; copied to docs/ with UPDATE_SCREENSHOTS=1."""

    def __init__(self, folder: str) -> None:
        self.folder = ARTIFACTS / folder
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0
        self.files: list[Path] = []

    def take(self, page, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True, scale="css")  # 1 px per CSS px: small files
        self.files.append(path)
        if os.environ.get("UPDATE_SCREENSHOTS") == "1":
            DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, DOCS_SCREENSHOTS / path.name)
        return path


# ----------------------------------------------------------------- staff and TOTP


@dataclass
class StaffLogin:
    kecamatan: object
    username: str
    role: str
    blocker: object = field(repr=False)
    enrolment_code: str = field(default="", repr=False)  # what the admin handed over

    def totp(self, *, after: int | None = None) -> str:
        """The current code of the device the app enrolled; waits for a fresh time step when the
        previous code was already used (django-otp refuses a code twice)."""
        from django_otp.oath import TOTP
        from django_otp.plugins.otp_totp.models import TOTPDevice

        with self.blocker.unblock():
            with tenant_context(self.kecamatan):
                device = TOTPDevice.objects.get(user__username=self.username)
            connection.set_schema_to_public()
            connections.close_all()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        if device.last_t is not None and totp.t() <= device.last_t:
            # the code of the next 30 s step (django-otp accepts one step of clock skew), as a
            # person would wait for their app to show a new code
            totp = TOTP(device.bin_key, device.step, device.t0 - device.step, device.digits, device.drift)
        return f"{totp.token():0{device.digits}d}"


@pytest.fixture(scope="package")
def make_staff(django_db_setup, django_db_blocker):
    """Committed staff users of a kecamatan (the app server is another process)."""
    from django.contrib.auth import get_user_model

    from sipentol.accounts.models import Role, StaffProfile
    from sipentol.accounts.services import enrolment_code_issue
    from sipentol.letters import pki
    from tenants.models import Kecamatan

    def make(slug: str, username: str, role: str, first_name: str = "", last_name: str = "") -> StaffLogin:
        with django_db_blocker.unblock():
            kecamatan = Kecamatan.objects.get(slug=slug)
            with tenant_context(kecamatan):
                user = get_user_model().objects.create_user(
                    username, password=PASSWORD, first_name=first_name or username.title(), last_name=last_name
                )
                StaffProfile.objects.create(user=user, role=role)
                enrolment_code = enrolment_code_issue(user=user)
                if role in (Role.CAMAT, Role.SEKCAM):  # a signing certificate from the development CA
                    pki.dev_signer_issue(ca=pki.dev_ca_ensure(kecamatan.name), user=user)
            connection.set_schema_to_public()
            connections.close_all()  # opened inside Playwright's loop context: close it here
        return StaffLogin(
            kecamatan=kecamatan, username=username, role=role, blocker=django_db_blocker, enrolment_code=enrolment_code
        )

    return make


def staff_sign_in(page, server: AppServer, staff: StaffLogin, screens: Screens | None = None) -> None:
    """Password, the admin's enrolment code, then the 6-digit code, typed with the keyboard like a
    person would; the backup codes page is acknowledged."""
    page.goto(server.url(staff.kecamatan.slug, "/kantor/masuk/"))
    if screens:
        screens.take(page, f"{staff.role}-login")
    page.get_by_label("Nama pengguna").fill(staff.username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_label("Kata sandi").press("Enter")
    page.wait_for_url(re.compile(r"/kantor/masuk/otp/"))
    page.get_by_label("Kode pendaftaran").fill(staff.enrolment_code)
    page.get_by_role("button", name="Lanjut").click()
    page.get_by_label("Kode 6 angka dari aplikasi autentikator").wait_for()
    if screens:
        screens.take(page, f"{staff.role}-totp-enrol")
    page.get_by_label("Kode 6 angka dari aplikasi autentikator").fill(staff.totp())
    page.get_by_role("button", name="Verifikasi").click()
    page.get_by_role("link", name="Sudah saya simpan, lanjut").click()
    page.wait_for_url(re.compile(r"/kantor/$"))


# ----------------------------------------------------------------- files a phone would upload


def phone_photo(path: Path, *, seed: int = 0, size=(1600, 1200)) -> Path:
    """A JPEG as a phone camera writes it: maker, model, date and a GPS position in EXIF."""
    from PIL import ImageDraw

    # a card on a table, as phones photograph a KTP: flat areas keep screenshots of it small
    image = Image.new("RGB", size, (120 + seed * 10, 100, 80))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rounded_rectangle((w // 8, h // 6, w * 7 // 8, h * 5 // 6), radius=30, fill=(170, 205, 235))
    draw.rectangle((w // 8 + 40, h // 6 + 40, w * 7 // 8 - 40, h // 6 + 110), fill=(40, 90, 160))
    for row in range(6):
        y = h // 6 + 170 + row * 80
        draw.rectangle((w // 8 + 60, y, w // 2 + (row * 37 + seed * 53) % 300, y + 30), fill=(60, 60, 70))
    draw.rectangle((w * 5 // 8, h // 6 + 170, w * 7 // 8 - 60, h // 6 + 600), fill=(200, 80, 70))  # photo
    exif = Image.Exif()
    exif[0x010F] = "samsung"  # Make
    exif[0x0110] = "SM-A155F"  # Model
    exif[0x0132] = "2026:11:20 09:15:00"  # DateTime
    exif[0x8825] = {1: "S", 2: (7.0, 27.0, 10.5), 3: "E", 4: (112.0, 26.0, 5.25)}  # GPS IFD
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif, quality=88)
    path.write_bytes(buf.getvalue())
    return path


# ----------------------------------------------------------------- checks shared by the tests

# Words of English UI chrome that must not reach a citizen reading in Bahasa Indonesia.
ENGLISH_WORDS = {
    "the", "and", "your", "submit", "search", "service", "services", "home", "back", "next", "save",
    "cancel", "upload", "download", "required", "optional", "status", "application", "applications",
    "contact", "track", "tracking", "sign", "login", "log", "password", "username", "verify",
    "verification", "letter", "send", "please", "click", "here", "file", "files", "choose", "browse",
    "no", "yes", "error", "required.", "this", "field", "is", "of", "for", "with", "from", "submitted",
    "details", "days", "working", "help", "language", "skip", "content", "page", "not", "found",
}  # fmt: skip
# Words that are the same in both languages, or names, and may appear in Indonesian text.
ALLOWED = {"status", "no", "e-mail", "file"}


def english_words(text: str) -> set[str]:
    words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]+", text)}
    return (words & ENGLISH_WORDS) - ALLOWED


def axe_serious(page) -> list[dict]:
    """axe-core violations with impact serious or critical, each with the offending nodes."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# ----------------------------------------------------------------- a citizen's application

CITIZEN_VALUES = {
    "nama": "Siti Aminah",
    "nik": "3516165203850002",
    "no_kk": "3516160101090003",
    "tempat_lahir": "Mojokerto",
    "tanggal_lahir": "1985-03-12",
    "pekerjaan": "Karyawan swasta",
    "alamat": "Dusun Kedungsari RT 002 RW 001",
    "telepon": "0812-3456-7890",
    "desa": "35.16.16.2013",
    "tinggal_sejak": "2019",
    "keperluan": "melamar pekerjaan",
}


def submit_application(page, server: AppServer, folder: Path, service: str = "domisili") -> str:
    """Fill and send a service's form quickly (the keyboard-only path is in the journey test);
    return the receipt page's URL."""
    page.goto(server.url("jetis", f"/layanan/{service}/ajukan/"))
    for control in page.locator("form.form [required]").all():
        name, kind = control.get_attribute("name"), control.evaluate("e => e.type")
        if kind == "file":
            control.set_input_files(str(phone_photo(folder / f"{name}.jpg")))
        elif kind.startswith("select"):
            if name in CITIZEN_VALUES:
                control.select_option(CITIZEN_VALUES[name])
            else:
                control.select_option(index=1)
        else:
            control.fill(CITIZEN_VALUES.get(name, "Lainnya"))
    page.get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_url(re.compile(r"/permohonan/[0-9a-f-]{36}/$"))
    return page.url
