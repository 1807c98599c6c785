"""applications' back-office pages (assembled under /kantor/ by sipentol.backoffice) and the
office kiosk's pages (mounted under /kiosk/ by the tenant URLconf)."""

from django.urls import path

from . import golive_views
from . import staff_views as v

urlpatterns = [
    path("", v.queue, name="queue"),
    path("permohonan/<int:pk>/", v.detail, name="detail"),
    path("permohonan/<int:pk>/periksa/", v.start_review, name="start-review"),
    path("permohonan/<int:pk>/berkas/<int:doc_pk>/", v.document_file, name="document"),
    path("permohonan/<int:pk>/berkas/<int:doc_pk>/nilai/", v.document_verdict, name="verdict"),
    path("permohonan/<int:pk>/minta-lengkapi/", v.request_completion, name="request-completion"),
    path("permohonan/<int:pk>/verifikasi/", v.verify, name="verify"),
    path("permohonan/<int:pk>/tolak/", v.reject, name="reject"),
    path("permohonan/<int:pk>/catatan/", v.note, name="note"),
    path("permohonan/<int:pk>/tugaskan/", v.assign, name="assign"),
    path("permohonan/<int:pk>/cetak.pdf", v.print_all, name="print"),
    path("permohonan/<int:pk>/surat.pdf", v.application_letter_pdf, name="application-letter-pdf"),
    path("permohonan/<int:pk>/surat/buat/", v.letter_draft, name="letter-draft"),
    path("permohonan/<int:pk>/surat/kirim/", v.letter_submit, name="letter-submit"),
    path("permohonan/<int:pk>/surat/diambil/", v.letter_pickup, name="letter-pickup"),
    path("tanda-tangan/", v.signing_queue, name="signing"),
    path("ajukan/", v.assisted_services, name="assisted-services"),
    path("ajukan/<slug:slug>/", v.assisted_apply, name="assisted-apply"),
    path("siap-layanan/", golive_views.golive, name="golive"),
    path("siap-layanan/hapus-uji-coba/", golive_views.golive_purge_trials, name="golive-purge"),
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
