"""A catalog snapshot of a database, for "is it exactly as before?" comparisons.

The snapshot lists, per user schema: tables with their columns (type, nullability,
default), indexes (definition, validity), constraints (definition, validated), views,
sequences, and, optionally, a row count and an md5 checksum of each table's contents.
Two snapshots compare equal when the schema (and data) are the same; :func:`diff` says
what differs in plain lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from alembic_safe.checks import quote_ident

Snapshot = dict[str, Any]

_SYSTEM_SCHEMAS = "('pg_catalog', 'information_schema', 'pg_toast')"


def take(
    connection: Connection,
    *,
    include_data: bool = True,
    exclude_tables: Iterable[str] = ("alembic_safe_history",),
) -> Snapshot:
    """Snapshot every user schema reachable from ``connection``."""
    excluded = set(exclude_tables)
    snap: Snapshot = {"tables": {}, "indexes": {}, "constraints": {}, "views": {}, "sequences": {}}
    rows = connection.execute(
        text(
            "SELECT n.nspname, c.relname, c.relkind, owner.relname FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " LEFT JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass"
            " AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
            " LEFT JOIN pg_class owner ON owner.oid = d.refobjid"
            f" WHERE n.nspname NOT IN {_SYSTEM_SCHEMAS} AND n.nspname NOT LIKE 'pg_temp%'"
            " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') ORDER BY 1, 2"
        )
    ).all()
    for schema, name, kind, owner in rows:
        if name in excluded or owner in excluded:
            continue
        key = f"{schema}.{name}"
        if kind in ("v", "m"):
            definition = connection.execute(
                text("SELECT pg_get_viewdef(to_regclass(:r), true)"), {"r": _reg(schema, name)}
            ).scalar()
            snap["views"][key] = {"kind": kind, "definition": definition}
            continue
        if kind == "S":
            snap["sequences"][key] = True
            continue
        columns = connection.execute(
            text(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
                " pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated"
                " FROM pg_attribute a LEFT JOIN pg_attrdef d"
                " ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                " WHERE a.attrelid = to_regclass(:r) AND a.attnum > 0 AND NOT a.attisdropped"
                " ORDER BY a.attname"
            ),
            {"r": _reg(schema, name)},
        ).all()
        table: dict[str, Any] = {"columns": {c[0]: list(c[1:]) for c in columns}}
        if include_data and kind in ("r", "p"):
            count, digest = connection.execute(
                text(
                    f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                    f" FROM {quote_ident(schema)}.{quote_ident(name)} t"
                )
            ).one()
            table["rows"] = count
            table["checksum"] = digest
        snap["tables"][key] = table
    for schema, owner, name, definition, valid in connection.execute(
        text(
            "SELECT n.nspname, t.relname, i.relname, pg_get_indexdef(x.indexrelid), x.indisvalid"
            " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            " JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = i.relnamespace"
            f" WHERE n.nspname NOT IN {_SYSTEM_SCHEMAS}"
        )
    ):
        if owner not in excluded:
            snap["indexes"][f"{schema}.{name}"] = {"definition": definition, "valid": valid}
    for schema, owner, name, definition, validated in connection.execute(
        text(
            "SELECT n.nspname, t.relname, k.conname, pg_get_constraintdef(k.oid), k.convalidated"
            " FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid"
            " JOIN pg_namespace n ON n.oid = t.relnamespace"
            f" WHERE n.nspname NOT IN {_SYSTEM_SCHEMAS}"
        )
    ):
        if owner not in excluded:
            snap["constraints"][f"{schema}.{owner}.{name}"] = {
                "definition": definition,
                "validated": validated,
            }
    return snap


def _reg(schema: str, name: str) -> str:
    return f"{quote_ident(schema)}.{quote_ident(name)}"


def diff(before: Snapshot, after: Snapshot) -> list[str]:
    """Plain-language differences between two snapshots (empty when equal)."""
    lines: list[str] = []
    for section in ("tables", "indexes", "constraints", "views", "sequences"):
        old, new = before.get(section, {}), after.get(section, {})
        for key in sorted(set(old) - set(new)):
            lines.append(f"{section[:-1]} {key} is gone")
        for key in sorted(set(new) - set(old)):
            lines.append(f"{section[:-1]} {key} is new")
        for key in sorted(set(old) & set(new)):
            if old[key] != new[key]:
                lines.append(f"{section[:-1]} {key} changed: {old[key]!r} -> {new[key]!r}")
    return lines
