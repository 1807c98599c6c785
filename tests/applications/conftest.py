"""Helpers to fill a service's form like a citizen would, with phone-like photos."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

NIK_MAN = "3516161203850001"  # Kab. Mojokerto, Kec. Jetis, born 12-03-1985
NIK_WOMAN = "3516165203850002"  # woman: day + 40
KK = "3516160101090003"


def photo(name: str = "ktp.jpg", *, size=(1200, 900), gps: bool = False) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (180, 200, 220))
    for x in range(0, size[0], 40):  # some structure so that the JPEG is not trivially small
        for y in range(0, size[1], 40):
            image.putpixel((x, y), (x % 255, y % 255, 90))
    exif = Image.Exif()
    exif[0x010F] = "SamsungPhone"  # Make
    if gps:
        exif[0x8825] = {1: "S", 2: (7.0, 27.0, 10.0), 3: "E", 4: (112.0, 26.0, 5.0)}
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif, quality=90)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def pdf_file(name: str = "pengantar.pdf") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buf, "PDF")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/pdf")


def form_values(service, *, nik: str = NIK_MAN, birth: str = "1985-03-12", desa: str = "35.16.16.2013") -> dict:
    values = {}
    for spec in service.form_fields:
        kind, name = spec.get("type", "text"), spec["name"]
        if kind == "nik":
            values[name] = nik if name == "nik" else NIK_WOMAN
        elif kind == "kk":
            values[name] = KK
        elif kind == "phone":
            values[name] = "0812-3456-7890"
        elif kind == "email":
            values[name] = "warga@example.id"
        elif kind == "date":
            values[name] = birth if name == "tanggal_lahir" else "2026-12-20"
        elif kind == "number":
            values[name] = "2019"
        elif kind == "desa":
            values[name] = desa
        elif kind == "choice":
            values[name] = spec["choices"][0]
        elif kind == "textarea":
            values[name] = "Dusun Kedungsari RT 002 RW 001"
        else:
            values[name] = "Siti Aminah" if name == "nama" else "keperluan melamar pekerjaan"
    return values


def uploads_for(service, **overrides) -> dict:
    files = {}
    for req in service.requirements.all():
        if req.required:
            files[f"doc_{req.code}"] = overrides.get(req.code) or (
                pdf_file() if req.accepted_types == ["application/pdf"] else photo(f"{req.code}.jpg")
            )
    return files


@pytest.fixture
def domisili(jetis):
    from django_tenants.utils import tenant_context

    from services_catalog.configured.models import KecamatanService

    with tenant_context(jetis):
        return KecamatanService.objects.prefetch_related("requirements").get(catalog_code="domisili")


def apply_payload(service, key: str, action: str = "submit", **kwargs) -> dict:
    return {**form_values(service, **kwargs), **uploads_for(service), "idempotency_key": key, "action": action}


TRACKING_RE = re.compile(r"\b[A-Z]{3}-\d{4}-[2-9A-HJKMNP-Z]{4}\b")
