"""The guarded upgrade's backup step, before the first change.

The guard decides whether a backup is due (:mod:`alembic_safe.analysis.backup_policy`) and
calls :func:`before_upgrade`, which makes it (:func:`alembic_safe.backup.dump.create`) and
returns the label written into every history row of the run.  A failure raises
:class:`~alembic_safe.errors.BackupError`, so nothing is applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Connection

from alembic_safe.backup.dump import BackupRequest, create
from alembic_safe.backup.store import resolve_directory
from alembic_safe.config import Settings
from alembic_safe.console import say
from alembic_safe.errors import BackupError

WAYS_OUT = (
    "  - skip the backup of this run: alembic -x backup=skip upgrade head (a warning, and the "
    "history table records it), or\n"
    "  - turn the guard's backups off where the database is backed up otherwise "
    "(managed snapshots, point-in-time recovery): backup = never in [alembic_safe] of "
    "alembic.ini (or -x backup=never)"
)
"""What a deploy without a suitable pg_dump can do besides installing one."""


@dataclass(frozen=True)
class Pending:
    """A revision about to run, as the backup sees it."""

    revision: str
    direction: str
    parents: tuple[str, ...]
    tables: tuple[str, ...]
    """The tables its plan touches (the ``tables`` scope keeps their rows)."""
    created: tuple[str, ...] = ()
    """The relations its plan creates (:func:`alembic_safe.backup.scope.created_by`)."""


def before_upgrade(
    connection: Connection,
    settings: Settings,
    *,
    scope: str,
    entries: Sequence[Pending],
    heads: tuple[str, ...],
    version_table: str,
    version_schema: str | None,
    base: Path | None,
) -> str:
    """Back up the database ``connection`` is on; return the label for the history table.

    :param scope: as decided by the backup policy (``tables`` only for complete plans).
    :param heads: the database's heads now (the backup's "from" revisions).
    :param base: the directory of the configuration file (``backup_dir`` is relative to it).
    """
    touched = [t for e in entries for t in e.tables] if scope == "tables" else []
    created = [c for e in entries for c in e.created] if scope == "tables" else []
    qualify = (lambda name: f"{version_schema}.{name}") if version_schema else (lambda name: name)
    request = BackupRequest(
        directory=resolve_directory(settings.backup_dir, base),
        scope=scope,
        touched=tuple(touched),
        created=tuple(created),
        from_revisions=heads,
        to_revisions=tuple(heads_after(heads, entries)),
        version_table=qualify(version_table),
        history_table=qualify(settings.history_table),
        reason=f"before {entries[0].direction}" if entries else "before upgrade",
        backup_format=settings.backup_format,
        jobs=settings.backup_jobs,
        keep=settings.backup_keep,
        lock_wait_timeout=settings.statement_timeout or 300.0,
        pg_bindir=settings.pg_bindir,
    )
    try:
        result = create(connection, connection.engine.url, request, emit=say)
    except BackupError as exc:
        exc.message = (
            f"{exc.message} The upgrade stopped before its first change; nothing was applied."
        )
        if exc.cause == "tools":
            exc.hint = f"{(exc.hint or 'To fix this, either:').rstrip()}, or\n{WAYS_OUT}"
        exc.args = (exc.format_message(),)
        raise
    return str(result.path)


def heads_after(heads: Sequence[str], entries: Sequence[Pending]) -> list[str]:
    """The heads once every entry has run (for the backup's name)."""
    state = list(heads)
    for entry in entries:
        if entry.direction == "upgrade":
            state = [h for h in state if h not in entry.parents] + [entry.revision]
        else:
            state = [h for h in state if h != entry.revision]
            state += [p for p in entry.parents if p not in state]
    return state
