"""What a backup holds: the whole database, the touched tables, or the schema.

``backup_scope = tables`` keeps the rows of the tables the pending revisions touch, their
partitions and inheritance children, the tables whose foreign keys point at them, and every
table those rows reference (:func:`data_tables`), plus the complete schema and the version
and history tables.

The plans name tables as strings (``table`` or ``schema.table``), so ``we.ird`` may be the
table named ``we.ird`` on the ``search_path`` or table ``ird`` in schema ``we``:
:func:`resolve` asks the catalog for every reading, as PostgreSQL would resolve each
(``to_regclass`` of the quoted parts; an unqualified name follows the session's
``search_path``), and keeps every table found.  A touched name that is not a table in the
database (and that no pending revision creates), or that is a view, makes the backup fall
back to the full database, and :func:`dump_contents` says why: a touched table never goes
missing from a backup silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from alembic.operations import ops as alembic_ops
from sqlalchemy import text
from sqlalchemy.engine import Connection

from alembic_safe.capture.plan import Plan, op_tables
from alembic_safe.checks import quote_ident


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


def readings(name: str) -> list[tuple[str | None, str]]:
    """Every (schema, table) a plan's name can mean: ``a.b`` is "a.b" or "b" in schema "a"."""
    parts = name.split(".")
    found: list[tuple[str | None, str]] = [(None, name)]
    for cut in range(1, len(parts)):
        found.append((".".join(parts[:cut]), ".".join(parts[cut:])))
    return found


def _regclass(schema: str | None, table: str) -> str:
    return f"{quote_ident(schema)}.{quote_ident(table)}" if schema else quote_ident(table)


_TABLE_KINDS = {"r", "p"}
_KIND_WORDS = {"v": "a view", "m": "a materialized view", "f": "a foreign table"}


@dataclass
class Resolution:
    """What the touched names are in the database."""

    oids: list[int] = field(default_factory=list)
    """The tables found (every reading of every name)."""
    problems: list[str] = field(default_factory=list)
    """Why a ``tables`` backup cannot be trusted to hold the touched rows (then: full)."""


def resolve(
    connection: Connection, names: Iterable[str], created: Iterable[str] = ()
) -> Resolution:
    """The tables ``names`` mean in the database; see the module docstring.

    ``created``: names a pending revision creates; they have no rows yet, so not finding
    them is no problem.
    """
    result = Resolution()
    made = set(created)
    for name in dict.fromkeys(names):
        kinds = []
        for schema, table in readings(name):
            row = connection.execute(
                text(
                    "SELECT c.oid, c.relkind FROM pg_catalog.pg_class c WHERE c.oid = to_regclass(:r)"
                ),
                {"r": _regclass(schema, table)},
            ).first()
            if row is None:
                continue
            kinds.append(str(row[1]))
            if str(row[1]) in _TABLE_KINDS:
                result.oids.append(int(row[0]))
        if "v" in kinds:
            result.problems.append(
                f'"{name}" is {_KIND_WORDS["v"]}, and the rows behind a view are not followed'
            )
        elif not kinds and name not in made:
            result.problems.append(
                f'no table "{name}" is found in the database (as written, with the search_path)'
            )
    return result


def resolve_tables(connection: Connection, names: Iterable[str]) -> list[int]:
    """The oids of the tables ``names`` mean (every reading of each)."""
    return resolve(connection, names).oids


def created_by(plan: Plan) -> tuple[str, ...]:
    """Names of the relations ``plan`` creates (so they need not exist before it runs)."""
    found: list[str] = []
    for step in plan.steps:
        if isinstance(step.op, alembic_ops.CreateTableOp):
            found.extend(op_tables(step.op))
        elif isinstance(step.op, alembic_ops.RenameTableOp):
            schema = step.op.schema
            found.append(f"{schema}.{step.op.new_table_name}" if schema else step.op.new_table_name)
        for statement in step.statements:
            found.extend(statement.creates)
    return tuple(dict.fromkeys(found))


_PLAIN = re.compile(r"^[a-z_][a-z0-9_$]*$")


def shown(schema: str, table: str) -> str:
    """``schema.table`` for labels and messages, each part quoted when it must be."""

    def part(value: str) -> str:
        return value if _PLAIN.match(value) else quote_ident(value)

    return f"{part(schema)}.{part(table)}"


def data_tables(connection: Connection, touched: Iterable[str]) -> list[tuple[str, str]]:
    """The tables whose rows a ``tables``-scope backup keeps, as (schema, table).

    The touched tables, their partitions and inheritance children, the tables whose foreign
    keys point at them (an ``ON DELETE CASCADE`` reaches those), and, so the rows restore,
    every table those rows reference.
    """
    start = resolve_tables(connection, touched)
    return _expanded(connection, start)


def _expanded(connection: Connection, start: list[int]) -> list[tuple[str, str]]:
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
    for schema, table in readings(name):
        row = connection.execute(
            text(
                "SELECT n.nspname, c.relname FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(:name)"
                " AND c.relkind IN ('r', 'p') AND c.xmin::text IS DISTINCT FROM"
                "   (txid_current_if_assigned() % 4294967296)::text"
            ),
            {"name": _regclass(schema, table)},
        ).first()
        if row is not None:
            return (str(row[0]), str(row[1]))
    return None


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
    scope: str = "full"
    """The scope the dump really has (``tables`` falls back to ``full``, see ``notes``)."""
    notes: tuple[str, ...] = ()
    """Why the scope differs from the one asked for."""


def dump_contents(
    connection: Connection,
    scope: str,
    touched: Iterable[str],
    version_table: str,
    history_table: str | None,
    *,
    created: Iterable[str] = (),
) -> Contents:
    """What a dump of ``scope`` will hold, read from the catalog before it starts.

    ``scope = tables`` becomes ``full`` (with a note saying why) when a touched name is not
    a table of the database that the catalog can name, unless a pending revision creates it.
    """
    server = server_info(connection)
    version = _qualified_existing(connection, version_table)
    history = _qualified_existing(connection, history_table) if history_table else None
    everything = _all_tables(connection)
    notes: tuple[str, ...] = ()
    chosen: list[tuple[str, str]] = []
    if scope == "tables":
        resolution = resolve(connection, touched, created)
        if resolution.problems:
            notes = tuple(
                f"backup_scope = tables, but {problem}; backing up the full database instead"
                for problem in resolution.problems
            )
            scope = "full"
        else:
            chosen = _expanded(connection, resolution.oids)
    if scope == "full":
        return Contents(server, version, None, [], len(everything), "full", notes)
    selected = sorted(set(chosen) | {t for t in (version, history) if t is not None})
    keep = set(selected)
    without = [table for table in everything if table not in keep]
    return Contents(server, version, selected, without, len(selected), scope, notes)
