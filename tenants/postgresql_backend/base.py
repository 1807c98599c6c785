"""django-tenants' PostgreSQL backend, with a table list whose cost follows one schema.

Django lists the tables of the current schema (`introspection.table_names()`, which every
`migrate` calls four times through MigrationRecorder.has_table, so every provisioning) by
calling `pg_table_is_visible` on each row of `pg_class`: every relation of every kecamatan,
190 k rows at 500 kecamatan, ~0.1 s a call. Here the schema's relations are found through the
dependency PostgreSQL records from each relation to its schema (the one DROP SCHEMA follows),
an index lookup in `pg_depend`.
"""

# Django's backend base before its introspection module, which imports it back (the import cycle
# django-tenants' introspection module describes).
import django.db.backends.postgresql.base  # noqa: F401
from django.db.backends.postgresql.introspection import TableInfo
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper
from django_tenants.postgresql_backend.introspection import (
    DatabaseSchemaIntrospection,
    DatabaseSchemaIntrospectionSearchPathContext,
)

# Django's query (django/db/backends/postgresql/introspection.py), reached from the schemas of
# the search_path instead of from all of pg_class.
_TABLE_LIST = """
    SELECT c.relname,
           CASE WHEN c.relispartition THEN 'p' WHEN c.relkind IN ('m', 'v') THEN 'v' ELSE 't' END,
           obj_description(c.oid, 'pg_class')
      FROM pg_catalog.pg_namespace n
      JOIN pg_catalog.pg_depend d ON d.refclassid = 'pg_catalog.pg_namespace'::regclass AND d.refobjid = n.oid
                                 AND d.classid = 'pg_catalog.pg_class'::regclass
      JOIN pg_catalog.pg_class c ON c.oid = d.objid
     WHERE n.nspname = ANY(current_schemas(false)) AND n.nspname NOT IN ('pg_catalog', 'pg_toast')
       AND c.relkind IN ('f', 'm', 'p', 'r', 'v') AND pg_catalog.pg_table_is_visible(c.oid)
"""


class DatabaseIntrospection(DatabaseSchemaIntrospection):
    def get_table_list(self, cursor):
        with DatabaseSchemaIntrospectionSearchPathContext(cursor=cursor, connection=self.connection):
            cursor.execute(_TABLE_LIST)
            return [TableInfo(*row) for row in cursor.fetchall() if row[0] not in self.ignored_tables]


class DatabaseWrapper(TenantDatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # django-tenants' __init__ sets its own introspection after Django's; ours replaces it.
        self.introspection = DatabaseIntrospection(self)
