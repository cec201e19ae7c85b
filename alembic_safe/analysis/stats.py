"""Live table statistics and catalog facts for the linter (``alembic-safe check --url``).

Row counts are the planner's estimates (``pg_class.reltuples``, kept fresh by autovacuum
and ANALYZE), never ``count(*)``: reading them costs nothing on a production database.
Sizes are ``pg_total_relation_size`` (table, indexes and TOAST).  Every answer is cached
for the run; the queries only read the catalog.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.engine import Connection

from alembic_safe.analysis import deps
from alembic_safe.pg import catalog as _catalog
from alembic_safe.pg.catalog import regclass_text

T = TypeVar("T")

SMALL_UNANALYZED_BYTES = 1024 * 1024
"""A never-analyzed table (no row estimate) this small still counts as small."""


SMALL_TABLE_ROWS = 10_000
"""With live statistics, a lock on a table this small is brief: findings become info, and
the impact analysis calls the downtime brief."""


def format_rows(rows: int) -> str:
    if rows < 1000:
        return str(rows)
    for unit, size in (("B", 10**9), ("M", 10**6), ("k", 10**3)):
        if rows >= size:
            value = rows / size
            return f"{value:.1f}{unit}" if value < 10 else f"{value:.0f}{unit}"
    return str(rows)  # pragma: no cover - unreachable


def format_bytes(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            if unit == "bytes":
                return f"{int(value)} bytes"
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover - unreachable


@dataclass(frozen=True)
class TableStats:
    """What the catalog says about one table."""

    name: str
    exists: bool
    rows: int | None = None
    """Estimated rows; None when the table was never analyzed."""
    total_bytes: int | None = None
    kind: str | None = None
    """``pg_class.relkind``: r table, p partitioned table, m materialized view..."""

    @property
    def known(self) -> bool:
        return self.exists and (self.rows is not None or self.total_bytes is not None)

    def is_small(self, max_rows: int) -> bool:
        if not self.exists:
            return False
        if self.rows is not None:
            return self.rows <= max_rows
        return self.total_bytes is not None and self.total_bytes <= SMALL_UNANALYZED_BYTES

    def describe(self) -> str:
        parts = []
        if self.rows is not None:
            parts.append(f"~{format_rows(self.rows)} rows")
        else:
            parts.append("never analyzed")
        if self.total_bytes is not None:
            parts.append(format_bytes(self.total_bytes))
        return f"{self.name}: {', '.join(parts)}"


_NOT_NULL_CHECK = r'^CHECK \(\(?"?{column}"?\s+IS\s+NOT\s+NULL\)?\)$'


@dataclass
class LiveCatalog:
    """Cached catalog reads over one connection."""

    connection: Connection
    _tables: dict[str, TableStats] = field(default_factory=dict)
    _checks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    _volatility: dict[str, str | None] = field(default_factory=dict)
    _types: dict[tuple[str, str], str | None] = field(default_factory=dict)
    _deps: dict[tuple[str, str | None, bool], list[deps.Dependent]] = field(default_factory=dict)
    _keys: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    _function_deps: dict[str, list[str]] = field(default_factory=dict)
    _constraints: dict[str, dict[str, str]] = field(default_factory=dict)

    def _read(self, query: Callable[[], T], default: T) -> T:
        """Run a catalog read; a failing one (odd names, permissions) answers ``default``."""
        try:
            return query()
        except sa_exc.DBAPIError:
            if self.connection.in_transaction():
                self.connection.rollback()
            return default

    def dependents(self, table: str, column: str | None = None) -> list[deps.Dependent]:
        key = (table, column, False)
        if key not in self._deps:
            self._deps[key] = self._read(
                lambda: deps.dependents(self.connection, table, column), []
            )
        return self._deps[key]

    def index_dependents(self, index: str) -> list[deps.Dependent]:
        key = (index, None, True)
        if key not in self._deps:
            self._deps[key] = self._read(lambda: deps.index_dependents(self.connection, index), [])
        return self._deps[key]

    def server_version(self) -> int:
        """The server's major version (150004 -> 15)."""
        number = self.connection.execute(text("SHOW server_version_num")).scalar()
        return int(str(number)) // 10000

    def table(self, name: str) -> TableStats | None:
        if not name:
            return None
        if name not in self._tables:
            row = self._read(lambda: self._table_row(name), None)
            if row is None:
                self._tables[name] = TableStats(name, exists=False)
            else:
                reltuples, size, kind = row
                rows = int(reltuples) if reltuples is not None and reltuples >= 0 else None
                self._tables[name] = TableStats(name, True, rows, int(size), str(kind))
        return self._tables[name]

    def _table_row(self, name: str) -> tuple[float, int, str] | None:
        row = self.connection.execute(
            text(
                "SELECT c.reltuples, pg_catalog.pg_total_relation_size(c.oid), c.relkind"
                " FROM pg_catalog.pg_class c WHERE c.oid = to_regclass(:name)"
            ),
            {"name": regclass_text(name)},
        ).first()
        return None if row is None else (row[0], row[1], row[2])

    def column_type(self, table: str, column: str) -> str | None:
        key = (table, column)
        if key not in self._types:
            self._types[key] = self._read(
                lambda: _catalog.column_type(self.connection, table, column), None
            )
        return self._types[key]

    def validated_not_null_check(self, table: str, column: str) -> str | None:
        """Name of a validated ``CHECK (column IS NOT NULL)`` on ``table``, if one exists."""
        if table not in self._checks:
            self._checks[table] = self._read(lambda: self._not_null_checks(table), [])
        pattern = re.compile(_NOT_NULL_CHECK.format(column=re.escape(column)), re.I)
        for name, definition in self._checks[table]:
            if pattern.match(definition.strip()):
                return name
        return None

    def _not_null_checks(self, table: str) -> list[tuple[str, str]]:
        rows = self.connection.execute(
            text(
                "SELECT conname, pg_catalog.pg_get_constraintdef(oid)"
                " FROM pg_catalog.pg_constraint"
                " WHERE conrelid = to_regclass(:table) AND contype = 'c' AND convalidated"
            ),
            {"table": regclass_text(table)},
        ).all()
        return [(str(n), str(d)) for n, d in rows]

    def key_columns(self, table: str) -> list[tuple[str, ...]]:
        """The column lists of the table's primary key, unique constraints and unique indexes."""
        if table not in self._keys:
            self._keys[table] = self._read(lambda: self._key_rows(table), [])
        return self._keys[table]

    def _key_rows(self, table: str) -> list[tuple[str, ...]]:
        rows = self.connection.execute(
            text(
                "SELECT array_agg(a.attname::text ORDER BY k.ord)"
                " FROM pg_catalog.pg_index i"
                " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
                " JOIN pg_catalog.pg_attribute a"
                "   ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                " WHERE i.indrelid = to_regclass(:table) AND i.indisunique AND i.indisvalid"
                "   AND i.indpred IS NULL AND i.indexprs IS NULL"
                " GROUP BY i.indexrelid"
            ),
            {"table": regclass_text(table)},
        ).all()
        return [tuple(str(c) for c in row[0]) for row in rows]

    def constraint_kind(self, table: str, name: str) -> str | None:
        """``primary key``, ``unique constraint``, ``foreign key``, ``check constraint`` or
        ``exclusion constraint`` for a constraint of ``table``; None if there is none."""
        if table not in self._constraints:
            self._constraints[table] = self._read(lambda: self._constraint_rows(table), {})
        return self._constraints[table].get(name)

    def _constraint_rows(self, table: str) -> dict[str, str]:
        kinds = {
            "p": "primary key",
            "u": "unique constraint",
            "f": "foreign key",
            "c": "check constraint",
            "x": "exclusion constraint",
        }
        rows = self.connection.execute(
            text(
                "SELECT conname, contype FROM pg_catalog.pg_constraint"
                " WHERE conrelid = to_regclass(:table)"
            ),
            {"table": regclass_text(table)},
        ).all()
        return {str(n): kinds.get(str(t), "constraint") for n, t in rows}

    def function_dependents(self, name: str) -> list[str]:
        """What depends on the functions called ``name`` (indexes, triggers, defaults, views).

        Read from ``pg_depend``: objects whose definition calls the function (a function's
        own body is not tracked there).
        """
        if name not in self._function_deps:
            self._function_deps[name] = self._read(lambda: self._function_dependent_rows(name), [])
        return self._function_deps[name]

    def _function_dependent_rows(self, name: str) -> list[str]:
        rows = self.connection.execute(
            text(
                "SELECT DISTINCT pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)"
                " FROM pg_catalog.pg_proc p"
                " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                " JOIN pg_catalog.pg_depend d"
                "   ON d.refclassid = 'pg_catalog.pg_proc'::regclass AND d.refobjid = p.oid"
                " WHERE p.proname = :name AND d.deptype = 'n'"
                "   AND (n.nspname = :schema OR :schema = ''"
                "        AND pg_catalog.pg_function_is_visible(p.oid))"
                " ORDER BY 1"
            ),
            {"name": name.rpartition(".")[2], "schema": name.rpartition(".")[0]},
        ).all()
        return [_rule_of_view(str(r[0])) for r in rows]

    def function_volatility(self, name: str) -> str | None:
        """``volatile``, ``stable`` or ``immutable`` for a function name; None if unknown."""
        if name not in self._volatility:
            rows: list[str] = self._read(lambda: self._volatility_rows(name), list[str]())
            kinds = {str(r) for r in rows}
            words = {"v": "volatile", "s": "stable", "i": "immutable"}
            if not kinds:
                self._volatility[name] = None
            elif "v" in kinds:
                self._volatility[name] = "volatile"
            else:
                self._volatility[name] = words[sorted(kinds)[-1]]
        return self._volatility[name]

    def _volatility_rows(self, name: str) -> list[str]:
        rows = self.connection.execute(
            text(
                "SELECT DISTINCT p.provolatile FROM pg_catalog.pg_proc p"
                " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                " WHERE p.proname = :name AND (n.nspname = :schema OR :schema = ''"
                " AND pg_catalog.pg_function_is_visible(p.oid))"
            ),
            {"name": name.rpartition(".")[2], "schema": name.rpartition(".")[0]},
        ).all()
        return [str(r[0]) for r in rows]


def _rule_of_view(description: str) -> str:
    """``rule _RETURN on view v`` (how pg_describe_object names a view's query) -> ``view v``."""
    prefix = "rule _RETURN on "
    return description.removeprefix(prefix) if description.startswith(prefix) else description
