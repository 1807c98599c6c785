"""WhatsApp Business Cloud API: the approved message templates, their parameters, the webhook signature.

Meta delivers a business-initiated message only as an approved template (name, language,
body parameters {{1}}, {{2}}, ...); free text only within 24 hours of the citizen's last
message to us. So every notification type a citizen can receive by WhatsApp has a template
here, with the body text that was submitted to Meta for approval (docs/notifications.md lists
them) and the context keys that fill its parameters, in order.

Plain Python without Django: the local stand-in of the Cloud API (sipentol_devtools.standins)
reads the same table and refuses an unknown template name or a wrong parameter count, as Meta
does, so the tests prove the contract rather than our own echo of it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field

LANGUAGE = "id"  # every template is approved in Bahasa Indonesia

# Graph API error codes that no retry can cure: the message will not go through WhatsApp, so it
# falls back to the next channel at once (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
PERMANENT_ERROR_CODES = frozenset(
    {
        100,  # invalid parameter
        131008,  # required parameter missing
        131009,  # parameter value not valid
        131021,  # recipient cannot be sender
        131026,  # message undeliverable (no WhatsApp on that number, old app, ...)
        131047,  # re-engagement: free text outside the 24-hour window
        131051,  # unsupported message type
        132000,  # number of parameters does not match the template
        132001,  # template does not exist (in that language)
        132005,  # translated text too long
        132007,  # template format character policy violated
        132012,  # parameter format mismatch
        132015,  # template paused
        132016,  # template disabled
        132018,  # parameter text has new lines, tabs or more than 4 spaces
    }
)
RE_ENGAGEMENT = 131047
PARAMETER_TEXT_LIMIT = 1024  # characters per body parameter (Meta's limit for a template parameter)


@dataclass(frozen=True)
class Template:
    """One approved template: its name at Meta, its body as approved, the context keys of {{1}}..{{n}}."""

    name: str
    body: str
    params: tuple[str, ...]
    category: str = "UTILITY"
    # Authentication templates carry a "copy code" button whose URL parameter is the code itself.
    code_button: bool = False
    defaults: dict[str, str] = field(default_factory=dict)

    def placeholder_count(self) -> int:
        return len(set(re.findall(r"\{\{(\d+)\}\}", self.body)))


_NAME = {"name": "Bapak/Ibu"}

# Keyed by the outbox's template name (templates/notifications/<template>/).
TEMPLATES: dict[str, Template] = {
    "application_submitted": Template(
        name="sipentol_permohonan_diterima",
        body=(
            "Yth. {{1}}, permohonan {{2}} Anda di Kecamatan {{3}} sudah diterima. Kode lacak: {{4}}. "
            "Pantau status di tautan pribadi ini (jangan dibagikan): {{5}} Terima kasih."
        ),
        params=("name", "service_name", "kecamatan_name", "tracking_code", "link"),
        defaults=_NAME,
    ),
    "application_needs_completion": Template(
        name="sipentol_permohonan_perlu_dilengkapi",
        body=(
            "Yth. {{1}}, permohonan {{2}} ({{3}}) perlu dilengkapi: {{4}}. "
            "Unggah ulang lewat tautan ini: {{5}} Batas waktu: {{6}}."
        ),
        params=("name", "service_name", "tracking_code", "items", "link", "deadline"),
        defaults=_NAME,
    ),
    "application_completion_reminder": Template(
        name="sipentol_pengingat_kelengkapan",
        body=(
            "Pengingat: permohonan {{1}} ({{2}}) masih menunggu kelengkapan dari Anda. Batas waktu: {{3}}, "
            "setelah itu permohonan ditutup. Lengkapi lewat tautan ini: {{4}} Terima kasih."
        ),
        params=("service_name", "tracking_code", "deadline", "link"),
    ),
    "application_expired": Template(
        name="sipentol_permohonan_kedaluwarsa",
        body=(
            "Permohonan {{1}} ({{2}}) ditutup karena persyaratan belum dilengkapi sampai batas waktu {{3}}. "
            "Silakan ajukan permohonan baru bila masih diperlukan, atau hubungi Kantor Kecamatan {{4}}. "
            "Riwayat: {{5}} Terima kasih."
        ),
        params=("service_name", "tracking_code", "deadline", "kecamatan_name", "link"),
    ),
    "application_rejected": Template(
        name="sipentol_permohonan_ditolak",
        body=(
            "Mohon maaf, permohonan {{1}} ({{2}}) tidak dapat diproses. Alasan: {{3}}. "
            "Anda dapat mengajukan ulang atau menghubungi Kantor Kecamatan {{4}}. Rincian: {{5}} Terima kasih."
        ),
        params=("service_name", "tracking_code", "reason", "kecamatan_name", "link"),
    ),
    "application_verified": Template(
        name="sipentol_permohonan_terverifikasi",
        body=(
            "Permohonan {{1}} ({{2}}) sudah diverifikasi dan lengkap. Surat sedang disiapkan untuk "
            "ditandatangani Camat; kami kabari lagi saat surat bisa diunduh. Status: {{3}} Terima kasih."
        ),
        params=("service_name", "tracking_code", "link"),
    ),
    "letter_issued": Template(
        name="sipentol_surat_terbit",
        body=(
            "Surat {{1}} Anda ({{2}}) sudah terbit, nomor {{3}}. Unduh di sini: {{4}} "
            "Mohon isi juga survei kepuasan (SKM) di halaman tersebut. Terima kasih."
        ),
        params=("service_name", "tracking_code", "letter_number", "link"),
    ),
    "document_infected": Template(
        name="sipentol_berkas_bervirus",
        body=(
            "Yth. {{1}}, berkas {{2}} untuk permohonan {{3}} ({{4}}) terdeteksi mengandung virus/malware "
            "dan sudah dihapus. Periksa perangkat Anda dengan antivirus, lalu unggah berkas lain yang bersih: "
            "{{5}} Terima kasih."
        ),
        params=("name", "requirement_name", "service_name", "tracking_code", "link"),
        defaults=_NAME,
    ),
    "complaint_responded": Template(
        name="sipentol_pengaduan_ditanggapi",
        body=(
            "Tanggapan atas pengaduan {{1}} (Kecamatan {{2}}), status: {{3}}. Tanggapan petugas: {{4}} Terima kasih."
        ),
        params=("reference", "kecamatan_name", "status_label", "response"),
    ),
    "account_invitation": Template(
        name="sipentol_undangan_petugas",
        body=(
            "Yth. {{1}}, Diskominfo Kabupaten Mojokerto mengundang Anda sebagai {{2}} SIPENTOL Kecamatan {{3}}. "
            "Buat kata sandi dan daftarkan aplikasi autentikator lewat tautan ini (berlaku {{4}} jam, "
            "sekali pakai, jangan diteruskan): {{5}} Terima kasih."
        ),
        params=("name", "role", "kecamatan_name", "hours", "link"),
        defaults=_NAME,
    ),
    # Staff alerts (accounts/alerts.py): to the staff member's own WhatsApp number, when chosen.
    "staff_new_application": Template(
        name="sipentol_petugas_permohonan_baru",
        body=(
            "Permohonan baru {{1}} ({{2}}) menunggu pemeriksaan. Batas waktu layanan: {{3}}. "
            "Buka: {{4}} Berhenti menerima pemberitahuan ini: {{5}}"
        ),
        params=("service_name", "tracking_code", "due_date", "link", "unsubscribe_link"),
    ),
    "staff_completed": Template(
        name="sipentol_petugas_permohonan_dilengkapi",
        body=(
            "Permohonan {{1}} ({{2}}) sudah dilengkapi pemohon dan menunggu pemeriksaan ulang. "
            "Batas waktu layanan: {{3}}. Buka: {{4}} Berhenti menerima pemberitahuan ini: {{5}}"
        ),
        params=("service_name", "tracking_code", "due_date", "link", "unsubscribe_link"),
    ),
    "staff_sla_warning": Template(
        name="sipentol_petugas_batas_waktu_dekat",
        body=(
            "Batas waktu layanan permohonan {{1}} ({{2}}) tinggal {{3}} hari kerja: {{4}}. "
            "Buka: {{5}} Berhenti menerima pemberitahuan ini: {{6}}"
        ),
        params=("service_name", "tracking_code", "days_left", "due_date", "link", "unsubscribe_link"),
    ),
    "staff_sla_lapsed": Template(
        name="sipentol_petugas_batas_waktu_lewat",
        body=("{{1}} permohonan melewati batas waktu layanan: {{2}}. Berhenti menerima pemberitahuan ini: {{3}}"),
        params=("count", "items", "unsubscribe_link"),
    ),
    "staff_signing_digest": Template(
        name="sipentol_petugas_surat_menunggu_ttd",
        body=(
            "{{1}} surat menunggu tanda tangan Anda, paling lama sejak {{2}}. Tanda tangani dari ponsel: {{3}} "
            "Berhenti menerima pemberitahuan ini: {{4}}"
        ),
        params=("count", "oldest_since", "link", "unsubscribe_link"),
    ),
    # Meta's fixed authentication text (category AUTHENTICATION, "copy code" button).
    "otp_code": Template(
        name="sipentol_kode_verifikasi",
        body="*{{1}}* adalah kode verifikasi Anda. Demi keamanan, jangan bagikan kode ini.",
        params=("code",),
        category="AUTHENTICATION",
        code_button=True,
    ),
}


def parameter_text(value: object) -> str:
    """A context value as Meta accepts a parameter: one line, no run of more than 4 spaces, not empty."""
    if isinstance(value, (list, tuple)):
        parts = []
        for n, item in enumerate(value, start=1):
            if isinstance(item, dict) and "tracking_code" in item:
                # an application in a staff alert's list: code, service, due date, link
                text = f"{item['tracking_code']} ({item.get('service_name', '')}), batas {item.get('due_date', '')}"
                if item.get("link"):
                    text += f" {item['link']}"
            elif isinstance(item, dict):
                text = str(item.get("name") or "")
                if item.get("reason"):
                    text += f" - {item['reason']}"
            else:
                text = str(item)
            parts.append(f"{n}. {text}")
        value = "; ".join(parts)
    text = " ".join(str(value if value is not None else "").split())
    return (text or "-")[:PARAMETER_TEXT_LIMIT]


def template_parameters(template: str, context: dict) -> list[str]:
    """The body parameters of `template`'s approved WhatsApp template, in order; [] if it has none."""
    spec = TEMPLATES.get(template)
    if spec is None:
        return []
    return [parameter_text(context.get(key) or spec.defaults.get(key)) for key in spec.params]


def template_components(spec: Template, params: list[str]) -> list[dict]:
    """The `components` of a Cloud API template message: the body's parameters (and the code button)."""
    components: list[dict] = [{"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}]
    if spec.code_button:
        components.append(
            {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": params[0]}]}
        )
    return components


def signature(body: bytes, app_secret: str) -> str:
    """The `X-Hub-Signature-256` value Meta puts on a webhook: sha256=<hex HMAC-SHA256 of the raw body>."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(body: bytes, header: str | None, app_secret: str) -> bool:
    """Whether the header signs exactly these bytes with the app secret (constant-time comparison)."""
    if not app_secret or not header:
        return False
    return hmac.compare_digest(signature(body, app_secret).encode(), header.strip().encode())
