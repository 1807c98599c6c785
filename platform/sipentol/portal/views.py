from django.shortcuts import render

from tenants.models import Desa


def home(request):
    """A kecamatan's front page."""
    kecamatan = request.tenant
    desa = Desa.objects.filter(kecamatan_id=kecamatan.pk).order_by("name")
    return render(request, "portal/home.html", {"desa_list": desa})
