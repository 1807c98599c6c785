"""A file whose name is not valid UTF-8 (an old phone's latin-1 name) is accepted like any other."""

import uuid

from django_tenants.utils import tenant_context

from sipentol.applications.models import Application

from .conftest import apply_payload

BOUNDARY = "----sipentol-raw-boundary"


def _multipart(fields: dict, files: dict) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (raw_filename, content, content_type) in files.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="'.encode()
            + raw_filename
            + f'"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def test_it_accepts_a_file_whose_name_is_latin1_bytes(jetis, jetis_client, domisili):
    key = str(uuid.uuid4())
    payload = apply_payload(domisili, key)
    uploads = {name: payload.pop(name) for name in list(payload) if name.startswith("doc_")}
    files = {}
    for name, upload in uploads.items():
        upload.seek(0)
        files[name] = (
            "Kartu Keluarga Señora Müller".encode("latin-1") + b"." + upload.name.rsplit(".", 1)[1].encode(),
            upload.read(),
            upload.content_type,
        )
    body = _multipart(payload, files)

    response = jetis_client.generic(
        "POST", f"/layanan/{domisili.slug}/ajukan/", data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(jetis):
        application = Application.objects.get(idempotency_key=key)
        assert application.documents.count() == len(files)
