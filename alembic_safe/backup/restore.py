"""Restoring a backup made by :mod:`alembic_safe.backup` (``alembic-safe restore``).

By default a backup goes into a **new** database (``--into NAME``, else
``<database>_restored_<UTC time>``) and an existing database is never touched:

* a new database is created from ``template0`` and filled by ``pg_restore``; if that fails
  the half-restored database is dropped;
* an existing but empty database is filled in one transaction (``--single-transaction``),
  so a failure leaves it empty;
* an existing database with objects in it is refused unless ``force`` is given *and*
  ``confirm(name)`` says yes (the CLI asks for the name to be typed, or takes ``--yes`` when
  there is no terminal).  Even then it is not overwritten in place: the backup is restored
  into a new database, checked, and only then swapped in by renaming; the old database is
  kept as ``<name>_before_restore_<UTC time>``.

After every restore the restored ``alembic_version`` must equal the revisions in the
backup's label; a mismatch is an error that names both.  The password reaches
``pg_restore`` through a temporary passfile, never its command line.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from alembic_safe.backup.names import PARTIAL_MARK, BackupInfo, label_from_name, read_label
from alembic_safe.config import Settings
from alembic_safe.errors import BackupError, DatabaseUnavailable, UsageError
from alembic_safe.pg import client as _libpq
from alembic_safe.pg.catalog import regclass_text
from alembic_safe.pg.client import Listing, PgTarget, find_tools, libpq_environment, read_listing
from alembic_safe.pg.progress import Emit, Progress

Confirm = Callable[[str], bool]


@dataclass(frozen=True)
class RestoreResult:
    database: str
    url: str
    """The restored database's URL, password hidden."""
    revisions: tuple[str, ...]
    replaced: str | None = None
    """When an existing database was replaced: the name the old one now has."""
    seconds: float = 0.0


def restore(
    path: Path,
    url: str,
    *,
    into: str | None = None,
    force: bool = False,
    confirm: Confirm | None = None,
    no_owner: bool = False,
    settings: Settings | None = None,
    emit: Emit,
    live: bool | None = None,
) -> RestoreResult:
    """Restore the backup at ``path`` on the server of ``url`` (see the module docstring).

    :param into: the database to restore into (default: a new, dated name).
    :param force: allow replacing a database that holds objects (with ``confirm``).
    :param confirm: called with the database name before it is replaced; True goes on.
    :param no_owner: skip ownership and privileges (``--no-owner --no-privileges``), for a
     server that lacks the original roles.
    """
    job = _Restore(path, url, settings or Settings(), no_owner=no_owner, emit=emit, live=live)
    try:
        return job.run(into, force, confirm)
    except psycopg.Error as exc:
        lines = str(exc).strip().splitlines()
        raise BackupError(
            f"The restore stopped: {lines[0] if lines else type(exc).__name__}",
            hint="Check the user's privileges on the server (CREATEDB, CONNECT) and run again.",
        ) from None


def backup_info(path: Path) -> BackupInfo:
    """The label of the backup at ``path``, or a clear error when it is not restorable."""
    if not path.exists():
        raise UsageError(
            f"No such backup: {path}.", hint="List backups with `alembic-safe backups`."
        )
    if PARTIAL_MARK in path.name:
        raise BackupError.not_a_backup(str(path), "it is an interrupted dump (a .partial file)")
    info = read_label(path) or label_from_name(path)
    if info is None:
        raise BackupError.not_a_backup(
            str(path),
            "it has neither an alembic-safe label (.json) nor an alembic-safe file name, so "
            "its revision cannot be checked after the restore",
        )
    return info


def _cannot_create(name: str, exc: psycopg.Error) -> BackupError:
    return BackupError(
        f'Cannot create the database "{name}" to restore into: {str(exc).strip().splitlines()[0]}.',
        hint="Restore as a user with CREATEDB, or create the empty database first and pass "
        "--into NAME.",
    )


def _db_name(name: str) -> str:
    """Truncate to PostgreSQL's 63-byte identifier limit."""
    return name.encode("utf-8")[:63].decode("utf-8", errors="ignore")


class _Restore:
    def __init__(
        self,
        path: Path,
        url: str,
        settings: Settings,
        *,
        no_owner: bool,
        emit: Emit,
        live: bool | None,
    ) -> None:
        self.started = time.monotonic()
        self.path = path
        self.info = backup_info(path)
        self.target = PgTarget.from_url(url)
        self.settings = settings
        self.no_owner = no_owner
        self.emit = emit
        self.live = live
        self.stamp = datetime.now(timezone.utc).strftime("%Y%m%d_%H%M%S")
        self.maintenance = self.target.database or "postgres"
        self.listing: Listing | None = None
        self.pg_restore: Path | None = None

    # ------------------------------------------------------------------ the run
    def run(self, into: str | None, force: bool, confirm: Confirm | None) -> RestoreResult:
        major = self._server_major()
        tools = find_tools(
            max(major, self.info.pg_dump_major),
            pg_bindir=self.settings.pg_bindir,
            names=("pg_restore",),
        )
        self.pg_restore = tools["pg_restore"].path
        try:
            self.listing = read_listing(self.pg_restore, self.path)
        except ValueError as exc:
            raise BackupError.not_a_backup(str(self.path), str(exc)) from None
        name = _db_name(into or f"{self.info.database}_restored_{self.stamp}")
        if self.maintenance == name:
            self.maintenance = "postgres"  # cannot create, drop or rename the database we are in
        objects = self._objects_in(name)
        if objects is None:
            self._create(name)
            self._fill_new(name)
            heads = self._check_revision(name, f'The database "{name}" is kept for inspection.')
            return self._result(name, heads)
        if objects == 0:
            self._fill(
                name,
                ["--single-transaction"],
                cleanup=f'It ran in one transaction, so "{name}" is still empty.',
            )
            heads = self._check_revision(name, f'The restore into "{name}" is kept for inspection.')
            return self._result(name, heads)
        if not force:
            raise BackupError.target_not_empty(name, objects)
        if confirm is None or not confirm(name):
            raise BackupError.not_confirmed(name)
        self._refuse_if_in_use(name)
        staged = _db_name(f"{name}_restoring_{self.stamp}")
        self._create(staged)
        self._fill_new(staged)
        heads = self._check_revision(
            staged, f'Nothing was replaced; the restored copy is "{staged}".'
        )
        replaced = _db_name(f"{name}_before_restore_{self.stamp}")
        self._swap(name, staged, replaced)
        return self._result(name, heads, replaced)

    def _result(
        self, name: str, heads: tuple[str, ...], replaced: str | None = None
    ) -> RestoreResult:
        return RestoreResult(
            name, self.target.shown(name), heads, replaced, time.monotonic() - self.started
        )

    # ------------------------------------------------------------------ connections
    def _params(self, database: str) -> dict[str, Any]:
        params: dict[str, Any] = {
            "host": self.target.host,
            "port": self.target.port,
            "user": self.target.user,
            "password": self.target.password,
            "dbname": database,
            "application_name": "alembic-safe",
            "connect_timeout": 10,
        }
        for key, value in self.target.params:
            if key not in {"passfile", "service"}:
                params[key] = value
        return {k: v for k, v in params.items() if v is not None}

    @contextlib.contextmanager
    def _connect(self, database: str) -> Iterator[psycopg.Connection[Any]]:
        try:
            conn = psycopg.connect(**self._params(database), autocommit=True)
        except psycopg.OperationalError as exc:
            detail = " ".join(str(exc).strip().splitlines()[:2])
            if self.target.password:
                detail = detail.replace(self.target.password, "***")
            raise DatabaseUnavailable(
                f"Cannot connect to {self.target.shown(database)}: {detail}",
                hint="Check the URL and that the server accepts connections from here.",
            ) from None
        with conn:
            yield conn

    def _server_major(self) -> int:
        with self._connect(self.maintenance) as conn:
            return int(conn.info.server_version) // 10000

    def _objects_in(self, name: str) -> int | None:
        """Objects in database ``name``; None when there is no such database."""
        with self._connect(self.maintenance) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if found.fetchone() is None:
                return None
        with self._connect(name) as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                "  ON n.oid = c.relnamespace WHERE n.nspname NOT IN"
                "  ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'"
                "  AND n.nspname NOT LIKE 'pg_temp%%')"
                " + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
                "  ON n.oid = p.pronamespace WHERE n.nspname NOT IN"
                "  ('pg_catalog', 'information_schema'))"
                " + (SELECT count(*) FROM pg_namespace WHERE nspname NOT IN"
                "  ('pg_catalog', 'information_schema', 'public')"
                "  AND nspname NOT LIKE 'pg_toast%%' AND nspname NOT LIKE 'pg_temp%%')"
            ).fetchone()
        return int(row[0]) if row else 0

    def _create(self, name: str) -> None:
        """Create ``name`` from template0 with the backed-up database's encoding and locale."""
        create = sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
        like = create
        if self.info.encoding:
            like += sql.SQL(" ENCODING {}").format(sql.Literal(self.info.encoding))
        if self.info.collate and self.info.ctype:
            like += sql.SQL(" LC_COLLATE {} LC_CTYPE {}").format(
                sql.Literal(self.info.collate), sql.Literal(self.info.ctype)
            )
        with self._connect(self.maintenance) as conn:
            try:
                conn.execute(like)
                return
            except psycopg.Error as exc:
                if exc.sqlstate not in {"22023", "42809"}:  # not "no such locale here"
                    raise _cannot_create(name, exc) from None
                reason = str(exc).strip().splitlines()[0]
            self.emit(
                f'warning: cannot create "{name}" with the backed-up encoding and locale '
                f"({reason}); using the server's defaults, so text may sort differently"
            )
            try:
                conn.execute(create)
            except psycopg.Error as exc:
                raise _cannot_create(name, exc) from None

    def _drop(self, name: str) -> None:
        with self._connect(self.maintenance) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))

    def _refuse_if_in_use(self, name: str) -> None:
        """Replacing renames ``name``, which PostgreSQL allows only with no session on it."""
        with self._connect(self.maintenance) as conn:
            row = conn.execute(
                "SELECT count(*), string_agg(DISTINCT coalesce(nullif(application_name, ''),"
                " usename, '?'), ', ') FROM pg_stat_activity WHERE datname = %s",
                (name,),
            ).fetchone()
        if row and row[0]:
            raise BackupError(
                f'"{name}" cannot be replaced while {row[0]} session(s) use it ({row[1]}); '
                "nothing was changed.",
                hint=(
                    "Stop the applications using it (the restore replaces their data anyway), "
                    "then run the restore again; or restore into a new database (leave out "
                    "--force and --into) and point the applications at it."
                ),
            )

    def _swap(self, name: str, staged: str, replaced: str) -> None:
        with self._connect(self.maintenance) as conn:
            try:
                conn.execute(
                    sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                        sql.Identifier(name), sql.Identifier(replaced)
                    )
                )
            except psycopg.Error as exc:
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,)
                ).fetchone()
                raise BackupError(
                    f'The backup was restored into "{staged}", but "{name}" could not be '
                    f"renamed out of the way: {str(exc).strip().splitlines()[0]}",
                    context=[("Sessions connected to it", str(row[0] if row else "?"))],
                    hint=(
                        f'"{name}" is unchanged. Stop the applications using it (or end their '
                        "sessions), then swap by hand: "
                        f'ALTER DATABASE "{name}" RENAME TO "{replaced}"; '
                        f'ALTER DATABASE "{staged}" RENAME TO "{name}"; '
                        f'or DROP DATABASE "{staged}" and run the restore again.'
                    ),
                ) from None
            conn.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(staged), sql.Identifier(name)
                )
            )

    # ------------------------------------------------------------------ pg_restore
    def _fill_new(self, name: str) -> None:
        """Restore into a database we just created; drop it again if that fails."""
        jobs = max(1, self.settings.backup_jobs)
        try:
            self._fill(
                name,
                [f"--jobs={jobs}"] if jobs > 1 else [],
                cleanup=f'The half-restored database "{name}" was dropped.',
            )
        except BaseException:
            with contextlib.suppress(Exception):
                self._drop(name)
            raise

    def _fill(self, name: str, extra: list[str], *, cleanup: str) -> None:
        assert self.pg_restore is not None and self.listing is not None
        args = [
            str(self.pg_restore),
            "--verbose",
            "--no-password",
            "--exit-on-error",
            f"--dbname={name}",
            *extra,
        ]
        if self.no_owner:
            args += ["--no-owner", "--no-privileges"]
        args.append(str(self.path))
        tables = len(self.listing.data_lines)
        title = f'restore into "{name}"'
        with (
            libpq_environment(self.target.with_database(name)) as child,
            Progress(title, total_tables=tables or None, emit=self.emit, live=self.live) as bar,
        ):
            outcome = _libpq.run(args, child, bar)
            if outcome.returncode != 0:
                raise BackupError.restore_failed(
                    name, outcome.returncode, outcome.output(), cleanup
                )
            bar.done(f"done, {tables} table(s) with data")

    def _check_revision(self, name: str, kept: str) -> tuple[str, ...]:
        """The restored heads; an error when they differ from the backup's label."""
        version_table = self.info.version_table or "alembic_version"
        found: list[str] = []
        with self._connect(name) as conn:
            exists = conn.execute(
                "SELECT to_regclass(%s) IS NOT NULL", (regclass_text(version_table),)
            ).fetchone()
            if exists and exists[0]:
                rows = conn.execute(
                    sql.SQL("SELECT version_num FROM {} ORDER BY 1").format(
                        sql.Identifier(*version_table.split(".", 1))
                    )
                ).fetchall()
                found = [str(r[0]) for r in rows]
        expected = sorted(self.info.from_revisions)
        if found != expected:
            raise BackupError.revision_mismatch(name, expected, found, kept)
        return tuple(found)
