"""The platform-wide provider webhooks (regency host, public schema): WhatsApp and SMS reports.

Thin: check who is calling (Meta's signature, the SMS report token; both in constant time), then
hand the report to services.py. A refused call changes nothing. Phone numbers never reach the log.
"""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sipentol.notifications import whatsapp
from sipentol.notifications.services import sms_report_handle, whatsapp_webhook_handle

logger = logging.getLogger(__name__)


def _same(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # Meta's subscription check: echo the (numeric) challenge if the verify token is ours.
        challenge = request.GET.get("hub.challenge", "")
        if (
            request.GET.get("hub.mode") == "subscribe"
            and _same(request.GET.get("hub.verify_token", ""), settings.WHATSAPP_WEBHOOK_VERIFY_TOKEN)
            and challenge.isdigit()
        ):
            return HttpResponse(challenge, content_type="text/plain")
        return JsonResponse({"error": _("Token verifikasi webhook tidak cocok.")}, status=403)
    if not whatsapp.signature_valid(
        request.body, request.headers.get("X-Hub-Signature-256"), settings.WHATSAPP_APP_SECRET
    ):
        logger.warning("WhatsApp webhook refused: bad or missing X-Hub-Signature-256 (%s bytes)", len(request.body))
        return JsonResponse({"error": _("Tanda tangan webhook tidak sah.")}, status=403)
    try:
        payload = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": _("Isi webhook bukan JSON.")}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": _("Isi webhook bukan JSON.")}, status=400)
    counts = whatsapp_webhook_handle(payload=payload)
    logger.info("WhatsApp webhook: %s", counts)
    return JsonResponse({"ok": True, **counts})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sms_report(request: HttpRequest, token: str) -> HttpResponse:
    """Delivery report of the SMS gateway (the URL with SMS_REPORT_TOKEN is set in its console)."""
    if not _same(token, settings.SMS_REPORT_TOKEN):
        logger.warning("SMS delivery report refused: wrong token")
        return JsonResponse({"error": _("Token laporan SMS tidak cocok.")}, status=403)
    data = request.GET.dict() if request.method == "GET" else request.POST.dict()
    if request.method == "POST" and request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except ValueError:
            return JsonResponse({"error": _("Isi laporan bukan JSON.")}, status=400)
        if not isinstance(data, dict):
            return JsonResponse({"error": _("Isi laporan bukan JSON.")}, status=400)
    message_id = str(data.get("messageId") or data.get("message_id") or "").strip()
    status = str(data.get("status") or "").strip()
    if not message_id or not status:
        return JsonResponse({"error": _("Laporan SMS harus berisi messageId dan status.")}, status=400)
    return JsonResponse({"ok": True, "outcome": sms_report_handle(provider_message_id=message_id, status=status)})
