"""A kecamatan's schema is a structural copy of the template, whatever the template holds."""

from importlib import import_module
from unittest import mock

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DataError, connection
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_exists

from tenants.schema_align import schema_names_align
from tenants.schema_clone import TemplateNotClonable, schema_clone
from tenants.services import kecamatan_provision

names_align_migration = import_module("tenants.migrations.0004_kecamatan_names_align")

# Each query describes one kind of object of the schema `ns`, without its name or oids, read with
# search_path set to that schema alone so that definitions name its own objects unqualified.
_CATALOG = {
    "relations": """SELECT relname, relkind, relpersistence, pg_get_userbyid(relowner), relacl::text
                      FROM pg_class WHERE relnamespace = %(ns)s ORDER BY relname""",
    "columns": """SELECT c.relname, a.attname, row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum),
                         format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
                         a.attidentity, a.attgenerated, a.attcollation
                    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                   WHERE c.relnamespace = %(ns)s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
                   ORDER BY 1, 3""",
    "sequences": """SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin,
                           s.seqmax, s.seqcache, s.seqcycle, t.relname, a.attname, d.deptype
                      FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
                      LEFT JOIN pg_depend d ON d.objid = s.seqrelid AND d.classid = 'pg_class'::regclass
                           AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                      LEFT JOIN pg_class t ON t.oid = d.refobjid
                      LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                     WHERE c.relnamespace = %(ns)s ORDER BY 1""",
    "constraints": """SELECT c.relname, co.conname, co.contype, pg_get_constraintdef(co.oid), co.condeferrable,
                             co.condeferred, co.convalidated, i.relname
                        FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid
                        LEFT JOIN pg_class i ON i.oid = co.conindid AND co.contype <> 'f'
                       WHERE c.relnamespace = %(ns)s ORDER BY 1, 2""",
    # pg_get_indexdef qualifies the table whatever the search_path.
    "indexes": """SELECT c.relname, i.relname,
                         replace(pg_get_indexdef(x.indexrelid), ' ON ' || quote_ident(%(schema)s) || '.', ' ON ')
                    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
                   WHERE c.relnamespace = %(ns)s ORDER BY 1, 2""",
    # Foreign keys' own triggers are named after their oid: compared by what they do.
    "triggers": """SELECT c.relname, CASE WHEN t.tgisinternal THEN '' ELSE t.tgname END, t.tgfoid::regproc::text,
                          t.tgtype, t.tgconstrrelid::regclass::text
                     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                    WHERE c.relnamespace = %(ns)s ORDER BY 1, 2, 3, 4, 5""",
    "comments": """SELECT c.relname, d.objsubid, d.description FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
                    WHERE d.classoid = 'pg_class'::regclass AND c.relnamespace = %(ns)s ORDER BY 1, 2""",
}


def _structure(schema: str) -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path')")
        (search_path,) = cursor.fetchone()
        cursor.execute("SELECT set_config('search_path', quote_ident(%s), false)", [schema])
        cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [schema])
        (namespace,) = cursor.fetchone()
        structure = {}
        for kind, sql in _CATALOG.items():
            cursor.execute(sql, {"ns": namespace, "schema": schema})
            structure[kind] = cursor.fetchall()
        cursor.execute("SELECT set_config('search_path', %s, false)", [search_path])
    return structure


def _rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_it_gives_a_new_kecamatan_the_structure_and_migration_records_of_the_template(db):
    # when
    kecamatan_provision(code="35.16.95", name="Uji Salin", slug="ujisalin")

    # then: the same tables, columns, sequences, constraints (names included), indexes, triggers
    cloned, template = _structure("ujisalin"), _structure("tenant_template")
    assert cloned == template
    assert len(template["constraints"]) > 100 and len(template["indexes"]) > 100
    assert _rows("SELECT app, name FROM ujisalin.django_migrations ORDER BY 1, 2") == _rows(
        "SELECT app, name FROM tenant_template.django_migrations ORDER BY 1, 2"
    )


def test_it_copies_what_migrations_can_create_beyond_the_current_template(db):
    # given: a schema with serial, identity, generated and collated columns, a foreign key to
    # public and one within, check, unique and exclusion constraints, expression and partial
    # indexes, comments, a grant and a standalone sequence
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE SCHEMA src;
            CREATE SEQUENCE src.ticket_no AS integer START WITH 100 INCREMENT BY 5 CACHE 3;
            CREATE TABLE src.parent (
                id integer GENERATED ALWAYS AS IDENTITY (START WITH 7) PRIMARY KEY,
                code varchar(10) COLLATE "C" NOT NULL DEFAULT 'x',
                UNIQUE (code) DEFERRABLE INITIALLY DEFERRED
            );
            CREATE TABLE src.child (
                id serial PRIMARY KEY,
                parent_id integer NOT NULL REFERENCES src.parent (id) DEFERRABLE INITIALLY DEFERRED,
                kecamatan_id bigint REFERENCES public.tenants_kecamatan (id),
                ticket integer NOT NULL DEFAULT nextval('src.ticket_no'),
                amount numeric(12, 2) CHECK (amount >= 0),
                doubled numeric GENERATED ALWAYS AS (amount * 2) STORED,
                slot int4range,
                EXCLUDE USING gist (slot WITH &&)
            );
            CREATE INDEX child_lower_idx ON src.child (lower(ticket::text)) WHERE amount > 0;
            COMMENT ON TABLE src.child IS 'anak';
            COMMENT ON COLUMN src.child.amount IS 'jumlah';
            COMMENT ON INDEX src.child_lower_idx IS 'indeks';
            GRANT SELECT ON src.child TO PUBLIC;
        """)

    # when
    schema_clone(source="src", dest="dst")

    # then
    cloned = _structure("dst")
    assert cloned == _structure("src")
    foreign_key = "FOREIGN KEY (kecamatan_id) REFERENCES public.tenants_kecamatan(id)"
    assert ("child", "child_kecamatan_id_fkey", "f", foreign_key, False, False, True, None) in cloned["constraints"]


@pytest.mark.parametrize(
    "ddl",
    [
        "CREATE VIEW tenant_template.extra AS SELECT username FROM tenant_template.auth_user",
        "CREATE FUNCTION tenant_template.extra() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
        "CREATE TRIGGER extra BEFORE UPDATE ON tenant_template.auth_user"
        " FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()",
        "CREATE TYPE tenant_template.extra AS ENUM ('a', 'b')",
    ],
    ids=["view", "function", "trigger", "type"],
)
def test_it_refuses_a_template_holding_an_object_it_would_not_copy(db, ddl):
    # given
    with connection.cursor() as cursor:
        cursor.execute(ddl)

    # when / then: named, and no half-made schema left behind
    with pytest.raises(TemplateNotClonable, match="extra"):
        schema_clone(source="tenant_template", dest="ujitolak")
    assert not schema_exists("ujitolak")


def test_it_leaves_no_schema_behind_when_a_statement_fails(db, monkeypatch):
    # given: the last statement of the copy fails
    from tenants import schema_clone as module

    structure_sql = module._structure_sql
    monkeypatch.setattr(module, "_structure_sql", lambda *args: [*structure_sql(*args), "SELECT 1 / 0"])

    # when / then
    with pytest.raises(DataError):
        schema_clone(source="tenant_template", dest="ujigagal")
    assert not schema_exists("ujigagal")


def test_it_refuses_a_schema_name_taken_in_another_case(db):
    with pytest.raises(ValidationError):
        schema_clone(source="tenant_template", dest="Tenant_Template")


def test_it_leaves_the_search_path_as_it_found_it(db):
    before = _rows("SELECT current_setting('search_path')")

    schema_clone(source="tenant_template", dest="ujijalur")

    assert _rows("SELECT current_setting('search_path')") == before


def test_a_schema_cloned_by_django_tenants_function_gets_the_templates_names_and_sequence_types(db):
    # given: a kecamatan whose schema was cloned as the first 18 were, by django-tenants' function
    kecamatan_provision(code="35.16.95", name="Uji Lama", slug="ujilama")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("DROP SCHEMA ujilama CASCADE")
    CloneSchema().clone_schema("tenant_template", "ujilama", clone_mode="NODATA")
    template = _structure("tenant_template")
    assert _structure("ujilama")["constraints"] != template["constraints"]
    statements = []
    real = schema_names_align

    def recorded(*args, **kwargs):
        statements.extend(real(*args, **kwargs))
        return statements

    # when: the migration runs over every kecamatan
    with mock.patch.object(names_align_migration, "schema_names_align", recorded), connection.schema_editor() as editor:
        names_align_migration.align(apps, editor)

    # then: constraints (names included), their indexes and the sequences are the template's
    after = _structure("ujilama")
    for kind in ("constraints", "indexes", "sequences", "columns", "triggers", "comments"):
        assert after[kind] == template[kind], kind
    assert sum("RENAME CONSTRAINT" in s for s in statements) == 12
    assert any(s.startswith('ALTER SEQUENCE "ujilama"."auth_permission_id_seq" AS integer') for s in statements)
    # and the other kecamatan (made by schema_clone) and a second run have nothing to do
    assert all('"ujilama"' in s for s in statements)
    assert schema_names_align(connection, ["ujilama"], template="tenant_template") == []
