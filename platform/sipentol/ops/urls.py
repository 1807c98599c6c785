from django.contrib.auth import views as auth_views
from django.urls import path

from . import views as ops_views

app_name = "ops"
urlpatterns = [
    path("", ops_views.console, name="console"),
    path("masuk/", auth_views.LoginView.as_view(template_name="ops/login.html"), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(next_page="ops:login"), name="logout"),
    path("kecamatan/<slug:slug>/status/", ops_views.set_status, name="set-status"),
]
