"""A new kecamatan is provisioned by cloning the template schema, not by migrating."""

from django.db import connection
from django_tenants.utils import schema_exists

from tenants.models import Kecamatan
from tenants.services import kecamatan_provision


def _tables(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def _migrations(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
        return set(cursor.fetchall())


def _columns(schema: str) -> set[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = %s",
            [schema],
        )
        return set(cursor.fetchall())


def test_it_clones_every_table_column_and_migration_record_of_a_migrated_schema(db, django_capture_on_commit_callbacks):
    # given: the template is a schema migrated the ordinary way
    template = "tenant_template"

    # when: a new kecamatan is provisioned
    kecamatan, created = kecamatan_provision(code="35.16.99", name="Uji Coba", slug="ujicoba")

    # then: its schema is an exact structural copy with every migration recorded
    assert created
    assert schema_exists("ujicoba")
    assert _tables("ujicoba") == _tables(template)
    assert _columns("ujicoba") == _columns(template)
    assert _migrations("ujicoba") == _migrations(template)
    assert len(_migrations("ujicoba")) >= 15
    assert kecamatan.domains.get().domain == "ujicoba.localhost"


def test_it_copies_no_rows_from_the_template(db):
    kecamatan_provision(code="35.16.98", name="Uji Dua", slug="ujidua")

    with connection.cursor() as cursor:
        cursor.execute('SELECT count(*) FROM "ujidua".auth_user')
        assert cursor.fetchone()[0] == 0


def test_it_does_not_run_migrations_when_provisioning(db, monkeypatch):
    # Provisioning must only fake-apply migrations on the clone: no migration's operations run.
    from django.db.migrations.migration import Migration

    applied = []
    original = Migration.apply

    def spy(self, project_state, schema_editor, collect_sql=False):
        applied.append(self.name)
        return original(self, project_state, schema_editor, collect_sql)

    monkeypatch.setattr(Migration, "apply", spy)

    kecamatan_provision(code="35.16.97", name="Uji Tiga", slug="ujitiga")

    assert applied == []
    assert Kecamatan.objects.filter(slug="ujitiga").exists()


def test_it_is_idempotent_on_the_kecamatan_code(db):
    first, created_first = kecamatan_provision(code="35.16.96", name="Uji Empat", slug="ujiempat")
    again, created_again = kecamatan_provision(code="35.16.96", name="Uji Empat", slug="ujiempat")

    assert created_first and not created_again
    assert first.pk == again.pk
