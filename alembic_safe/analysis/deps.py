"""What depends on a table, a column or an index, read from ``pg_depend``.

PostgreSQL records every dependency it enforces: views and materialized views (through
their rewrite rules), constraints and foreign keys from other tables, indexes, triggers,
functions with SQL-standard bodies (``BEGIN ATOMIC``, PostgreSQL 14+), row-level security
policies, sequences owned by a column, and column defaults.  A *normal* dependency makes
``DROP`` fail ("cannot drop column email of table users because other objects depend on
it") unless ``CASCADE`` drops the dependent too; an *automatic* one is dropped silently
with its referent.  This module answers that question before the migration runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from alembic_safe.errors import UsageError
from alembic_safe.pg.catalog import regclass_text

_DEPENDENTS = """
SELECT DISTINCT
  CASE d.classid
    WHEN 'pg_catalog.pg_rewrite'::regclass THEN (
      SELECT CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END
      FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
      WHERE r.oid = d.objid)
    WHEN 'pg_catalog.pg_constraint'::regclass THEN (
      SELECT CASE WHEN con.contype = 'f' AND con.conrelid <> d.refobjid
                  THEN 'foreign key' ELSE 'constraint' END
      FROM pg_catalog.pg_constraint con WHERE con.oid = d.objid)
    WHEN 'pg_catalog.pg_class'::regclass THEN (
      SELECT CASE c.relkind WHEN 'i' THEN 'index' WHEN 'I' THEN 'index'
                            WHEN 'S' THEN 'sequence' ELSE 'relation' END
      FROM pg_catalog.pg_class c WHERE c.oid = d.objid)
    WHEN 'pg_catalog.pg_trigger'::regclass THEN 'trigger'
    WHEN 'pg_catalog.pg_proc'::regclass THEN 'function'
    WHEN 'pg_catalog.pg_policy'::regclass THEN 'policy'
    WHEN 'pg_catalog.pg_attrdef'::regclass THEN 'default'
    ELSE 'object'
  END AS kind,
  CASE WHEN d.classid = 'pg_catalog.pg_rewrite'::regclass
       THEN (SELECT r.ev_class::regclass::text FROM pg_catalog.pg_rewrite r WHERE r.oid = d.objid)
       ELSE pg_catalog.pg_describe_object(d.classid, d.objid, 0)
  END AS name,
  d.deptype = 'n' AS normal,
  CASE d.classid
    WHEN 'pg_catalog.pg_constraint'::regclass THEN (
      SELECT con.conrelid = d.refobjid FROM pg_catalog.pg_constraint con WHERE con.oid = d.objid)
    WHEN 'pg_catalog.pg_trigger'::regclass THEN (
      SELECT t.tgrelid = d.refobjid FROM pg_catalog.pg_trigger t WHERE t.oid = d.objid)
    WHEN 'pg_catalog.pg_policy'::regclass THEN (
      SELECT p.polrelid = d.refobjid FROM pg_catalog.pg_policy p WHERE p.oid = d.objid)
    ELSE false
  END AS same_table
FROM pg_catalog.pg_depend d
WHERE d.refclassid = 'pg_catalog.pg_class'::regclass
  AND d.refobjid = to_regclass(:relation)
  AND d.deptype IN ('n', 'a')
  AND NOT EXISTS (  -- PostgreSQL 18's NOT NULL constraints go with their column
    SELECT 1 FROM pg_catalog.pg_constraint nn
    WHERE d.classid = 'pg_catalog.pg_constraint'::regclass AND nn.oid = d.objid
      AND nn.contype = 'n')
  AND d.classid <> 'pg_catalog.pg_type'::regclass
  AND (CAST(:column AS text) IS NULL OR d.refobjsubid = (
      SELECT a.attnum FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = to_regclass(:relation) AND a.attname = :column AND NOT a.attisdropped))
"""

_INDEX_OWNER = """
SELECT 'constraint', pg_catalog.pg_describe_object(d.refclassid, d.refobjid, 0), true
FROM pg_catalog.pg_depend d
WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = to_regclass(:relation)
  AND d.refclassid = 'pg_catalog.pg_constraint'::regclass AND d.deptype = 'i'
"""

_KIND_ORDER = (
    "view",
    "materialized view",
    "foreign key",
    "constraint",
    "index",
    "trigger",
    "function",
    "policy",
    "sequence",
    "default",
    "relation",
    "object",
)


@dataclass(frozen=True)
class Dependent:
    """One object that depends on the table, column or index."""

    kind: str
    name: str
    blocks: bool
    """A normal dependency: DROP fails without CASCADE (which would drop this too)."""

    def describe(self) -> str:
        name = self.name
        for prefix in (f"{self.kind} ", "index ", "sequence ", "function ", "trigger "):
            name = name.removeprefix(prefix)
        return f"{self.kind} {name}"


def _sorted(rows: list[Dependent]) -> list[Dependent]:
    def key(d: Dependent) -> tuple[int, int, str]:
        order = _KIND_ORDER.index(d.kind) if d.kind in _KIND_ORDER else len(_KIND_ORDER)
        return (0 if d.blocks else 1, order, d.name)

    return sorted(set(rows), key=key)


def relation_exists(connection: Connection, relation: str) -> bool:
    return bool(
        connection.execute(
            text("SELECT to_regclass(:r) IS NOT NULL"), {"r": regclass_text(relation)}
        ).scalar()
    )


def column_exists(connection: Connection, table: str, column: str) -> bool:
    return bool(
        connection.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid ="
                " to_regclass(:t) AND attname = :c AND attnum > 0 AND NOT attisdropped)"
            ),
            {"t": regclass_text(table), "c": column},
        ).scalar()
    )


def dependents(connection: Connection, table: str, column: str | None = None) -> list[Dependent]:
    """Objects that depend on ``table`` (or on its ``column``), blocking ones first.

    What blocks a DROP follows PostgreSQL: for a table, normal dependencies of other
    objects (its own constraints, triggers and policies go with it); for a column, also
    triggers and policies of the same table, but not its constraints, which PostgreSQL
    drops with the column.
    """
    rows = connection.execute(
        text(_DEPENDENTS), {"relation": regclass_text(table), "column": column}
    ).all()
    found: dict[tuple[str, str], Dependent] = {}
    for kind, name, normal, same_table in rows:
        if column is None:
            blocks = bool(normal) and not same_table
        else:
            blocks = bool(normal) and not (same_table and kind == "constraint")
        key = (str(kind), str(name))
        if key not in found or blocks:
            found[key] = Dependent(key[0], key[1], blocks)
    return _sorted(list(found.values()))


def index_dependents(connection: Connection, index: str) -> list[Dependent]:
    """The constraint an index implements (DROP INDEX fails) and what depends on the index."""
    owner = connection.execute(text(_INDEX_OWNER), {"relation": regclass_text(index)}).all()
    found = [Dependent(str(k), str(n), bool(b)) for k, n, b in owner]
    found.extend(dependents(connection, index))
    return _sorted(found)


def summary(found: list[Dependent], limit: int = 6) -> str:
    """One clause for a finding: ``blocks the drop: view "v"; dropped with it: index ix``."""
    blocking = [d.describe() for d in found if d.blocks]
    automatic = [d.describe() for d in found if not d.blocks and d.kind != "default"]
    parts = []
    if blocking:
        shown = ", ".join(blocking[:limit]) + (
            f" and {len(blocking) - limit} more" if len(blocking) > limit else ""
        )
        parts.append(f"depended on by {shown} (fails without CASCADE)")
    if automatic:
        shown = ", ".join(automatic[:limit]) + (
            f" and {len(automatic) - limit} more" if len(automatic) > limit else ""
        )
        parts.append(f"drops with it {shown}")
    return "; ".join(parts)


def parse_target(target: str) -> tuple[str, str | None]:
    """``users`` / ``users.email`` / ``app.users.email`` -> (table, column)."""
    parts = [p for p in target.split(".")]
    if not target.strip() or any(not p.strip() for p in parts) or len(parts) > 3:
        raise UsageError(
            f"{target!r} is not TABLE, TABLE.COLUMN or SCHEMA.TABLE.COLUMN.",
            hint="For example: alembic-safe deps users.email --url $DATABASE_URL",
        )
    if len(parts) == 3:
        return f"{parts[0]}.{parts[1]}", parts[2]
    if len(parts) == 2:
        return parts[0], parts[1]
    return parts[0], None
