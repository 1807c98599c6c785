from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("permohonan/<uuid:public_id>/survei/", views.survey, name="survey"),
    path("survei/hasil/", views.results, name="results"),
    path("pengaduan/", views.complaint, name="complaint"),
    path("pengaduan/terkirim/", views.complaint_sent, name="complaint-sent"),
    path("pengaduan/lacak/", views.complaint_lookup, name="complaint-lookup"),
]
