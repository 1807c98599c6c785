"""The table list of our backend is Django's, found from the schema instead of all of pg_class."""

import pytest
from django.db import connection
from django_tenants.postgresql_backend.introspection import DatabaseSchemaIntrospection

from tenants.postgresql_backend.base import DatabaseIntrospection


@pytest.mark.parametrize("schema", ["tenant_template", "public"])
def test_it_lists_the_tables_views_and_partitions_django_lists(db, schema):
    # given: one relation of each kind Django tells apart, besides the schema's tables
    with connection.cursor() as cursor:
        cursor.execute(f"""
            CREATE VIEW {schema}.extra_view AS SELECT 1 AS one;
            CREATE MATERIALIZED VIEW {schema}.extra_matview AS SELECT 1 AS one;
            CREATE TABLE {schema}.extra_parent (day date) PARTITION BY RANGE (day);
            CREATE TABLE {schema}.extra_part PARTITION OF {schema}.extra_parent
                FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            COMMENT ON TABLE {schema}.extra_part IS 'bagian';
        """)
    connection.set_schema(schema)

    # when
    with connection.cursor() as cursor:
        ours = DatabaseIntrospection(connection).get_table_list(cursor)
        djangos = DatabaseSchemaIntrospection(connection).get_table_list(cursor)
    connection.set_schema_to_public()

    # then
    assert isinstance(connection.introspection, DatabaseIntrospection)
    assert sorted(ours) == sorted(djangos)
    assert {("extra_view", "v"), ("extra_matview", "v"), ("extra_parent", "t"), ("extra_part", "p")} <= {
        (table.name, table.type) for table in ours
    }
    assert len(ours) > 40
