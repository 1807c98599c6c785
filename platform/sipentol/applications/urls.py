from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("layanan/<slug:slug>/ajukan/", views.apply, name="apply"),
    path("permohonan/<uuid:public_id>/", views.receipt, name="receipt"),
    path("permohonan/<uuid:public_id>/tanda-terima.pdf", views.receipt_pdf, name="receipt-pdf"),
    path("permohonan/<uuid:public_id>/lengkapi/", views.complete, name="complete"),
    path("permohonan/<uuid:public_id>/surat.pdf", views.letter_download, name="letter"),
    path("permohonan/<uuid:public_id>/batalkan/", views.cancel, name="cancel"),
    path("lacak/", views.track, name="track"),
    path("lacak/<str:code>/kirim-kode/", views.access_code_send, name="code-send"),
    path("lacak/<str:code>/masukkan-kode/", views.access_code_check, name="code-check"),
]
