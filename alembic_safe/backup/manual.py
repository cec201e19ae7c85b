"""``alembic-safe backup``: a labelled, verified backup outside of an upgrade."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection

from alembic_safe.backup.dump import BackupRequest, BackupResult, create
from alembic_safe.backup.scope import resolve_tables
from alembic_safe.config import Settings
from alembic_safe.errors import UsageError
from alembic_safe.pg.catalog import regclass_text
from alembic_safe.pg.connection import connect
from alembic_safe.pg.progress import Emit

if TYPE_CHECKING:
    from alembic.config import Config


def pending_tables(
    config: Config, x_args: Sequence[str] = ()
) -> Callable[[Sequence[str]], list[str] | None]:
    """For ``backup --scope tables``: the tables the revisions after ``heads`` touch.

    The returned function gives None when a pending revision's plan is incomplete (a data
    migration that reads rows), so the caller backs up everything instead.
    """

    def tables(heads: Sequence[str]) -> list[str] | None:
        from alembic_safe.capture.project import Project
        from alembic_safe.record import RecordBook

        project = Project.load(config, list(x_args))
        book = RecordBook.of(project)
        lower = tuple(heads) if heads else None
        touched: list[str] = []
        for script in project.script.iterate_revisions("heads", lower):
            if script.revision in heads:
                continue
            plan = book.get(script).upgrade
            if not plan.complete:
                return None
            touched.extend(plan.tables)
        return list(dict.fromkeys(touched))

    return tables


def current_heads(connection: Connection, version_table: str = "alembic_version") -> list[str]:
    exists = connection.execute(
        text("SELECT to_regclass(:name) IS NOT NULL"), {"name": regclass_text(version_table)}
    ).scalar()
    if not exists:
        return []
    rows = connection.execute(
        text(f"SELECT version_num FROM {regclass_text(version_table)} ORDER BY 1")
    ).all()
    return [str(r[0]) for r in rows]


def manual_backup(
    url: str,
    settings: Settings,
    *,
    directory: Path,
    scope: str,
    tables: Sequence[str] = (),
    pending_tables: Callable[[Sequence[str]], list[str] | None] | None = None,
    emit: Emit,
) -> BackupResult:
    """``alembic-safe backup``: a labelled, verified backup outside of an upgrade.

    ``tables`` scope keeps the rows of ``tables`` if given, else of the tables the pending
    revisions touch (``pending_tables(current_heads)``; None when a plan is incomplete).
    """
    with connect(url) as connection:
        heads = current_heads(connection)
        touched = list(tables)
        if scope == "tables" and not touched:
            if pending_tables is None:
                raise UsageError(
                    "backup --scope tables needs to know which tables to keep.",
                    hint="Pass --table NAME (repeatable), or run where alembic.ini is so the "
                    "pending revisions tell.",
                )
            found = pending_tables(heads)
            if found is None:
                emit("a pending revision's plan is incomplete; backing up the full database")
                scope = "full"
            else:
                touched = found
        elif touched:
            unknown = [t for t in touched if not resolve_tables(connection, [t])]
            if unknown:
                raise UsageError(
                    f"No such table: {', '.join(unknown)}.",
                    hint="Name tables as they are in the database, as table or schema.table.",
                )
        request = BackupRequest(
            directory=directory,
            scope=scope,
            touched=tuple(touched),
            from_revisions=tuple(heads),
            to_revisions=tuple(heads),
            history_table=settings.history_table,
            reason="manual",
            backup_format=settings.backup_format,
            jobs=settings.backup_jobs,
            keep=settings.backup_keep,
            lock_wait_timeout=settings.statement_timeout or 300.0,
            pg_bindir=settings.pg_bindir,
        )
        result = create(connection, url, request, emit=emit)
        connection.rollback()
        return result
