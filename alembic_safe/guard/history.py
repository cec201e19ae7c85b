"""The migration history table: every applied, failed or refused revision, and who ran it.

Alembic's ``alembic_version`` holds only the current heads.  ``alembic_safe_history``
(name configurable with ``history_table``) keeps one row per revision run: the revision,
the revision it started from, the direction, when it started, how long it took, how
many lock attempts it needed, who ran it, the backup taken before it, the outcome with its
message, and (``progress``) what of the revision is committed, step by step.

A run's row is written when the revision starts, as ``running``, on a connection of its
own that commits at once; it is updated as steps commit and, at the end, turned into
``applied`` in the revision's own transaction (so the log and the schema cannot disagree),
or into ``failed``, ``partial`` or ``interrupted``.  A row still ``running`` whose server
session is gone belongs to a run that was killed or lost its connection: the next run
marks it ``abandoned`` (:meth:`History.settle`).

Outcomes: ``applied``; ``refused`` (nothing ran); ``failed`` (nothing of it is committed);
``partial`` (it stopped part-way: some steps are committed, see ``progress``);
``interrupted`` (Ctrl-C; ``progress`` says what stays); ``running``; ``abandoned``.
"""

from __future__ import annotations

import ast
import contextlib
import getpass
import json
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

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
    progress: dict[str, Any] | None = None


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
                " message text,"
                " progress jsonb)"
            )
        )
        has_progress = connection.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid ="
                " to_regclass(:name) AND attname = 'progress' AND NOT attisdropped)"
            ),
            {"name": self.qualified},
        ).scalar()
        if not has_progress:  # a table of an earlier version (the ALTER locks it briefly)
            connection.execute(text(f"ALTER TABLE {self.qualified} ADD COLUMN progress jsonb"))

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
        progress: dict[str, Any] | None = None,
    ) -> int:
        """Insert a row; return its id."""
        row_id = connection.execute(
            text(
                f"INSERT INTO {self.qualified} (revision, from_revision, to_revision, direction,"
                " started_at, duration_ms, outcome, attempts, who, backup, message, progress)"
                " VALUES (:revision, :from_revision, :to_revision, :direction, :started_at,"
                " :duration_ms, :outcome, :attempts, :who, :backup, :message,"
                " CAST(:progress AS jsonb)) RETURNING id"
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
                "progress": None if progress is None else json.dumps(progress),
            },
        ).scalar()
        return int(row_id or 0)

    def update(
        self,
        connection: Connection,
        row_id: int,
        *,
        outcome: str | None = None,
        duration_ms: int | None = None,
        attempts: int | None = None,
        message: str | None = None,
        progress: dict[str, Any] | None = None,
    ) -> None:
        """Change a row written by :meth:`record` (``None`` keeps a column as it is)."""
        connection.execute(
            text(
                f"UPDATE {self.qualified} SET outcome = coalesce(:outcome, outcome),"
                " duration_ms = coalesce(:duration_ms, duration_ms),"
                " attempts = coalesce(:attempts, attempts),"
                " message = coalesce(:message, message),"
                " progress = coalesce(CAST(:progress AS jsonb), progress) WHERE id = :id"
            ),
            {
                "id": row_id,
                "outcome": outcome,
                "duration_ms": duration_ms,
                "attempts": attempts,
                "message": message,
                "progress": None if progress is None else json.dumps(progress),
            },
        )

    def last_unfinished(
        self, connection: Connection, revision: str, direction: str
    ) -> HistoryRow | None:
        """The newest row, if it is an unfinished run of ``revision`` in ``direction``.

        Unfinished: ``failed``, ``partial``, ``interrupted`` or ``abandoned``.  Only the
        newest row of the whole table counts that applied or changed anything, so a run that
        anything else followed (another revision applied, this one applied) is not resumed.
        """
        row = connection.execute(
            text(
                f"SELECT {_COLUMNS} FROM {self.qualified} h"
                " WHERE outcome NOT IN ('refused', 'running') ORDER BY id DESC LIMIT 1"
            )
        ).first()
        if row is None:
            return None
        found = HistoryRow(*row)
        unfinished = {"failed", "partial", "interrupted", "abandoned"}
        if (found.revision, found.direction) != (revision, direction):
            return None
        return found if found.outcome in unfinished else None

    def settle(self, connection: Connection, describe: Any) -> list[HistoryRow]:
        """Mark ``running`` rows whose server session is gone as ``abandoned``; return them.

        ``describe(row)`` gives the message (what the row's progress says is committed).
        """
        result = connection.execute(
            text(
                f"SELECT {_COLUMNS} FROM {self.qualified} h WHERE outcome = 'running'"
                " AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a"
                "   WHERE a.pid = (h.progress ->> 'backend_pid')::int"
                "   AND a.pid <> pg_backend_pid()) ORDER BY id"
            )
        )
        rows = [HistoryRow(*row) for row in result]
        for row in rows:
            self.update(connection, row.id, outcome="abandoned", message=str(describe(row)))
        return rows

    def rows(self, connection: Connection, limit: int = 50) -> list[HistoryRow]:
        if not self.exists(connection):
            return []
        result = connection.execute(
            text(f"SELECT {_COLUMNS} FROM {self.qualified} h ORDER BY id DESC LIMIT :limit"),
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


_COLUMNS = (
    "id, revision, from_revision, to_revision, direction, started_at, duration_ms,"
    " outcome, attempts, who, db_user, backup, message, to_jsonb(h) -> 'progress'"
)
"""The columns of :class:`HistoryRow`; ``progress`` also from tables of earlier versions."""


class RunLog:
    """The history rows of one guarded run, written as revisions start and commit.

    A revision's row is inserted as ``running`` on a connection of its own (autocommit), so
    it survives a SIGKILL of the deployer, and its ``progress`` is updated as steps commit.
    The guard finishes it (``applied`` in the revision's own transaction, or ``failed``,
    ``partial``, ``interrupted`` after the rollback) with :meth:`finish`.  Without a second
    connection (the server refuses it) rows are written at the end, as before.
    """

    def __init__(self, history: History, connection: Connection, warn: Any) -> None:
        self.history = history
        self.connection = connection
        self.warn = warn
        self.rows: dict[tuple[str, str], int] = {}
        self._side: Connection | None = None
        self._side_failed = False

    def side(self) -> Connection | None:
        """The log's own connection (autocommit), opened on first use; None if that fails."""
        if self._side is None and not self._side_failed:
            try:
                self._side = self.connection.engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT"
                )
            except SQLAlchemyError as exc:
                self._side_failed = True
                self.warn(
                    "warning: a second connection for the history table failed "
                    f"({' '.join(str(exc).split())[:200]}); a killed run will not be recorded "
                    "as it goes"
                )
        return self._side

    def close(self) -> None:
        if self._side is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._side.close()

    def row(self, revision: str, direction: str) -> int | None:
        return self.rows.get((revision, direction))

    def start(self, *, backend_pid: int | None, **fields: Any) -> None:
        """The ``running`` row of a revision (``fields`` as for :meth:`History.record`)."""
        key = (str(fields["revision"]), str(fields["direction"]))
        side = self.side()
        if key in self.rows or side is None:
            return
        try:
            self.rows[key] = self.history.record(
                side,
                outcome="running",
                duration_ms=None,
                progress={"backend_pid": backend_pid, "steps": []},
                **fields,
            )
        except DBAPIError as exc:
            self.warn(f"warning: the history row of {key[0]} could not be written: {exc.orig}")

    def progress(self, revision: str, direction: str, progress: dict[str, Any]) -> None:
        """Write what the revision has committed so far into its row."""
        row_id = self.row(revision, direction)
        if row_id is None or self._side is None:
            return
        with contextlib.suppress(DBAPIError):
            self.history.update(self._side, row_id, progress=progress)

    def finish(self, connection: Connection, outcome: str, **fields: Any) -> None:
        """Finish a revision's row on ``connection`` (or insert it when it has none)."""
        row_id = self.row(str(fields["revision"]), str(fields["direction"]))
        if row_id is None:
            self.history.record(connection, outcome=outcome, **fields)
            return
        self.history.update(
            connection,
            row_id,
            outcome=outcome,
            duration_ms=fields.get("duration_ms"),
            attempts=fields.get("attempts"),
            message=fields.get("message"),
            progress=fields.get("progress"),
        )

    def settle(self, connection: Connection, describe: Any) -> list[HistoryRow]:
        """Mark the rows of runs that died as ``abandoned`` (:meth:`History.settle`)."""
        return self.history.settle(connection, describe)
