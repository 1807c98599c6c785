from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("masuk/otp/", views.otp_view, name="otp"),
    path("keluar/", views.logout_view, name="logout"),
    path("ganti-kata-sandi/", views.password_change_view, name="password-change"),
]
