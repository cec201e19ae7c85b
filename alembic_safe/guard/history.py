"""The migration history table: every applied, failed or refused revision, and who ran it.

Alembic's ``alembic_version`` holds only the current heads.  ``alembic_safe_history``
(name configurable with ``history_table``) keeps one row per revision run: the revision,
the revision it started from, the direction, when it started, how long it took, how
many lock attempts it needed, who ran it, the backup taken before it, and the outcome
with its message.  Rows of applied revisions are written in the revision's own
transaction, so the log and the schema cannot disagree.
"""

from __future__ import annotations

import ast
import getpass
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import text
from sqlalchemy.engine import Connection

from alembic_safe.checks import quote_ident
from alembic_safe.config import Settings


def _table(name: str, schema: str | None) -> str:
    return f"{quote_ident(schema)}.{quote_ident(name)}" if schema else quote_ident(name)


def who() -> str:
    """``user@host`` of the person or machine running the migration."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


@dataclass(frozen=True)
class HistoryRow:
    id: int
    revision: str
    from_revision: str | None
    to_revision: str | None
    direction: str
    started_at: datetime
    duration_ms: int | None
    outcome: str
    attempts: int
    who: str
    db_user: str
    backup: str | None
    message: str | None


class History:
    """Reads and writes the history table of one database."""

    def __init__(self, table: str = "alembic_safe_history", schema: str | None = None) -> None:
        self.name = table
        self.schema = schema
        self.qualified = _table(table, schema)

    def ensure(self, connection: Connection) -> None:
        """Create the table if it is missing (called with the deploy lock held)."""
        connection.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS {self.qualified} ("
                " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                " revision text NOT NULL,"
                " from_revision text,"
                " to_revision text,"
                " direction text NOT NULL,"
                " started_at timestamptz NOT NULL,"
                " duration_ms integer,"
                " outcome text NOT NULL,"
                " attempts integer NOT NULL DEFAULT 1,"
                " who text NOT NULL,"
                " db_user text NOT NULL DEFAULT current_user,"
                " backup text,"
                " message text)"
            )
        )

    @classmethod
    def find(cls, connection: Connection, table: str, schema: str | None) -> History:
        """The history table of the database: in ``schema`` (the version table's), or else
        wherever one table of that name exists (a project whose schema is not configured
        here)."""
        history = cls(table, schema)
        if history.exists(connection):
            return history
        schemas = connection.execute(
            text(
                "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relname = :name AND c.relkind IN ('r', 'p') ORDER BY 1"
            ),
            {"name": table},
        ).scalars()
        found = list(schemas)
        return cls(table, str(found[0])) if len(found) == 1 else history

    def exists(self, connection: Connection) -> bool:
        found = connection.execute(
            text("SELECT to_regclass(:name) IS NOT NULL"), {"name": self.qualified}
        ).scalar()
        return bool(found)

    def record(
        self,
        connection: Connection,
        *,
        revision: str,
        from_revision: str | None,
        to_revision: str | None,
        direction: str,
        started_at: datetime,
        duration_ms: int | None,
        outcome: str,
        attempts: int = 1,
        backup: str | None = None,
        message: str | None = None,
    ) -> None:
        connection.execute(
            text(
                f"INSERT INTO {self.qualified} (revision, from_revision, to_revision, direction,"
                " started_at, duration_ms, outcome, attempts, who, backup, message) VALUES"
                " (:revision, :from_revision, :to_revision, :direction, :started_at,"
                " :duration_ms, :outcome, :attempts, :who, :backup, :message)"
            ),
            {
                "revision": revision,
                "from_revision": from_revision,
                "to_revision": to_revision,
                "direction": direction,
                "started_at": started_at,
                "duration_ms": duration_ms,
                "outcome": outcome,
                "attempts": attempts,
                "who": who(),
                "backup": backup,
                "message": message,
            },
        )

    def rows(self, connection: Connection, limit: int = 50) -> list[HistoryRow]:
        if not self.exists(connection):
            return []
        result = connection.execute(
            text(
                "SELECT id, revision, from_revision, to_revision, direction, started_at, duration_ms,"
                " outcome, attempts, who, db_user, backup, message"
                f" FROM {self.qualified} ORDER BY id DESC LIMIT :limit"
            ),
            {"limit": limit},
        )
        return [HistoryRow(*row) for row in result]


def configured_schema(config: Config | None, settings: Settings) -> str | None:
    """The schema of the version table: ``version_table_schema`` in the settings, else the
    ``version_table_schema="..."`` that env.py passes (read from its text, not run)."""
    if settings.version_table_schema:
        return settings.version_table_schema
    if config is None:
        return None
    try:
        env_py = Path(ScriptDirectory.from_config(config).dir) / "env.py"
        tree = ast.parse(env_py.read_text(encoding="utf-8"))
    except (CommandError, OSError, SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "version_table_schema":
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                return value.value
    return None
