"""accounts' back-office pages: sign-in (password, TOTP), sign-out, password change, and the
admin kecamatan's staff and office-profile pages. Assembled under /kantor/ by sipentol.backoffice."""

from django.urls import path

from . import alert_views, manual_views, views
from . import staff_admin_views as admin

urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("masuk/otp/", views.otp_view, name="otp"),
    path("masuk/ulang/", views.reauth_view, name="reauth"),
    path("masuk/kode-cadangan/", views.backup_codes_view, name="backup-codes"),
    path("keluar/", views.logout_view, name="logout"),
    path("undangan/<str:token>/", views.invitation_view, name="invitation"),
    path("ganti-kata-sandi/", views.password_change_view, name="password-change"),
    path("petugas/", admin.staff_list, name="staff-admin-list"),
    path("petugas/tambah/", admin.staff_create, name="staff-admin-create"),
    path("petugas/<int:pk>/", admin.staff_detail, name="staff-admin-detail"),
    path("petugas/<int:pk>/aktif/", admin.staff_set_active, name="staff-admin-active"),
    path("petugas/<int:pk>/reset-2fa/", admin.staff_reset_two_factor, name="staff-admin-reset-2fa"),
    path("petugas/<int:pk>/kata-sandi/", admin.staff_reset_password, name="staff-admin-reset-password"),
    path("profil-kantor/", admin.office_profile, name="office-profile"),
    path("pemberitahuan/", alert_views.alerts_page, name="alerts"),
    path("pemberitahuan/berhenti/<str:token>/", alert_views.alerts_unsubscribe, name="alerts-unsubscribe"),
    path("panduan/", manual_views.staff_manual, name="staff-manual"),
    path("panduan/<slug:role>/", manual_views.staff_manual, name="staff-manual-role"),
]
