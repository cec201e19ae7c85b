"""Live catalog queries: who blocks us, who holds the deploy lock, what type a column has."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.engine import Connection

from alembic_safe.checks import quote_ident


def split_table(name: str) -> tuple[str | None, str]:
    """``app.users`` -> (``app``, ``users``); ``users`` -> (None, ``users``)."""
    schema, dot, table = name.rpartition(".")
    return (schema or None) if dot else None, table


def regclass_text(name: str) -> str:
    """``app.users`` -> ``"app"."users"`` for to_regclass()."""
    schema, table = split_table(name)
    return f"{quote_ident(schema)}.{quote_ident(table)}" if schema else quote_ident(table)


def format_age(age: timedelta | None) -> str:
    if age is None:
        return "unknown time"
    seconds = int(age.total_seconds())
    if seconds < 60:
        return f"{age.total_seconds():.1f} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} days {hours} h"


@dataclass(frozen=True)
class Session:
    """A database session seen in pg_stat_activity."""

    pid: int
    user: str | None
    application: str | None
    client: str | None
    state: str | None
    query: str | None
    transaction_age: timedelta | None
    query_age: timedelta | None
    locks: str = ""
    relations: str = ""

    def describe(self) -> str:
        query = " ".join((self.query or "").split())
        if len(query) > 200:
            query = query[:197] + "..."
        parts = []
        who = ", ".join(
            x
            for x in (
                f"user {self.user}" if self.user else "",
                f'application "{self.application}"' if self.application else "",
                f"from {self.client}" if self.client else "",
            )
            if x
        )
        parts.append(f"pid {self.pid} ({who})" if who else f"pid {self.pid}")
        if self.state:
            parts.append(f"{self.state} for {format_age(self.query_age)}")
        if self.transaction_age is not None:
            parts.append(f"in a transaction open for {format_age(self.transaction_age)}")
        if self.locks:
            parts.append(f"holding {self.locks} on {self.relations}")
        return ", ".join(parts) + (f"; last query: {query}" if query else "")


_SESSION_COLUMNS = (
    "a.pid, a.usename, a.application_name, host(a.client_addr), a.state, a.query,"
    " now() - a.xact_start, now() - a.state_change"
)


def blockers(connection: Connection, tables: Iterable[str]) -> list[Session]:
    """Other sessions holding locks on ``tables`` (granted locks only)."""
    names = [regclass_text(t) for t in tables if t]
    if not names:
        return []
    rows = connection.execute(
        text(
            f"SELECT {_SESSION_COLUMNS},"
            " string_agg(DISTINCT l.mode, ', '), string_agg(DISTINCT c.relname, ', ')"
            " FROM pg_catalog.pg_locks l"
            " JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
            " JOIN pg_catalog.pg_class c ON c.oid = l.relation"
            " WHERE l.granted AND l.pid <> pg_backend_pid()"
            " AND l.relation = ANY (SELECT to_regclass(n) FROM unnest(CAST(:names AS text[])) n)"
            " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 7 DESC NULLS LAST"
        ),
        {"names": names},
    ).all()
    return [Session(*row) for row in rows]


def advisory_holder(connection: Connection, key: int) -> Session | None:
    """The session holding the session-level advisory lock ``key``, if any."""
    unsigned = key & 0xFFFFFFFFFFFFFFFF
    row = connection.execute(
        text(
            f"SELECT {_SESSION_COLUMNS} FROM pg_catalog.pg_locks l"
            " JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
            " AND l.classid = CAST(:hi AS oid) AND l.objid = CAST(:lo AS oid)"
        ),
        {"hi": str(unsigned >> 32), "lo": str(unsigned & 0xFFFFFFFF)},
    ).first()
    return Session(*row) if row else None


def column_type(connection: Connection, table: str, column: str) -> str | None:
    """``format_type`` of a column, or None when the table or column does not exist."""
    value = connection.execute(
        text(
            "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a"
            " WHERE a.attrelid = to_regclass(:table) AND a.attname = :column"
            " AND a.attnum > 0 AND NOT a.attisdropped"
        ),
        {"table": regclass_text(table), "column": column},
    ).scalar()
    return str(value) if value is not None else None
