"""Copy the structure of the template schema into a new kecamatan schema.

Used instead of django-tenants' `clone_schema` SQL function, whose catalog queries (a self-join
of `pg_indexes` for every table, `information_schema` views, `pg_sequences`) scan the whole
catalog: one clone took 0.03 s with 18 kecamatan, 2 to 6 s with 100 and 36 s with 500
(docs/performance.md, "Kecamatan at scale"). Here every catalog read starts from the template's
namespace in pg_depend and follows oid indexes (pg_class, pg_attribute, pg_constraint, pg_index,
pg_description), so its cost is that of the template, whatever the number of kecamatan.

What it copies is what Django migrations create: tables (columns, types, collations, defaults,
identity and generated columns, NOT NULL), their sequences, constraints (primary, unique, check,
exclusion, foreign keys within the schema or to public), indexes, comments and grants. No rows.
Anything else in the template (a view, a function, a trigger, a type of its own) is refused
with the objects named, rather than left out of every new kecamatan.

Definitions are read with `search_path` set to the template alone and run with it set to the
new schema alone: PostgreSQL then prints the template's own objects unqualified (so they resolve
to the new schema's) and everything elsewhere qualified (`public.tenants_kecamatan`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django_tenants.utils import schema_exists


class TemplateNotClonable(Exception):
    """The template holds objects this copy does not reproduce."""


# Everything created in a schema records a dependency on it (the one DROP SCHEMA follows), so the
# schema's objects are an index lookup in pg_depend, where pg_class, pg_type and pg_proc have no
# index on the namespace and would be scanned whole. Indexes and the row types of tables depend on
# their table instead.
_MEMBERS = """
    SELECT d.classid::regclass::text, d.objid,
           CASE d.classid WHEN 'pg_class'::regclass THEN c.relkind::text END,
           CASE d.classid WHEN 'pg_class'::regclass THEN quote_ident(c.relname) END, c.relpersistence,
           pg_describe_object(d.classid, d.objid, 0)
      FROM pg_depend d
      LEFT JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
     WHERE d.refclassid = 'pg_namespace'::regclass AND d.refobjid = %s
     ORDER BY d.objid
"""

_TRIGGERS = """
    SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgrelid = ANY(%s::oid[]) AND NOT tgisinternal
"""

_COLUMNS = """
    SELECT a.attrelid, a.attnum, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), a.attnotnull,
           pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
           CASE WHEN a.attcollation <> t.typcollation
                THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
      FROM pg_attribute a
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      LEFT JOIN pg_collation co ON co.oid = a.attcollation
      LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
     WHERE a.attrelid = ANY(%s::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attrelid, a.attnum
"""

_SEQUENCES = """
    SELECT s.seqrelid, format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqstart,
           s.seqcache, s.seqcycle, d.refobjid, d.refobjsubid, d.deptype
      FROM pg_sequence s
      LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
                           AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
     WHERE s.seqrelid = ANY(%s::oid[])
"""

# NOT NULL is part of the column definitions (PostgreSQL 18 also lists it here as 'n').
_CONSTRAINTS = """
    SELECT conrelid, quote_ident(conname), contype, pg_get_constraintdef(oid), conindid
      FROM pg_constraint WHERE conrelid = ANY(%s::oid[]) AND contype <> 'n'
     ORDER BY contype = 'f', conrelid, oid
"""

_INDEXES = """
    SELECT x.indexrelid, x.indrelid, pg_get_indexdef(x.indexrelid), quote_ident(i.relname)
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = ANY(%s::oid[]) ORDER BY x.indexrelid
"""

_COMMENTS = """
    SELECT objoid, objsubid, quote_literal(description) FROM pg_description
     WHERE classoid = 'pg_class'::regclass AND objoid = ANY(%s::oid[])
"""

_GRANTS = """
    SELECT c.oid, a.privilege_type,
           CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END, a.is_grantable
      FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = ANY(%s::oid[]) AND c.relacl IS NOT NULL
"""


def _sequence_options(row: tuple) -> str:
    _, _, increment, minimum, maximum, start, cache, cycle = row[:8]
    return (
        f"INCREMENT BY {increment} MINVALUE {minimum} MAXVALUE {maximum} START WITH {start} "
        f"CACHE {cache} {'CYCLE' if cycle else 'NO CYCLE'}"
    )


def _structure_sql(cursor, source: str) -> list[str]:
    """The statements that recreate `source`'s structure in whatever schema search_path names."""
    cursor.execute("SELECT oid, quote_ident(nspname) FROM pg_namespace WHERE nspname = %s", [source])
    row = cursor.fetchone()
    if row is None:
        raise TemplateNotClonable(f"schema {source!r} does not exist")
    namespace, quoted_source = row
    cursor.execute(_MEMBERS, [namespace])
    relations, unsupported = {}, []
    for catalog, oid, kind, relname, persistence, description in cursor.fetchall():
        if catalog == "pg_class" and kind in ("r", "S"):
            relations[oid] = (kind, relname, persistence)
        else:
            unsupported.append(description)
    oids = list(relations)
    cursor.execute(_TRIGGERS, [oids])
    unsupported += [trigger for (trigger,) in cursor.fetchall()]
    if unsupported:
        raise TemplateNotClonable(f"{source} holds objects the clone does not copy: {', '.join(unsupported)}")
    name = {oid: relations[oid][1] for oid in oids}

    cursor.execute(_SEQUENCES, [oids])
    sequences = cursor.fetchall()
    identity = {(row[8], row[9]): row for row in sequences if row[10] == "i"}
    statements = [
        f"CREATE SEQUENCE {name[row[0]]} AS {row[1]} {_sequence_options(row)}" for row in sequences if row[10] != "i"
    ]

    cursor.execute(_COLUMNS, [oids])
    columns: dict[int, list[str]] = {}
    column_name: dict[tuple[int, int], str] = {}
    for relid, attnum, column, type_, notnull, default, identity_kind, generated, collation in cursor.fetchall():
        column_name[(relid, attnum)] = column
        parts = [column, type_]
        if collation:
            parts.append(f"COLLATE {collation}")
        if generated == "s":
            parts.append(f"GENERATED ALWAYS AS ({default}) STORED")
        elif default is not None:
            parts.append(f"DEFAULT {default}")
        if identity_kind:
            seq = identity[(relid, attnum)]
            when = "ALWAYS" if identity_kind == "a" else "BY DEFAULT"
            parts.append(f"GENERATED {when} AS IDENTITY (SEQUENCE NAME {name[seq[0]]} {_sequence_options(seq)})")
        if notnull:
            parts.append("NOT NULL")
        columns.setdefault(relid, []).append(" ".join(parts))
    for oid, (kind, table, persistence) in relations.items():
        if kind == "r":
            unlogged = "UNLOGGED " if persistence == "u" else ""
            statements.append(f"CREATE {unlogged}TABLE {table} ({', '.join(columns.get(oid, []))})")

    # Serial columns' sequences belong to their column, as in the template.
    statements += [
        f"ALTER SEQUENCE {name[row[0]]} OWNED BY {name[row[8]]}.{column_name[(row[8], row[9])]}"
        for row in sequences
        if row[10] == "a"
    ]

    # Constraints before plain indexes: a primary or unique constraint makes its own index, of
    # the constraint's name. Foreign keys come last (ORDER BY), once every key they point at exists.
    cursor.execute(_CONSTRAINTS, [oids])
    backing_indexes = set()
    for relid, constraint, kind, definition, index in cursor.fetchall():
        statements.append(f"ALTER TABLE {name[relid]} ADD CONSTRAINT {constraint} {definition}")
        if kind in ("p", "u", "x"):
            backing_indexes.add(index)
    cursor.execute(_INDEXES, [oids])
    for index, relid, definition, index_name in cursor.fetchall():
        name[index] = index_name
        if index not in backing_indexes:
            # pg_get_indexdef always qualifies the table, whatever the search_path.
            qualified = f" ON {quoted_source}.{name[relid]} USING "
            statements.append(definition.replace(qualified, f" ON {name[relid]} USING ", 1))

    cursor.execute(_COMMENTS, [list(name)])
    for oid, subid, text in cursor.fetchall():
        if subid:
            statements.append(f"COMMENT ON COLUMN {name[oid]}.{column_name[(oid, subid)]} IS {text}")
        else:
            kind = {"r": "TABLE", "S": "SEQUENCE"}[relations[oid][0]] if oid in relations else "INDEX"
            statements.append(f"COMMENT ON {kind} {name[oid]} IS {text}")
    cursor.execute(_GRANTS, [oids])
    for oid, privilege, grantee, grantable in cursor.fetchall():
        kind = "SEQUENCE" if relations[oid][0] == "S" else "TABLE"
        option = " WITH GRANT OPTION" if grantable else ""
        statements.append(f"GRANT {privilege} ON {kind} {name[oid]} TO {grantee}{option}")
    return statements


def schema_clone(*, source: str, dest: str) -> None:
    """Create schema `dest` with the structure of `source` and none of its rows; all or nothing.

    Raises ValidationError if a schema of that name exists in any case (two kecamatan would
    share it), TemplateNotClonable if `source` holds objects this does not copy. Leaves the
    connection's search_path as it found it.
    """
    if schema_exists(dest, case_sensitive=False):
        raise ValidationError("New schema name already exists")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path')")
        (search_path,) = cursor.fetchone()
        try:
            with transaction.atomic():
                cursor.execute("SELECT set_config('search_path', quote_ident(%s), false)", [source])
                statements = _structure_sql(cursor, source)
                cursor.execute("CREATE SCHEMA " + connection.ops.quote_name(dest))
                cursor.execute("SELECT set_config('search_path', quote_ident(%s), false)", [dest])
                # One round trip: the statements carry no parameters.
                cursor.execute(";\n".join(statements))
        finally:
            cursor.execute("SELECT set_config('search_path', %s, false)", [search_path])
