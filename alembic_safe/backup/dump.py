"""Making a backup: a verified ``pg_dump`` written under a temporary name.

:func:`create` runs ``pg_dump`` (major version at least the server's) into a hidden
``.<name>.partial-<random>`` file, reads it back with ``pg_restore --list``, writes the label
and only then renames it, so no half-written file ever looks complete.  The password never
appears on a command line: libpq programs get it through :mod:`alembic_safe.pg.client`.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection

from alembic_safe.backup.names import (
    LABEL_SUFFIX,
    PARTIAL_MARK,
    BackupInfo,
    backup_name,
    label_path,
)
from alembic_safe.backup.scope import dump_contents, dump_pattern, shown
from alembic_safe.backup.store import (
    apply_retention,
    fsync_directory,
    os_reason,
    prepare_directory,
    remove,
    size_of,
)
from alembic_safe.errors import BackupError
from alembic_safe.pg import client as _libpq
from alembic_safe.pg.client import PgTarget, find_tools, libpq_environment, read_listing
from alembic_safe.pg.progress import Emit, Progress, format_size, table_sizes
from alembic_safe.tracebacks import short


def _dump_hint(output: str) -> str:
    lowered = output.lower()
    if "no space left" in lowered or "disk quota" in lowered:
        return (
            "The disk of the backup directory is full. To fix this, either:\n"
            "  - free space there, or\n"
            "  - set backup_dir to a disk with room (-x backup_dir=/path), or\n"
            "  - lower backup_keep, or use backup_scope = tables"
        )
    if "could not open output" in lowered or "could not create directory" in lowered:
        return "pg_dump cannot write into the backup directory; check its permissions."
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return "Check the user name and password of the database URL (or ~/.pgpass)."
    if "server version mismatch" in lowered:
        return "Point pg_bindir at the client programs of the server's major version or newer."
    if "permission denied" in lowered:
        return (
            "The database user may not read every object; back up with a user that can "
            "(the table owner or a member of pg_read_all_data)."
        )
    if "lock" in lowered and "timeout" in lowered:
        return (
            "Another session holds a lock pg_dump waits for (ACCESS EXCLUSIVE); let it "
            "finish and run again."
        )
    return "Fix what pg_dump reports and run again."


@dataclass(frozen=True)
class BackupRequest:
    """What to back up and where; built by :func:`before_upgrade` or the CLI."""

    directory: Path
    scope: str = "full"
    touched: tuple[str, ...] = ()
    """Tables the pending revisions touch (``tables`` scope)."""
    created: tuple[str, ...] = ()
    """Relations the pending revisions create (not finding those is no reason for ``full``)."""
    from_revisions: tuple[str, ...] = ()
    to_revisions: tuple[str, ...] = ()
    version_table: str = "alembic_version"
    history_table: str | None = "alembic_safe_history"
    reason: str = "manual"
    backup_format: str = "custom"
    jobs: int = 1
    keep: int = 0
    lock_wait_timeout: float = 300.0
    pg_bindir: str = ""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    info: BackupInfo
    seconds: float
    deleted: tuple[Path, ...] = ()


def create(
    connection: Connection,
    url: str | URL,
    request: BackupRequest,
    *,
    emit: Emit,
    live: bool | None = None,
) -> BackupResult:
    """Dump the database ``connection`` is on, verify the file, apply retention.

    ``url`` gives pg_dump the same server and credentials (the password goes into a
    temporary passfile).  Raises :class:`BackupError` and leaves no file behind on any
    failure.
    """
    started = time.monotonic()
    try:
        contents = dump_contents(
            connection,
            request.scope,
            request.touched,
            request.version_table,
            request.history_table,
            created=request.created,
        )
    except sa_exc.DBAPIError as exc:
        raise BackupError(
            f"Cannot read the catalog of the database to back up: {short(exc, 1)}",
            hint="Check that the user may read the catalog and the tables; nothing was dumped.",
        ) from None
    server, version, selected = contents.server, contents.version, contents.selected
    for note in contents.notes:
        emit(note)
    tools = find_tools(server.major, pg_bindir=request.pg_bindir)
    directory = prepare_directory(request.directory, emit)
    target = PgTarget.from_url(url).with_database(server.database)
    backup_format = request.backup_format
    if request.jobs > 1 and backup_format != "directory":
        emit("backup_jobs > 1 needs backup_format = directory; dumping with one job")
    args = [
        str(tools["pg_dump"].path),
        "--verbose",
        "--no-password",
        f"--format={backup_format}",
        f"--lock-wait-timeout={max(1, int(request.lock_wait_timeout * 1000))}",
    ]
    if backup_format == "directory" and request.jobs > 1:
        args.append(f"--jobs={request.jobs}")
    args += [f"--exclude-table-data={dump_pattern(s, t)}" for s, t in contents.without_rows]
    total = contents.tables_with_rows
    created = datetime.now(timezone.utc)
    name = _free_name(directory, server.database, request, created)
    final = directory / name
    partial = directory / f".{name}{PARTIAL_MARK}{secrets.token_hex(4)}"
    if backup_format == "custom":
        try:
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except OSError as exc:
            raise BackupError.directory_unusable(str(directory), os_reason(exc)) from None
    args.append(f"--file={partial}")
    label = BackupInfo(
        file=name,
        database=server.database,
        from_revisions=list(request.from_revisions),
        to_revisions=list(request.to_revisions),
        created=created.isoformat(),
        scope=contents.scope,
        format=backup_format,
        reason=request.reason,
        data_tables=None if selected is None else [shown(s, t) for s, t in selected],
        version_table=".".join(version) if version else request.version_table,
        server_version=server.version,
        pg_dump_version=tools["pg_dump"].version,
        pg_dump_major=tools["pg_dump"].major,
        encoding=server.encoding,
        collate=server.collate,
        ctype=server.ctype,
    )
    scope_text = {"full": "full", "tables": f"{total} table(s) with data", "schema": "schema"}[
        contents.scope
    ]
    title = f'backup of "{server.database}" ({scope_text})'
    # the share of the database's bytes done, and the time left, as the dump goes
    sizes = None if contents.scope == "schema" else table_sizes(connection, selected)
    try:
        with (
            libpq_environment(target) as child,
            Progress(
                title,
                total_tables=total,
                emit=emit,
                live=live,
                table_bytes=sizes,
            ) as progress,
        ):
            run = _libpq.run(args, child, progress, measure=lambda: size_of(partial))
            if run.returncode != 0:
                output = run.output()
                raise BackupError.dump_failed(
                    server.database, run.returncode, output, _dump_hint(output)
                )
            try:
                listing = read_listing(tools["pg_restore"].path, partial)
            except ValueError as exc:
                raise BackupError.unverifiable(str(final), str(exc)) from None
            if selected is not None:
                missing = [(s, t) for s, t in selected if not listing.has_data(s, t)]
                if missing:
                    raise BackupError.unverifiable(
                        str(final),
                        "its table of contents lacks the rows of "
                        + ", ".join(f'"{s}"."{t}"' for s, t in missing),
                    )
            label.size = size_of(partial)
            label.toc_entries = listing.entries
            _write_label(directory, label)
            os.rename(partial, final)
            fsync_directory(directory)
            progress.done(
                f"{final.name}: {format_size(label.size)}, {listing.entries} entries, "
                f"verified, {time.monotonic() - started:.1f} s"
            )
    except BaseException as exc:
        remove(partial)
        if not final.exists():
            remove(label_path(final))
        if isinstance(exc, OSError):
            raise BackupError.directory_unusable(str(directory), os_reason(exc)) from None
        raise
    deleted = apply_retention(directory, server.database, request.keep, protect=final)
    for path in deleted:
        emit(f"retention (backup_keep = {request.keep}): deleted {path.name}")
    return BackupResult(final, label, time.monotonic() - started, tuple(deleted))


def _free_name(directory: Path, database: str, request: BackupRequest, created: datetime) -> str:
    for counter in range(1000):
        name = backup_name(
            database,
            request.from_revisions,
            request.to_revisions,
            created,
            backup_format=request.backup_format,
            counter=counter,
        )
        if not (directory / name).exists() and not label_path(directory / name).exists():
            return name
    raise BackupError.directory_unusable(str(directory), "no free backup name for this second")


def _write_label(directory: Path, label: BackupInfo) -> None:
    final = directory / (label.file + LABEL_SUFFIX)
    temp = directory / f".{final.name}{PARTIAL_MARK}{secrets.token_hex(4)}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(label.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(temp, final)
    except OSError as exc:
        remove(temp)
        raise BackupError.directory_unusable(
            str(directory), f"cannot write the backup label: {os_reason(exc)}"
        ) from None
