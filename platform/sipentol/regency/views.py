from django.shortcuts import render

from tenants.selectors import kecamatan_directory


def home(request):
    """The regency site: every kecamatan's service office, active ones linked."""
    return render(request, "regency/home.html", {"directory": kecamatan_directory()})
