"""The regency loaded from the CSV: 18 kecamatan tenants, their domains and desa."""

from django.core.management import call_command

from tenants.models import Desa, Domain, Kecamatan, OpsEvent


def _snapshot():
    return (
        list(Kecamatan.objects.order_by("code").values_list("code", "name", "slug", "status", "schema_name")),
        list(Domain.objects.order_by("domain").values_list("domain", "tenant__code", "is_primary")),
        list(Desa.objects.order_by("code").values_list("code", "name", "kind", "kecamatan__code")),
        OpsEvent.objects.count(),
    )


def test_it_loads_18_kecamatan_with_their_desa_and_kelurahan(db):
    assert Kecamatan.objects.count() == 18
    assert set(Kecamatan.objects.values_list("code", flat=True)) == {f"35.16.{n:02d}" for n in range(1, 19)}
    assert Desa.objects.filter(kind="desa").count() == 299
    assert Desa.objects.filter(kind="kelurahan").count() == 5
    assert Desa.objects.filter(kecamatan__slug="jetis").count() == 16
    assert Domain.objects.filter(is_primary=True).count() == 18


def test_it_makes_jetis_active_and_the_others_onboarding(db):
    jetis = Kecamatan.objects.get(code="35.16.16")
    assert (jetis.name, jetis.slug, jetis.status) == ("Jetis", "jetis", "active")
    # Mojosari is made active by the suite's own set-up; all others stay in onboarding
    others = Kecamatan.objects.exclude(slug__in=["jetis", "mojosari"])
    assert set(others.values_list("status", flat=True)) == {"onboarding"}


def test_it_changes_nothing_when_run_twice(db):
    before = _snapshot()

    call_command("load_regency", verbosity=0)

    assert _snapshot() == before


def test_it_never_reactivates_a_suspended_kecamatan_on_reload(jetis):
    from tenants.services import kecamatan_set_status

    kecamatan_set_status(kecamatan=jetis, status="suspended", actor="ops", reason="audit")

    call_command("load_regency", verbosity=0)

    jetis.refresh_from_db()
    assert jetis.status == "suspended"
