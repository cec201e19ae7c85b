"""What a backup holds: the whole database, the touched tables, or the schema.

``backup_scope = tables`` keeps the rows of the tables the pending revisions touch, their
partitions and inheritance children, the tables whose foreign keys point at them, and every
table those rows reference (:func:`data_tables`), plus the complete schema and the version
and history tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from alembic_safe.pg.catalog import regclass_text


@dataclass(frozen=True)
class ServerInfo:
    major: int
    version: str
    database: str
    encoding: str = ""
    collate: str = ""
    ctype: str = ""


def server_info(connection: Connection) -> ServerInfo:
    row = connection.execute(
        text(
            "SELECT current_setting('server_version_num')::int,"
            " current_setting('server_version'), current_database(),"
            " pg_encoding_to_char(d.encoding), d.datcollate, d.datctype"
            " FROM pg_database d WHERE d.datname = current_database()"
        )
    ).one()
    return ServerInfo(
        major=int(row[0]) // 10000,
        version=str(row[1]),
        database=str(row[2]),
        encoding=str(row[3]),
        collate=str(row[4]),
        ctype=str(row[5]),
    )


def resolve_tables(connection: Connection, names: Iterable[str]) -> list[int]:
    oids = []
    for name in dict.fromkeys(names):
        oid = connection.execute(
            text("SELECT to_regclass(:name)::oid"), {"name": regclass_text(name)}
        ).scalar()
        if oid is not None:
            oids.append(int(oid))
    return oids


def data_tables(connection: Connection, touched: Iterable[str]) -> list[tuple[str, str]]:
    """The tables whose rows a ``tables``-scope backup keeps, as (schema, table).

    The touched tables, their partitions and inheritance children, the tables whose foreign
    keys point at them (an ``ON DELETE CASCADE`` reaches those), and, so the rows restore,
    every table those rows reference.
    """
    start = resolve_tables(connection, touched)
    if not start:
        return []
    down_edges: dict[int, set[int]] = {}  # a table -> tables its changes can reach
    up_edges: dict[int, set[int]] = {}  # a table -> tables its rows need
    for kind, child_oid, parent_oid in connection.execute(
        text(
            "SELECT 'f', conrelid, confrelid FROM pg_constraint WHERE contype = 'f'"
            " UNION ALL SELECT 'i', inhrelid, inhparent FROM pg_inherits"
        )
    ):
        child, parent = int(child_oid), int(parent_oid)
        down_edges.setdefault(parent, set()).add(child)  # referencing rows, partitions
        if kind == "f":
            up_edges.setdefault(child, set()).add(parent)  # referenced rows
        else:
            up_edges.setdefault(parent, set()).add(child)  # a parent's rows are in its partitions
    both = _closure(_closure(start, down_edges), up_edges)
    rows = connection.execute(
        text(
            "SELECT n.nspname, c.relname FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.oid = ANY(CAST(:oids AS oid[])) AND c.relkind IN ('r', 'p') ORDER BY 1, 2"
        ),
        {"oids": sorted(both)},
    ).all()
    return [(str(schema), str(name)) for schema, name in rows]


def _closure(start: Iterable[int], edges: dict[int, set[int]]) -> set[int]:
    seen = set(start)
    todo = list(seen)
    while todo:
        for following in edges.get(todo.pop(), ()):
            if following not in seen:
                seen.add(following)
                todo.append(following)
    return seen


def _all_tables(connection: Connection) -> list[tuple[str, str]]:
    rows = connection.execute(
        text(
            "SELECT n.nspname, c.relname FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            " AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"
            " ORDER BY 1, 2"
        )
    ).all()
    return [(str(schema), str(name)) for schema, name in rows]


def _qualified_existing(connection: Connection, name: str) -> tuple[str, str] | None:
    """(schema, table) of a committed table; None if missing or created by our own open
    transaction (Alembic may just have created ``alembic_version``: pg_dump cannot see it).
    """
    row = connection.execute(
        text(
            "SELECT n.nspname, c.relname FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(:name)"
            " AND c.xmin::text IS DISTINCT FROM"
            "   (txid_current_if_assigned() % 4294967296)::text"
        ),
        {"name": regclass_text(name)},
    ).first()
    return (str(row[0]), str(row[1])) if row else None


def dump_pattern(schema: str, table: str) -> str:
    """A pg_dump ``-t`` pattern matching exactly this table (quotes make wildcards literal)."""

    def quote(part: str) -> str:
        return '"' + part.replace('"', '""') + '"'

    return f"{quote(schema)}.{quote(table)}"


@dataclass(frozen=True)
class Contents:
    """What a dump will hold, read from the catalog before it starts."""

    server: ServerInfo
    version: tuple[str, str] | None
    """The committed version table, if any."""
    selected: list[tuple[str, str]] | None
    """Tables whose rows are kept (None: all)."""
    without_rows: list[tuple[str, str]]
    tables_with_rows: int


def dump_contents(
    connection: Connection,
    scope: str,
    touched: Iterable[str],
    version_table: str,
    history_table: str | None,
) -> Contents:
    """What a dump of ``scope`` will hold, read from the catalog before it starts."""
    server = server_info(connection)
    version = _qualified_existing(connection, version_table)
    history = _qualified_existing(connection, history_table) if history_table else None
    everything = _all_tables(connection)
    if scope == "full":
        return Contents(server, version, None, [], len(everything))
    chosen = data_tables(connection, touched) if scope == "tables" else []
    selected = sorted(set(chosen) | {t for t in (version, history) if t is not None})
    keep = set(selected)
    without = [table for table in everything if table not in keep]
    return Contents(server, version, selected, without, len(selected))
