"""Give a kecamatan schema the template's names where only the names differ.

The 18 kecamatan provisioned before `tenants/schema_clone.py` were cloned by django-tenants'
`clone_schema` SQL function, which recreates unique constraints under PostgreSQL's default names
(`accounts_alertpreference_user_id_alert_type_key` where the template has Django's
`accounts_alert_preference_once`) and makes the integer identity sequences `bigint`. A later
migration that removes or renames such a constraint by its name (`RemoveConstraint`) would fail on
those schemas only. `schema_names_align` renames, in each schema it is given, each constraint and
index whose definition on the same table matches exactly one of the template's under another name,
and gives each column's sequence the template's type and maximum; anything else that differs is left as it is (and
reported by the caller's catalog comparison, not guessed at here). Run once over every kecamatan by
the migration `tenants/migrations/0004_kecamatan_names_align.py`; a no-op on a schema made by
`schema_clone`.

Definitions are read with `search_path` set to the schema alone, so that both schemas print their
own tables unqualified and compare equal.
"""

from __future__ import annotations

import re
from collections import defaultdict

_CONSTRAINTS = """
    SELECT c.relname, co.conname, co.contype, pg_get_constraintdef(co.oid)
      FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid
     WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = %s) AND co.contype <> 'n'
"""

# Indexes that back no constraint (those are renamed with their constraint).
_INDEXES = """
    SELECT c.relname, i.relname, pg_get_indexdef(x.indexrelid)
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
     WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = %s)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = x.indexrelid)
"""

# The sequence of each column that owns one (serial or identity).
_SEQUENCES = """
    SELECT t.relname, a.attname, c.relname, format_type(s.seqtypid, NULL), s.seqmax
      FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
      JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
                      AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
      JOIN pg_class t ON t.oid = d.refobjid
      JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = %s)
"""

_RELATIONS = "SELECT relname FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = %s)"

_INDEX_NAME = re.compile(r"^(CREATE (?:UNIQUE )?INDEX )\S+ ON \S+")


def _read(cursor, schema: str) -> dict[str, list[tuple]]:
    cursor.execute("SELECT current_setting('search_path')")
    (search_path,) = cursor.fetchone()
    cursor.execute("SELECT set_config('search_path', quote_ident(%s), false)", [schema])
    try:
        found = {}
        queries = {"constraints": _CONSTRAINTS, "indexes": _INDEXES, "sequences": _SEQUENCES, "relations": _RELATIONS}
        for kind, sql in queries.items():
            cursor.execute(sql, [schema])
            found[kind] = cursor.fetchall()
        return found
    finally:
        cursor.execute("SELECT set_config('search_path', %s, false)", [search_path])


def _by_definition(rows: list[tuple]) -> dict[tuple, list[str]]:
    """(table, what it is) -> the names it goes by."""
    names: dict[tuple, list[str]] = defaultdict(list)
    for table, name, *definition in rows:
        names[(table, *definition)].append(name)
    return names


def _renames(ours: list[tuple], theirs: list[tuple], relations: set[str]) -> list[tuple[str, str, str]]:
    """(table, our name, their name) for each definition both have once, under different names,
    where their name is free in our schema (on the table, and as a relation: an index)."""
    taken = {(table, name) for table, name, *_ in ours}
    wanted = _by_definition(theirs)
    renames = []
    for key, names in _by_definition(ours).items():
        other = wanted.get(key, [])
        unique = len(names) == 1 and len(other) == 1 and names[0] != other[0]
        if unique and (key[0], other[0]) not in taken and other[0] not in relations:
            renames.append((key[0], names[0], other[0]))
    return renames


def _unnamed(rows: list[tuple]) -> list[tuple]:
    return [(table, name, _INDEX_NAME.sub(r"\1ON", definition)) for table, name, definition in rows]


def schema_names_align(connection, schemas: list[str], *, template: str) -> list[str]:
    """Rename each schema's constraints and indexes to the template's names, and give its sequences
    the template's type, where only those differ. Returns the statements it ran."""
    qn = connection.ops.quote_name
    statements = []
    with connection.cursor() as cursor:
        theirs = _read(cursor, template)  # once, whatever the number of schemas
        their_sequences = {(table, column): rest for table, column, *rest in theirs["sequences"]}
        for schema in schemas:
            ours = _read(cursor, schema)
            relations = {name for (name,) in ours["relations"]}
            mine = []
            for table, old, new in _renames(ours["constraints"], theirs["constraints"], relations):
                mine.append(f"ALTER TABLE {qn(schema)}.{qn(table)} RENAME CONSTRAINT {qn(old)} TO {qn(new)}")
            for _table, old, new in _renames(_unnamed(ours["indexes"]), _unnamed(theirs["indexes"]), relations):
                mine.append(f"ALTER INDEX {qn(schema)}.{qn(old)} RENAME TO {qn(new)}")
            for table, column, sequence, kind, maximum in ours["sequences"]:
                wanted = their_sequences.get((table, column))
                if wanted and (kind, maximum) != (wanted[1], wanted[2]):
                    mine.append(f"ALTER SEQUENCE {qn(schema)}.{qn(sequence)} AS {wanted[1]} MAXVALUE {int(wanted[2])}")
            for statement in mine:
                cursor.execute(statement)
            statements += mine
    return statements
