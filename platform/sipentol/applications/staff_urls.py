"""Back office under /kantor/ and the office kiosk under /kiosk/ (both on a kecamatan's host)."""

from django.urls import include, path

from services_catalog.configured import staff_views as svc
from sipentol.accounts import staff_admin_views as staff_admin
from sipentol.accounts import urls as account_urls
from sipentol.feedback import staff_views as feedback
from sipentol.letters import staff_views as letters

from . import staff_views as v

app_name = "staff"
urlpatterns = [
    path("", include(account_urls)),
    path("", v.queue, name="queue"),
    path("permohonan/<int:pk>/", v.detail, name="detail"),
    path("permohonan/<int:pk>/berkas/<int:doc_pk>/", v.document_file, name="document"),
    path("permohonan/<int:pk>/berkas/<int:doc_pk>/nilai/", v.document_verdict, name="verdict"),
    path("permohonan/<int:pk>/minta-lengkapi/", v.request_completion, name="request-completion"),
    path("permohonan/<int:pk>/verifikasi/", v.verify, name="verify"),
    path("permohonan/<int:pk>/tolak/", v.reject, name="reject"),
    path("permohonan/<int:pk>/catatan/", v.note, name="note"),
    path("permohonan/<int:pk>/tugaskan/", v.assign, name="assign"),
    path("permohonan/<int:pk>/cetak.pdf", v.print_all, name="print"),
    path("permohonan/<int:pk>/surat/buat/", letters.draft, name="letter-draft"),
    path("permohonan/<int:pk>/surat/kirim/", letters.submit, name="letter-submit"),
    path("permohonan/<int:pk>/surat/diambil/", letters.pickup, name="letter-pickup"),
    path("surat/<uuid:letter_uuid>/pdf/", letters.letter_pdf, name="letter-pdf"),
    path("surat/<uuid:letter_uuid>/cabut/", letters.revoke, name="letter-revoke"),
    path("tanda-tangan/", letters.signing_queue, name="signing"),
    path("templat-surat/", letters.template_list, name="letter-templates"),
    path("templat-surat/<slug:slug>/", letters.template_edit, name="letter-template"),
    path("pelimpahan/", letters.delegations, name="delegations"),
    path("ajukan/", v.assisted_services, name="assisted-services"),
    path("ajukan/<slug:slug>/", v.assisted_apply, name="assisted-apply"),
    path("skm/", feedback.skm_summary, name="skm-summary"),
    path("pengaduan/", feedback.complaint_list, name="complaint-list"),
    path("pengaduan/<int:pk>/tanggapi/", feedback.complaint_respond, name="complaint-respond"),
    path("layanan/", svc.service_index, name="service-list"),
    path("layanan/<slug:slug>/", svc.service_detail, name="service-detail"),
    path("layanan/<slug:slug>/aktif/", svc.service_set_enabled, name="service-enabled"),
    path("layanan/<slug:slug>/riwayat/", svc.service_history, name="service-history"),
    path("layanan/<slug:slug>/persyaratan/tambah/", svc.requirement_add, name="service-requirement-add"),
    path("layanan/<slug:slug>/persyaratan/<int:pk>/", svc.requirement_edit, name="service-requirement"),
    path("layanan/<slug:slug>/persyaratan/<int:pk>/hapus/", svc.requirement_remove, name="service-requirement-remove"),
    path("layanan/<slug:slug>/isian/tambah/", svc.field_add, name="service-field-add"),
    path("layanan/<slug:slug>/isian/<slug:name>/", svc.field_edit, name="service-field"),
    path("layanan/<slug:slug>/isian/<slug:name>/hapus/", svc.field_remove, name="service-field-remove"),
]

urlpatterns += [
    path("petugas/", staff_admin.staff_list, name="staff-admin-list"),
    path("petugas/tambah/", staff_admin.staff_create, name="staff-admin-create"),
    path("petugas/<int:pk>/", staff_admin.staff_detail, name="staff-admin-detail"),
    path("petugas/<int:pk>/aktif/", staff_admin.staff_set_active, name="staff-admin-active"),
    path("petugas/<int:pk>/reset-2fa/", staff_admin.staff_reset_two_factor, name="staff-admin-reset-2fa"),
    path("petugas/<int:pk>/kata-sandi/", staff_admin.staff_reset_password, name="staff-admin-reset-password"),
    path("petugas/<int:pk>/sertifikat/", staff_admin.staff_certificate, name="staff-admin-certificate"),
    path("profil-kantor/", staff_admin.office_profile, name="office-profile"),
]

kiosk_patterns = (
    [
        path("", v.kiosk_start, name="start"),
        path("layanan/<slug:slug>/", v.kiosk_apply, name="apply"),
        path("tanda-terima/", v.kiosk_receipt, name="receipt"),
        path("selesai/", v.kiosk_done, name="done"),
    ],
    "kiosk",
)
