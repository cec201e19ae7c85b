"""What went wrong in a revision, in the user's terms: which line, which lock, what to do.

The runner turns a database error or an exception in a revision into an
:class:`~alembic_safe.errors.AlembicSafeError` with the revision, the line of its file,
what happened to the database and the next step.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from alembic_safe.capture.project import describe_import_error
from alembic_safe.capture.sqlparse import parse
from alembic_safe.config import Settings, format_duration
from alembic_safe.errors import (
    AlembicSafeError,
    LockTimeoutExhausted,
    MigrationFailed,
    ProjectLoadError,
)
from alembic_safe.guard.entry import Entry
from alembic_safe.pg import catalog
from alembic_safe.pg.connection import LOCK_SQLSTATES, STATEMENT_TIMEOUT
from alembic_safe.tracebacks import line_in, relpath, short


def lock_exhausted(
    entry: Entry,
    exc: BaseException,
    state: str | None,
    connection: Connection,
    waited: float,
) -> AlembicSafeError:
    """The revision could not take its locks: the statement, and who blocks it now."""
    statement = getattr(exc, "statement", None) or ""
    tables = list(entry.plan.tables)
    for parsed in parse(statement) if statement else ():
        tables.extend(parsed.tables)
    try:
        sessions = catalog.blockers(connection, dict.fromkeys(tables))
        connection.commit()
    except sa_exc.DBAPIError:
        sessions = []
    blocked_by = "\n".join(s.describe() for s in sessions) or (
        "no session holds a lock on those tables any more (it ended in the meantime)"
    )
    why = (
        "it has steps outside the transaction, whose statements retry lock timeouts "
        "themselves, so the revision is not retried as a whole"
        if entry.plan.has_non_transactional_steps
        else f"{entry.attempts} attempt(s), {waited:.1f} s of lock waits in total"
    )
    kind = LOCK_SQLSTATES.get(state or "", "lock timeout")
    return LockTimeoutExhausted(
        f"Revision {entry.label()} could not take its locks ({kind}; {why}). It was rolled back.",
        context=[
            ("Statement", " ".join(statement.split())[:300] or "(unknown)"),
            ("Blocked by", blocked_by),
        ],
        hint="End the blocking session (SELECT pg_terminate_backend(<pid>)) or wait for it "
        "to finish, then run again; lock_timeout_max and lock_retries allow longer waits.",
    )


def migration_error(
    entry: Entry, exc: BaseException, state: str | None, settings: Settings
) -> AlembicSafeError:
    """An error raised by the revision's own code or by one of its statements."""
    line = line_in(exc, entry.plan.path)
    where = f" at line {line}" if line else ""
    if state == STATEMENT_TIMEOUT:
        return MigrationFailed(
            f"Revision {entry.label()} was cancelled{where}: a statement ran longer than "
            f"statement_timeout ({format_duration(settings.statement_timeout)}). "
            "It was rolled back.",
            hint="Raise statement_timeout (-x statement_timeout=30min) if the statement is "
            "expected to be slow, or make it cheaper (batches, CONCURRENTLY).",
        )
    return MigrationFailed(
        f"Revision {entry.label()} failed{where}: {type(exc).__name__}: {short(exc)}. "
        "It was rolled back.",
        hint="Fix the revision and run again; rerun with --raiseerr for the traceback.",
    )


def load_failure(exc: Exception) -> ProjectLoadError:
    """A revision file that Alembic could not load while it walked the history."""
    path = getattr(exc, "filename", None)
    if not path:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if "/versions/" in frame.filename.replace(os.sep, "/"):
                path = frame.filename
                break
    where = f"{relpath(path)}: " if path else ""
    reason = describe_import_error(exc, Path(path)) if path else f"{type(exc).__name__}: {exc}"
    return ProjectLoadError(
        f"A revision file cannot be loaded: {where}{reason}",
        hint="Fix the file (or its imports) and run again; nothing was applied.",
    )
