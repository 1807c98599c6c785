"""Django-side commands of the fault harness, run as a separate process against the stack's servers.

`python -m tests.faults.stackctl setup|issue|sweep|report` with the stack's environment (its own
PostgreSQL, Valkey, SeaweedFS): the test process is configured for the suite's servers, so
whatever must go through the platform's own code on the stack's data runs here. Output is one
JSON document on stdout (`issue` writes one JSON line per batch to its --out file instead).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import random
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipentol.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Count  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from services_catalog.configured.models import KecamatanService  # noqa: E402
from sipentol.accounts.models import Role, StaffProfile  # noqa: E402
from sipentol.applications import services  # noqa: E402
from sipentol.applications.models import Application, Document, Event, Status  # noqa: E402
from sipentol.applications.tasks import reconcile_signed_letters, sweep_signing_batches  # noqa: E402
from sipentol.letters import pki  # noqa: E402
from sipentol.letters import selectors as letter_selectors  # noqa: E402
from sipentol.letters.models import Letter, SigningBatchItem  # noqa: E402
from sipentol.lib import storage  # noqa: E402
from sipentol.notifications.models import OutboxMessage  # noqa: E402
from sipentol.notifications.tasks import sweep_outbox  # noqa: E402
from tenants.models import Kecamatan  # noqa: E402
from tests.factories import ApplicationFactory  # noqa: E402

log = logging.getLogger("tests.faults.stackctl")
SLUG = "jetis"
CAMAT = "camat-faults"


def _jetis() -> Kecamatan:
    return Kecamatan.objects.get(slug=SLUG)


def setup() -> dict:
    """The Camat with a signing certificate, and the domisili form as the citizen stream fills it."""
    jetis = _jetis()
    with tenant_context(jetis):
        camat = get_user_model().objects.filter(username=CAMAT).first()
        if camat is None:
            camat = get_user_model().objects.create_user(CAMAT, first_name="Camat", last_name="Jetis")
            StaffProfile.objects.create(user=camat, role=Role.CAMAT, nip="197001012000031009")
            pki.dev_signer_issue(ca=pki.dev_ca_ensure(jetis.name), user=camat)
        service = KecamatanService.objects.prefetch_related("requirements").get(catalog_code="domisili")
        return {
            "status": jetis.status,
            "slug": service.slug,
            "form_fields": service.form_fields,
            "requirements": [
                {"code": r.code, "accepted_types": r.accepted_types, "required": r.required}
                for r in service.requirements.all()
            ],
        }


def issue(*, out: Path, per_batch: int, pause: float, once: bool = False) -> None:
    """Until SIGTERM: make `per_batch` verified applications, draft and send their letters, and
    start one signing batch (the Camat's one second-factor check), as the back office does.

    A batch whose transaction fails (the database restarting) is logged and tried again; the
    lines written are the batches that committed.
    """
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    # Each issuer process starts the factory's tracking codes somewhere else (they repeat otherwise).
    ApplicationFactory.reset_sequence(random.randrange(30**4 // 2))
    with out.open("a") as lines:
        while not stopping:
            try:
                with tenant_context(_jetis()):
                    camat = get_user_model().objects.get(username=CAMAT)
                    # what the Camat's queue shows: letters a failed attempt left waiting, and new ones
                    letters = list(
                        Letter.objects.filter(status=Letter.Status.AWAITING_SIGNATURE).exclude(
                            pk__in=letter_selectors.letters_in_pending_batch()
                        )
                    )
                    for _ in range(per_batch):
                        application = ApplicationFactory(status=Status.VERIFIED)
                        services.application_letter_draft(application=application, actor=camat)
                        letters.append(services.application_letter_submit(application=application, actor=camat))
                    if letters:
                        batch = services.application_signing_batch_start(
                            letters=letters, signer_user=camat, second_factor_ok=True
                        )
                        lines.write(json.dumps({"batch": batch.pk, "letters": [x.pk for x in letters]}) + "\n")
                        lines.flush()
                if once:
                    return
            except Exception:  # noqa: BLE001 - any outage: log it, drop the connection, try again
                log.warning("issuing a batch failed; trying again", exc_info=True)
                connections.close_all()
            time.sleep(pause)


def sweep(*, stale_seconds: int) -> dict:
    """What beat does, at once: queue lost signing tasks and due messages, issue signed letters."""
    return {
        "signing": sweep_signing_batches(older_than_seconds=stale_seconds),
        "outbox": sweep_outbox(),
        "reconciled": reconcile_signed_letters(),
    }


def _object_sha256(key: str) -> str | None:
    try:
        return hashlib.sha256(storage.get(key)).hexdigest()
    except storage.ObjectMissing:
        return None


def report() -> dict:
    """Everything the invariants need, read from the stack's database and object storage."""
    with tenant_context(_jetis()):
        citizens = {}
        for application in Application.objects.filter(channel="online").prefetch_related("documents"):
            documents = [
                {
                    "requirement": d.requirement_code,
                    "sha256": d.sha256,
                    "stored_sha256": _object_sha256(d.key),
                }
                for d in application.documents.all()
            ]
            citizens[str(application.idempotency_key)] = {"status": application.status, "documents": documents}
        referenced = set(Document.objects.values_list("key", flat=True))
        for keys in Letter.objects.values_list("pdf_key", "signed_pdf_key"):
            referenced.update(k for k in keys if k)
        stored = {
            o.object_name for o in storage.client().list_objects(settings.S3_BUCKET, prefix=f"{SLUG}/", recursive=True)
        }
        numbers = (
            Letter.objects.filter(number__isnull=False).values("number").annotate(n=Count("id")).filter(n__gt=1).count()
        )
        issued_twice = (
            Event.objects.filter(kind=Event.Kind.TRANSITION, to_status=Status.ISSUED)
            .values("application")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
        letters_per_application = (
            Letter.objects.filter(status=Letter.Status.SIGNED)
            .values("application_id")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
        signed = Letter.objects.filter(status=Letter.Status.SIGNED).values_list("signed_pdf_key", "signed_sha256")
        letters_not_matching = sum(_object_sha256(key) != sha for key, sha in signed)
        outbox = dict(OutboxMessage.objects.values_list("status").annotate(n=Count("id")))
        issued_keys = list(OutboxMessage.objects.filter(template="letter_issued").values_list("dedupe_key", "channel"))
        return {
            "citizens": citizens,
            "orphans": {key: _object_sha256(key) for key in sorted(stored - referenced)},
            "missing_objects": sorted(referenced - stored),
            "duplicate_letter_numbers": numbers,
            "applications_issued_twice": issued_twice,
            "applications_with_two_signed_letters": letters_per_application,
            "signed_letters": len(signed),
            "signed_letters_not_matching_storage": letters_not_matching,
            "outbox": outbox,
            "outbox_issued_messages": len(issued_keys),
            "batch_items": dict(SigningBatchItem.objects.values_list("state").annotate(n=Count("id"))),
            "awaiting_signature": Application.objects.filter(status=Status.AWAITING_SIGNATURE).count(),
            "issued": Application.objects.filter(status=Status.ISSUED).count(),
        }


def main() -> None:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup")
    issuing = commands.add_parser("issue")
    issuing.add_argument("--out", type=Path, required=True)
    issuing.add_argument("--per-batch", type=int, default=2)
    issuing.add_argument("--pause", type=float, default=1.0)
    issuing.add_argument("--once", action="store_true", help="one round, e.g. the Camat's last look at the queue")
    sweeping = commands.add_parser("sweep")
    sweeping.add_argument("--stale-seconds", type=int, default=60)
    commands.add_parser("report")
    args = parser.parse_args()
    if args.command == "issue":
        issue(out=args.out, per_batch=args.per_batch, pause=args.pause, once=args.once)
        return
    result = {"setup": setup, "report": report}.get(args.command)
    answer = result() if result else sweep(stale_seconds=args.stale_seconds)
    connection.close()
    sys.stdout.write(json.dumps(answer, default=str) + "\n")


if __name__ == "__main__":
    main()
