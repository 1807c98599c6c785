from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="regency-dashboard"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(template_name="regency/dashboard_login.html", next_page="regency-dashboard"),
        name="regency-dashboard-login",
    ),
    path(
        "keluar/", auth_views.LogoutView.as_view(next_page="regency-dashboard-login"), name="regency-dashboard-logout"
    ),
]
