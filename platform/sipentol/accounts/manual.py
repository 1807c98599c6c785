"""The staff manual of the back office, one page per role, generated from the permission table.

Each capability has one line here: what a person holding it does, and the page where they do it.
A role's manual is the lines of the capabilities `PERMISSIONS` gives it, so a change to who may do
what changes the manual with it; tests/accounts/test_staff_manual.py fails for a capability
without a line (the page meanwhile shows its name).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models import Role
from .permissions import PERMISSIONS, Capability

# Capability -> (what the holder does, the back-office page's URL name or "" for steps inside a page).
GUIDE: dict[Capability, tuple[str, str]] = {
    Capability.VIEW_APPLICATIONS: (
        _("Membuka antrean permohonan, halaman sebuah permohonan, berkasnya dan suratnya."),
        "staff:queue",
    ),
    Capability.SEE_ALL_APPLICATIONS: (
        _("Melihat permohonan dari semua desa di kecamatan (operator desa hanya melihat desanya)."),
        "staff:queue",
    ),
    Capability.REVIEW_APPLICATION: (
        _(
            "Memeriksa permohonan: menilai tiap berkas, meminta kelengkapan, memverifikasi atau menolak, "
            "menyiapkan surat dan mengirimnya untuk ditandatangani, mencatat pengambilan."
        ),
        "staff:queue",
    ),
    Capability.BE_ASSIGNED: (
        _("Ditugaskan menangani permohonan; tugas Anda ada di “Tugas saya”."),
        "staff:queue",
    ),
    Capability.APPLY_ON_BEHALF: (
        _("Mengajukan permohonan atas nama warga yang datang ke kantor, dengan persetujuannya yang dicatat."),
        "staff:assisted-services",
    ),
    Capability.ADD_NOTE: (_("Menulis catatan internal pada riwayat sebuah permohonan."), ""),
    Capability.PRINT_FILES: (_("Mencetak semua berkas sebuah permohonan sebagai satu PDF."), ""),
    Capability.SIGN_AS_CAMAT: (_("Menandatangani surat atas nama sendiri sebagai Camat."), "staff:signing"),
    Capability.SIGN_BY_DELEGATION: (
        _("Menandatangani surat sebagai a.n. Camat atau Plh. Camat selama ada pelimpahan wewenang."),
        "staff:signing",
    ),
    Capability.SIGN_LETTERS: (
        _(
            "Membuka antrean tanda tangan dan memegang sertifikat tanda tangan elektronik (PKCS#12 atau BSrE); "
            "setiap penandatanganan dikonfirmasi dengan kode dari aplikasi autentikator."
        ),
        "staff:signing",
    ),
    Capability.REVOKE_LETTER: (_("Mencabut surat yang sudah terbit, dengan alasan yang tercatat."), ""),
    Capability.MANAGE_DELEGATIONS: (
        _("Mencatat pelimpahan wewenang tanda tangan saat Camat berhalangan."),
        "staff:delegations",
    ),
    Capability.EDIT_LETTER_TEMPLATES: (
        _("Mengubah templat surat setiap layanan (dengan pratinjau PDF) dan logo kop surat."),
        "staff:letter-templates",
    ),
    Capability.MANAGE_SIGNERS: (
        _(
            "Mengatur penanda tangan: mendaftarkan NIK dan ID pengguna BSrE lalu mengujinya, mengunggah "
            "sertifikat, mendaftarkan sertifikat CA akar dan antara, memantau masa berlaku sertifikat."
        ),
        "staff:signers",
    ),
    Capability.CHOOSE_ALERTS: (
        _("Memilih pemberitahuan yang diterima (e-mail dan/atau WhatsApp) per jenis, atau berhenti menerimanya."),
        "staff:alerts",
    ),
    Capability.BE_TOLD_OF_NEW_APPLICATIONS: (
        _("Menerima pemberitahuan permohonan baru yang belum ditangani siapa pun."),
        "staff:alerts",
    ),
    Capability.BE_TOLD_OF_LAPSED_SLA: (
        _("Menerima daftar harian permohonan yang melewati batas waktu layanan."),
        "staff:alerts",
    ),
    Capability.VIEW_PENGANTAR: (
        _("Melihat permintaan surat pengantar desa (operator desa dan Kepala Desa hanya desanya)."),
        "staff:pengantar-queue",
    ),
    Capability.DRAFT_PENGANTAR: (
        _("Memeriksa permintaan pengantar, menyusun drafnya dari templat desa, atau menolaknya dengan alasan."),
        "staff:pengantar-queue",
    ),
    Capability.SIGN_PENGANTAR: (
        _("Menandatangani surat pengantar desa secara elektronik dengan kode autentikator."),
        "staff:pengantar-queue",
    ),
    Capability.EDIT_DESA_TEMPLATE: (
        _("Mengubah kop dan templat surat pengantar desa serta batas waktu jawabnya."),
        "staff:desa-template",
    ),
    Capability.MANAGE_DESA_LINKS: (
        _("Menerbitkan dan mencabut token API untuk sistem informasi desa (misalnya OpenSID)."),
        "staff:desa-tokens",
    ),
    Capability.VIEW_SERVICES: (_("Melihat layanan kecamatan dan jumlah permohonannya."), "staff:service-list"),
    Capability.CONFIGURE_SERVICES: (
        _("Mengatur layanan: membuka atau menutup, persyaratan, isian formulir, jangka waktu, biaya."),
        "staff:service-list",
    ),
    Capability.MANAGE_STAFF: (
        _("Menambah petugas, mengubah peran, menonaktifkan akun, mereset verifikasi dua langkah."),
        "staff:staff-admin-list",
    ),
    Capability.EDIT_OFFICE_PROFILE: (
        _("Mengubah profil kantor (alamat, telepon, WhatsApp, jam layanan): dipakai situs, poster dan surat."),
        "staff:office-profile",
    ),
    Capability.VIEW_GOLIVE_CHECKLIST: (_("Melihat daftar periksa siap layanan selama persiapan."), "staff:golive"),
    Capability.PURGE_TRIALS: (_("Menghapus permohonan uji coba sebelum layanan dibuka."), "staff:golive"),
    Capability.PUBLISH_TEMPLATE: (
        _("Menerbitkan konfigurasi kecamatan ini sebagai templat kabupaten (kecamatan model)."),
        "staff:regency-template",
    ),
    Capability.VIEW_FEEDBACK: (_("Melihat ringkasan Survei Kepuasan Masyarakat dan pengaduan."), "staff:skm-summary"),
    Capability.RESPOND_COMPLAINTS: (_("Menanggapi pengaduan warga."), "staff:complaint-list"),
    Capability.VIEW_KECAMATAN_DASHBOARD: (_("Dasbor Camat (sedang disiapkan)."), ""),
    Capability.VIEW_USAGE: (_("Melihat pemakaian kuota paket kecamatan."), "staff:usage"),
    Capability.HANDLE_PRIVACY_REQUESTS: (
        _("Menangani permintaan warga atas data pribadinya (perbaikan, penghapusan)."),
        "staff:privacy-requests",
    ),
}


@dataclass(frozen=True)
class ManualLine:
    text: str
    url: str


def _url(name: str) -> str:
    if not name:
        return ""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def manual_for(role: str) -> list[ManualLine]:
    """What this role does in the back office, in the table's order, with a link where there is a page."""
    lines = []
    for capability in Capability:
        if role in PERMISSIONS[capability]:
            text, url_name = GUIDE.get(capability, (capability.value, ""))
            lines.append(ManualLine(str(text), _url(url_name)))
    return lines


def roles() -> list[tuple[str, str]]:
    return list(Role.choices)
