"""The scratch database a rehearsal runs on, and where its contents come from.

:func:`open_scratch` yields a :class:`Scratch` and removes it afterwards, also when a
revision fails half-way or the run is interrupted:

* ``--url`` (:attr:`Source.kind` ``url``): a throwaway local server
  (:mod:`alembic_safe.postgres`) gets the source's roles (names only, ``NOLOGIN``) and a
  copy made with ``pg_dump | pg_restore``: the schema and the version table's rows
  (``copy="schema"``), or everything (``copy="full"``).  The source's row estimates and
  sizes (``pg_class.reltuples``, ``pg_total_relation_size``) are kept for the report.
  With ``template=True`` the copy is ``CREATE DATABASE ... TEMPLATE`` on the source's own
  server instead, refused while other sessions are connected to the source (they are
  never ended);
* ``--from-backup`` (``backup``): one of our backups, or any ``pg_dump -Fc`` archive,
  restored onto a throwaway server; this proves the backup restores;
* ``--ephemeral`` (``ephemeral``): an empty database on a throwaway server.

The source is only read.  Passwords reach ``pg_dump`` / ``pg_restore`` through
:mod:`alembic_safe.pg.client`, never their command lines.
"""

from __future__ import annotations

import contextlib
import secrets
import subprocess
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from pglast import parse_sql, visitors
from pglast.enums import RoleSpecType
from pglast.parser import ParseError
from psycopg import sql
from sqlalchemy import create_engine, pool, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, make_url

from alembic_safe.analysis.stats import TableStats
from alembic_safe.backup import PARTIAL_MARK, read_label
from alembic_safe.checks import quote_ident
from alembic_safe.config import Settings
from alembic_safe.errors import (
    BackupError,
    ConfigError,
    DatabaseUnavailable,
    RehearsalFailed,
    UsageError,
)
from alembic_safe.pg import client as _libpq
from alembic_safe.pg.progress import Emit, Progress
from alembic_safe.postgres import PostgresServer, throwaway_postgres
from alembic_safe.rehearse.snapshot import version_tables

SCRATCH_DATABASE = "rehearsal"
COPIES = ("schema", "full")

_STATS = """
SELECT n.nspname || '.' || c.relname, c.reltuples, pg_catalog.pg_total_relation_size(c.oid),
       c.relkind
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname !~ '^pg_(toast_)?temp_'
"""
_ROLES = "SELECT rolname FROM pg_catalog.pg_roles WHERE rolname !~ '^pg_' ORDER BY 1"


@dataclass(frozen=True)
class Source:
    """Where the scratch database's contents come from (see the module docstring)."""

    kind: str
    """``url``, ``backup`` or ``ephemeral``."""
    url: str | None = None
    copy: str = "schema"
    template: bool = False
    backup: Path | None = None

    @classmethod
    def from_options(
        cls,
        *,
        url: str | None,
        copy: str | None,
        template: bool,
        from_backup: str | None,
        ephemeral: bool,
        fallback_url: str | None = None,
    ) -> Source:
        """Check the combination of command-line options; ``fallback_url`` is sqlalchemy.url."""
        given = [
            name
            for name, value in (
                ("--url", url),
                ("--from-backup", from_backup),
                ("--ephemeral", ephemeral),
            )
            if value
        ]
        if len(given) > 1:
            raise UsageError(
                f"{' and '.join(given)} were both given, but a rehearsal has one source.",
                hint="Pass one of --url URL (a copy of that database), --from-backup FILE "
                "(a restored backup) or --ephemeral (an empty database).",
            )
        if (copy or template) and (from_backup or ephemeral):
            option = "--copy" if copy else "--template"
            raise UsageError(
                f"{option} applies to --url only: it says how the source database is copied.",
                hint="Leave it out, or rehearse on a copy of a database with --url URL.",
            )
        if template and copy == "schema":
            raise UsageError(
                "--template copies the whole database (schema and rows); --copy schema "
                "contradicts it.",
                hint="Leave out --copy, or leave out --template to copy the schema with pg_dump.",
            )
        if copy is not None and copy not in COPIES:
            raise UsageError(f"--copy {copy!r} is not one of {', '.join(COPIES)}.")
        if from_backup:
            return cls("backup", backup=Path(from_backup))
        if ephemeral:
            return cls("ephemeral")
        chosen = url or fallback_url
        if not chosen:
            raise UsageError(
                "The rehearsal has no source database.",
                hint="Pass --url URL (or set sqlalchemy.url / DATABASE_URL) to rehearse on a "
                "copy of that database, --from-backup FILE to rehearse on a restored backup, "
                "or --ephemeral to run the whole history from an empty database.",
            )
        return cls(
            "url", url=chosen, copy="full" if template else (copy or "schema"), template=template
        )

    def describe(self) -> str:
        if self.kind == "ephemeral":
            return "an empty database (--ephemeral)"
        if self.kind == "backup":
            return f"the backup {self.backup}"
        shown = _shown_url(self.url or "")
        how = "CREATE DATABASE ... TEMPLATE" if self.template else f"pg_dump ({self.copy} copy)"
        return f"a copy of {shown} ({how})"


@dataclass
class Scratch:
    """The scratch database of one rehearsal."""

    url: str = field(repr=False)
    """SQLAlchemy URL with the password, for the project's env.py; never shown."""
    database: str
    source: Source
    server: PostgresServer | None = None
    """The throwaway server, or None when the scratch database is on the source's server."""
    has_rows: bool = False
    """The copy holds the source's rows (``--copy full``, ``--template``, ``--from-backup``)."""
    stats: dict[str, TableStats] = field(default_factory=dict)
    """The source's row estimates and sizes per table (``schema.name``)."""
    restored_revisions: tuple[str, ...] | None = None
    """For our backups: the revisions the backup's label says it holds."""

    def connect(self) -> psycopg.Connection:
        """A psycopg connection (autocommit) to the scratch database."""
        return connect(self.url)

    def shown_url(self) -> str:
        return _shown_url(self.url)

    def how_to_connect(self) -> str:
        """A ``psql`` command line for the scratch database, without a password."""
        if self.server is not None and self.server.socket_dir:
            return (
                f'psql "host={self.server.socket_dir} port={self.server.port} '
                f'user={self.server.user} dbname={self.database}"'
            )
        parsed = make_url(self.url)
        parts = [f"host={parsed.host or 'localhost'}", f"port={parsed.port or 5432}"]
        if parsed.username:
            parts.append(f"user={parsed.username}")
        parts.append(f"dbname={self.database}")
        return f'psql "{" ".join(parts)}"'


def connect(url: str) -> psycopg.Connection:
    """A psycopg connection (autocommit) to the database of a SQLAlchemy URL."""
    return psycopg.connect(**_psycopg_params(url), autocommit=True, connect_timeout=10)


def _shown_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa_exc.ArgumentError:
        return "(an unparsable URL)"


def _sqlalchemy_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError:
        raise ConfigError(
            "The database URL cannot be parsed.",
            hint="Write it as postgresql+psycopg://user@host:5432/dbname.",
        ) from None
    if parsed.drivername in {"postgresql", "postgres"} or parsed.drivername.startswith(
        "postgresql+"
    ):
        return parsed.set(drivername="postgresql+psycopg")
    raise ConfigError(
        f"{_shown_url(url)} is not a PostgreSQL URL; a rehearsal needs PostgreSQL.",
        hint="Write it as postgresql+psycopg://user@host:5432/dbname.",
    )


def _psycopg_params(url: str) -> dict[str, Any]:
    parsed = make_url(url)
    params: dict[str, Any] = {"dbname": parsed.database}
    for key, value in (
        ("host", parsed.host),
        ("port", parsed.port),
        ("user", parsed.username),
        ("password", parsed.password),
    ):
        if value is not None:
            params[key] = value
    return params


@contextlib.contextmanager
def _source_connection(url: str) -> Iterator[Connection]:
    parsed = _sqlalchemy_url(url)
    engine = create_engine(
        parsed,
        poolclass=pool.NullPool,
        connect_args={"application_name": "alembic-safe rehearse", "connect_timeout": 10},
    )
    try:
        try:
            connection = engine.connect()
        except sa_exc.DBAPIError as exc:
            lines = str(exc.orig).strip().splitlines()
            detail = " ".join(line.strip() for line in lines[:2]) or type(exc.orig).__name__
            if parsed.password:
                detail = detail.replace(str(parsed.password), "***")
            raise DatabaseUnavailable(
                f"Cannot connect to the source database {_shown_url(url)}: {detail}",
                hint="Check that the server runs, that host, port and database are right and "
                "that the credentials work (DATABASE_URL, ~/.pgpass or PGPASSWORD). Nothing "
                "was rehearsed.",
            ) from None
        with connection:
            yield connection
    finally:
        engine.dispose()


def _read_stats(connection: Connection) -> dict[str, TableStats]:
    stats = {}
    for name, reltuples, size, kind in connection.execute(text(_STATS)):
        rows = int(reltuples) if reltuples is not None and reltuples >= 0 else None
        stats[str(name)] = TableStats(str(name), True, rows, int(size), str(kind))
    return stats


# ---------------------------------------------------------------------- opening one


@contextlib.contextmanager
def open_scratch(
    source: Source, settings: Settings, emit: Emit, *, keep: bool = False
) -> Iterator[Scratch]:
    """Make the scratch database for ``source``; remove it (and its server) afterwards.

    ``keep`` leaves a scratch database on the source's server (``--template``) in place; a
    throwaway server always goes with the process (the caller holds it while it is needed).
    """
    if source.kind == "url" and source.template:
        with _template_copy(source, emit, keep) as scratch:
            yield scratch
        return
    if source.kind == "url":
        with _dump_copy(source, settings, emit) as scratch:
            yield scratch
        return
    if source.kind == "backup":
        with _backup_copy(source, settings, emit) as scratch:
            yield scratch
        return
    with throwaway_postgres() as server:
        url = server.create_database(SCRATCH_DATABASE, template="template0")
        emit(f"scratch: an empty database on a throwaway PostgreSQL {server.major} server")
        yield Scratch(url=url, database=SCRATCH_DATABASE, source=source, server=server)


def _tools(major: int, settings: Settings, names: tuple[str, ...]) -> dict[str, Any]:
    try:
        return _libpq.find_tools(major, pg_bindir=settings.pg_bindir, names=names)
    except BackupError as exc:  # for a rehearsal a missing program is a set-up problem
        raise ConfigError(exc.message, context=exc.context, hint=exc.hint) from None


def _server_for(bindir: Path | None) -> contextlib.AbstractContextManager[PostgresServer]:
    """A throwaway server from ``bindir`` when it holds the server programs, else the newest."""
    if bindir is not None and (bindir / "postgres").is_file():
        return throwaway_postgres(bindir=str(bindir))
    return throwaway_postgres()


def _check_major(server: PostgresServer, needed: int, what: str) -> None:
    if server.major < needed:
        raise ConfigError(
            f"{what} is PostgreSQL {needed}, but the newest local server programs are "
            f"PostgreSQL {server.major}; a copy cannot go onto an older server.",
            hint=f"Install the PostgreSQL {needed} server programs (Debian/Ubuntu: apt-get "
            f"install postgresql-{needed}) or point ALEMBIC_SAFE_PG_BINDIR at them, or use "
            "--template to copy on the source's own server.",
        )


def _create_roles(server: PostgresServer, roles: list[str]) -> None:
    with server.connect(SCRATCH_DATABASE, autocommit=True) as conn:
        existing = {r[0] for r in conn.execute("SELECT rolname FROM pg_roles").fetchall()}
        for role in roles:
            if role not in existing:
                conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))


@contextlib.contextmanager
def _dump_copy(source: Source, settings: Settings, emit: Emit) -> Iterator[Scratch]:
    assert source.url is not None
    with _source_connection(source.url) as conn:
        major = int(str(conn.execute(text("SHOW server_version_num")).scalar())) // 10000
        stats = _read_stats(conn)
        roles = [str(r[0]) for r in conn.execute(text(_ROLES))]
        versions = {name: _version_rows(conn, name) for name in version_tables(conn)}
    tools = _tools(major, settings, ("pg_dump", "pg_restore"))
    with _server_for(tools["pg_dump"].path.parent) as server:
        _check_major(server, major, f"The source {_shown_url(source.url)}")
        url = server.create_database(SCRATCH_DATABASE, template="template0")
        _create_roles(server, roles)
        dump = [
            str(tools["pg_dump"].path),
            "--format=custom",
            "--no-password",
            "--no-subscriptions",
            f"--lock-wait-timeout={max(1, round((settings.statement_timeout or 300) * 1000))}",
        ]
        if source.copy == "schema":
            dump.append("--schema-only")
        restore = [
            str(tools["pg_restore"].path),
            "--no-password",
            "--exit-on-error",
            "--no-tablespaces",
            "--no-subscriptions",
            f"--dbname={SCRATCH_DATABASE}",
        ]
        what = "schema" if source.copy == "schema" else "schema and rows"
        emit(
            f"scratch: copying the {what} of {_shown_url(source.url)} "
            f"({len(stats)} tables) onto a throwaway PostgreSQL {server.major} server"
        )
        source_target = _libpq.PgTarget.from_url(_sqlalchemy_url(source.url))
        scratch_target = _libpq.PgTarget.from_url(url)
        _pipe(dump, source_target, restore, scratch_target)
        if source.copy == "schema":
            _copy_versions(url, versions)
        yield Scratch(
            url=url,
            database=SCRATCH_DATABASE,
            source=source,
            server=server,
            has_rows=source.copy == "full",
            stats=stats,
        )


def _version_rows(conn: Connection, table: str) -> list[str]:
    schema, _, name = table.partition(".")
    query = f"SELECT version_num FROM {quote_ident(schema)}.{quote_ident(name)}"
    return [str(r[0]) for r in conn.execute(text(query))]


def _copy_versions(url: str, versions: dict[str, list[str]]) -> None:
    with psycopg.connect(**_psycopg_params(url), autocommit=True) as conn:
        for table, rows in versions.items():
            schema, _, name = table.partition(".")
            for row in rows:
                conn.execute(
                    sql.SQL("INSERT INTO {}.{} (version_num) VALUES (%s)").format(
                        sql.Identifier(schema), sql.Identifier(name)
                    ),
                    (row,),
                )


def _pipe(
    dump: list[str],
    source: _libpq.PgTarget,
    restore: list[str],
    target: _libpq.PgTarget,
) -> None:
    """``pg_dump | pg_restore``; a failure of either is a clear error; Ctrl-C kills both."""
    with (
        _libpq.libpq_environment(source) as dump_env,
        _libpq.libpq_environment(target) as restore_env,
    ):
        dumper = _libpq.popen(
            dump,
            dump_env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert dumper.stdout is not None
        restorer = _libpq.popen(
            restore,
            restore_env,
            stdin=dumper.stdout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        dumper.stdout.close()
        said: dict[str, deque[str]] = {"pg_dump": deque(maxlen=15), "pg_restore": deque(maxlen=15)}
        readers = [
            threading.Thread(target=_drain, args=(dumper, said["pg_dump"]), daemon=True),
            threading.Thread(target=_drain, args=(restorer, said["pg_restore"]), daemon=True),
        ]
        for reader in readers:
            reader.start()
        try:
            restorer.wait()
            dumper.wait()
        except BaseException:
            for process in (dumper, restorer):
                process.kill()
                process.wait()
            raise
        finally:
            for reader in readers:
                reader.join(timeout=5)
    if dumper.returncode != 0:
        raise ConfigError(
            f"pg_dump of the source failed (exit code {dumper.returncode}); nothing was rehearsed.",
            context=[("pg_dump said", "\n".join(said["pg_dump"]) or "(nothing)")],
            hint="Check the source user's privileges (it must read every table) and that "
            "pg_dump is as new as the server.",
        )
    if restorer.returncode != 0:
        raise ConfigError(
            f"The copy does not restore on the scratch server (pg_restore exit code "
            f"{restorer.returncode}); nothing was rehearsed.",
            context=[("pg_restore said", "\n".join(said["pg_restore"]) or "(nothing)")],
            hint="To fix this, either:\n"
            "  - install what the scratch server lacks (an extension named above), or\n"
            "  - copy on the source's own server with --template",
        )


def _drain(process: subprocess.Popen[bytes], into: deque[str]) -> None:
    assert process.stderr is not None
    for raw in process.stderr:
        line = raw.decode("utf-8", errors="replace").rstrip()
        if line:
            into.append(line)
    process.stderr.close()


# ---------------------------------------------------------------------- --template


def _maintenance_url(url: URL) -> list[URL]:
    return [url.set(database=name) for name in ("postgres", "template1")]


@contextlib.contextmanager
def _template_copy(source: Source, emit: Emit, keep: bool) -> Iterator[Scratch]:
    assert source.url is not None
    parsed = _sqlalchemy_url(source.url)
    database = parsed.database or ""
    if not database:
        raise ConfigError(
            "The source URL names no database to copy with --template.",
            hint="Write it as postgresql+psycopg://user@host:5432/dbname.",
        )
    name = f"{database}_rehearsal_{secrets.token_hex(4)}".encode()[:63].decode(errors="ignore")
    maintenance = _maintenance(parsed)
    try:
        with maintenance.connect() as conn:
            _refuse_if_in_use(conn, database)
            try:
                conn.execute(
                    text(f"CREATE DATABASE {quote_ident(name)} TEMPLATE {quote_ident(database)}")
                )
            except sa_exc.DBAPIError as exc:
                reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
                raise ConfigError(
                    f"CREATE DATABASE ... TEMPLATE {database} failed: {reason}",
                    hint="The source user needs CREATEDB, and nobody may be connected to the "
                    "source while it is copied. Without --template the rehearsal copies "
                    "with pg_dump instead, which works while others are connected.",
                ) from None
        emit(f"scratch: {name} on the source's server, a copy of {database} (TEMPLATE)")
        scratch_url = parsed.set(database=name).render_as_string(hide_password=False)
        with _source_connection(scratch_url) as conn:
            stats = _read_stats(conn)
        yield Scratch(url=scratch_url, database=name, source=source, has_rows=True, stats=stats)
    finally:
        if keep:
            emit(
                f'the scratch database "{name}" is kept on the source\'s server; drop it with '
                f"DROP DATABASE {quote_ident(name)} when done"
            )
        else:
            _drop_on_source(maintenance, name, emit)
        maintenance.dispose()


def _maintenance(parsed: URL) -> Any:
    last: sa_exc.DBAPIError | None = None
    for candidate in _maintenance_url(parsed):
        engine = create_engine(
            candidate,
            poolclass=pool.NullPool,
            isolation_level="AUTOCOMMIT",
            connect_args={"application_name": "alembic-safe rehearse", "connect_timeout": 10},
        )
        try:
            with engine.connect():
                return engine
        except sa_exc.DBAPIError as exc:
            last = exc
            engine.dispose()
    detail = str(last.orig).strip().splitlines()[0] if last is not None and last.orig else ""
    if parsed.password:
        detail = detail.replace(str(parsed.password), "***")
    raise DatabaseUnavailable(
        f"Cannot connect to the server of {_shown_url(str(parsed.render_as_string(False)))} "
        f"(database postgres or template1): {detail}",
        hint="--template needs a connection to the server's postgres (or template1) database; "
        "check host, port and credentials. Nothing was rehearsed.",
    )


def _refuse_if_in_use(conn: Connection, database: str) -> None:
    row = conn.execute(
        text(
            "SELECT count(*), string_agg(DISTINCT coalesce(usename, '?') || ' ('"
            " || coalesce(nullif(application_name, ''), 'no application name') || ')', ', ')"
            " FROM pg_catalog.pg_stat_activity WHERE datname = :db AND pid <> pg_backend_pid()"
        ),
        {"db": database},
    ).one()
    if row[0]:
        raise ConfigError(
            f'{row[0]} other session(s) are connected to "{database}": {row[1]}. '
            "CREATE DATABASE ... TEMPLATE needs the source to itself, and the rehearsal never "
            "ends other sessions.",
            hint="To fix this, either:\n"
            "  - leave out --template: the copy is made with pg_dump, which works while others "
            "are connected, or\n"
            "  - run again when nobody is connected to the source",
        )


def _drop_on_source(maintenance: Any, name: str, emit: Emit) -> None:
    try:
        with maintenance.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {quote_ident(name)} WITH (FORCE)"))
    except sa_exc.DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        emit(
            f'warning: the scratch database "{name}" could not be dropped: {reason}; drop it by hand'
        )


# ---------------------------------------------------------------------- --from-backup


def _archive_roles(pg_restore: Path, path: Path) -> list[str]:
    """Roles the archive names as owners or grantees (from its schema script, read with pglast)."""
    out = subprocess.run(
        [str(pg_restore), "--schema-only", "--file=-", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
        timeout=600,
    )
    roles: set[str] = set()
    collector = _RoleCollector(roles)
    for line in out.stdout.splitlines():
        if not (" OWNER TO " in line or line.startswith(("GRANT ", "REVOKE ", "ALTER DEFAULT"))):
            continue
        try:
            collector(parse_sql(line))
        except ParseError:
            continue
    return sorted(roles)


class _RoleCollector(visitors.Visitor):
    def __init__(self, roles: set[str]) -> None:
        self.roles = roles

    def visit_RoleSpec(self, ancestors: Any, node: Any) -> None:
        if node.roletype == RoleSpecType.ROLESPEC_CSTRING and node.rolename:
            self.roles.add(str(node.rolename))


@contextlib.contextmanager
def _backup_copy(source: Source, settings: Settings, emit: Emit) -> Iterator[Scratch]:
    path = source.backup
    assert path is not None
    if not path.exists():
        raise UsageError(
            f"No such backup file: {path}.",
            hint="Pass the path of a pg_dump -Fc archive; `alembic-safe backups` lists ours.",
        )
    if PARTIAL_MARK in path.name:
        raise UsageError(
            f"{path} is an interrupted dump (a .partial file), not a backup.",
            hint="Pick a complete backup; `alembic-safe backups` lists them.",
        )
    tools = _tools(0, settings, ("pg_restore",))
    pg_restore = tools["pg_restore"].path
    try:
        listing = _libpq.read_listing(pg_restore, path)
    except ValueError as exc:
        raise UsageError(
            f"{path} is not a pg_dump archive that pg_restore can read: {exc}.",
            hint="Pass a file written by pg_dump -Fc (custom format) or -Fd (a directory), "
            "such as the backups `alembic-safe backup` writes.",
        ) from None
    label = read_label(path)
    roles = _archive_roles(pg_restore, path)
    with _server_for(pg_restore.parent) as server:
        url = server.create_database(SCRATCH_DATABASE, template="template0")
        _create_roles(server, roles)
        emit(
            f"scratch: restoring {path.name} ({len(listing.data_lines)} tables with rows) onto "
            f"a throwaway PostgreSQL {server.major} server"
        )
        args = [
            str(pg_restore),
            "--verbose",
            "--no-password",
            "--exit-on-error",
            "--no-tablespaces",
            f"--dbname={SCRATCH_DATABASE}",
            str(path),
        ]
        with (
            _libpq.libpq_environment(_libpq.PgTarget.from_url(url)) as env,
            Progress(
                f"restore of {path.name}",
                total_tables=len(listing.data_lines) or None,
                emit=emit,
                live=False,
            ) as bar,
        ):
            outcome = _libpq.run(args, env, bar)
            if outcome.returncode != 0:
                raise RehearsalFailed(
                    f"The backup {path} does not restore (pg_restore exit code "
                    f"{outcome.returncode}); nothing was rehearsed.",
                    context=[("pg_restore said", outcome.output() or "(nothing)")],
                    hint="The archive is damaged or needs what this machine lacks (an "
                    "extension, a newer pg_restore). Make a new backup and rehearse again.",
                )
            bar.done(f"restored, {len(listing.data_lines)} table(s) with rows")
        yield Scratch(
            url=url,
            database=SCRATCH_DATABASE,
            source=source,
            server=server,
            has_rows=bool(listing.data_lines),
            restored_revisions=tuple(label.from_revisions) if label else None,
        )
