"""Running statements outside the migration transaction, with bounded and retried lock waits.

:func:`outside_transaction` enters Alembic's ``autocommit_block()``: online it yields a
:class:`Session` whose statements each commit on their own; offline (``--sql``) it
yields ``None`` and the caller emits SQL with :func:`emit`, between the ``COMMIT;`` and
``BEGIN;`` the block writes.

A statement whose locks block the application's reads or writes (``ADD CONSTRAINT ...
NOT VALID``, ``SET NOT NULL``, ``ADD CONSTRAINT ... USING INDEX``: ACCESS EXCLUSIVE) never
waits in the lock queue: :func:`alembic_safe.lockwait.run_locked` waits outside it while
other sessions hold or wait for a conflicting lock, then takes the locks with a
``lock_timeout`` of ``lock_attempt_timeout`` and retries, within ``lock_wait_budget``.

A statement whose lock blocks no reader or writer (``CREATE INDEX CONCURRENTLY``,
``VALIDATE CONSTRAINT``, a backfill batch) is retried, GitLab style, after a lock timeout:
``lock_timeout`` doubling up to ``lock_timeout_max``, with growing sleeps in between, at
most ``lock_retries`` times.  The guard cannot retry such a revision as a whole (part of it
is committed), so the retry happens here, per statement.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from alembic_safe import lockwait
from alembic_safe.config import Settings, format_duration, load_settings
from alembic_safe.errors import ConfigError, LockTimeoutExhausted, chain
from alembic_safe.pg.connection import LOCK_SQLSTATES, sqlstate

log = logging.getLogger("alembic_safe.operations")

SETTINGS_KEY = "alembic_safe_settings"
"""Key in ``MigrationContext.opts``: a :class:`~alembic_safe.config.Settings` to use."""


CLEANED_UP = "alembic_safe_cleaned_up"
"""Attribute of an interrupt: what the interrupted operation cleaned up (see :func:`cleaned_up`)."""


def note_cleanup(interrupt: BaseException, what: str) -> None:
    """Note on ``interrupt`` that the interrupted operation cleaned up ``what``."""
    setattr(interrupt, CLEANED_UP, [*getattr(interrupt, CLEANED_UP, ()), what])


def cleaned_up(exc: BaseException) -> list[str]:
    """What operations cleaned up after the interrupts in ``exc`` and its causes."""
    return [what for current in chain(exc) for what in getattr(current, CLEANED_UP, ())]


def settings_for(context: MigrationContext) -> Settings:
    """The alembic-safe settings of this run (alembic.ini, pyproject, ``-x``), cached."""
    cached = context.opts.get(SETTINGS_KEY)
    if isinstance(cached, Settings):
        return cached
    environment = context.environment_context
    config = environment.config if environment is not None else None
    x_args = environment.get_x_argument() if environment is not None else []
    settings = load_settings(config, x_args if isinstance(x_args, list) else [])
    context.opts[SETTINGS_KEY] = settings
    return settings


def emit(context: MigrationContext, sql: str) -> None:
    """Write one statement to the offline script exactly as given (no ``%`` doubling)."""
    context.impl.static_output(sql.strip().rstrip(";") + context.impl.command_terminator)


class Session:
    """The migration connection in autocommit mode: each statement is its own transaction."""

    def __init__(self, context: MigrationContext, name: str) -> None:
        self.context = context
        self.name = name
        self.settings = settings_for(context)
        row = self.query(
            "SELECT current_setting('lock_timeout'), current_setting('statement_timeout')"
        )
        assert row is not None
        self._saved = (str(row[0]), str(row[1]))

    @property
    def connection(self) -> Connection:
        connection = self.context.connection
        assert connection is not None
        return connection

    def _execute(self, sql: str) -> Any:
        return self.connection.exec_driver_sql(sql, execution_options={"no_parameters": True})

    def query(self, sql: str) -> tuple[Any, ...] | None:
        result = self._execute(sql)
        if not result.returns_rows:
            return None
        row = result.first()
        return None if row is None else tuple(row)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        result = self._execute(sql)
        return [tuple(row) for row in result] if result.returns_rows else []

    def scalar(self, sql: str) -> Any:
        row = self.query(sql)
        return row[0] if row is not None else None

    def _set(self, name: str, value: str) -> None:
        self._execute(f"SELECT set_config('{name}', '{value}', false)")

    def restore(self) -> None:
        """Put back the session's lock_timeout and statement_timeout.

        Nothing to put back on a session an interrupt broke (SQLAlchemy invalidated it).
        """
        if self.connection.invalidated:
            return
        with contextlib.suppress(sa_exc.SQLAlchemyError):
            self._set("lock_timeout", self._saved[0])
            self._set("statement_timeout", self._saved[1])

    def run(
        self,
        sql: str,
        *,
        what: str,
        long_running: bool = False,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> tuple[Any, ...] | None:
        """Execute ``sql``; retry it on lock timeouts; return its first row, if any.

        :param long_running: lift ``statement_timeout`` (for statements that block
         nobody however long they run: concurrent index builds, VALIDATE).
        :param on_failure: called with the error after any failed attempt, before the
         retry or the re-raise (drops an INVALID index...); if it raises, that error
         ends the retries.
        """
        requests = lockwait.requests_for(sql)
        if requests:  # it would hold up reads or writes while queued: never queue
            self._set(
                "statement_timeout",
                "0" if long_running else format_duration(self.settings.statement_timeout),
            )
            try:
                return lockwait.run_locked(
                    self.connection, sql, self.settings, requests=requests, what=what
                )
            except (sa_exc.DBAPIError, LockTimeoutExhausted) as exc:
                if on_failure is not None:
                    on_failure(exc)
                raise
        attempts = self.settings.lock_attempts()
        for number, (timeout, delay) in enumerate(attempts, 1):
            self._set("lock_timeout", format_duration(timeout))
            self._set(
                "statement_timeout",
                "0" if long_running else format_duration(self.settings.statement_timeout),
            )
            try:
                return self.query(sql)
            except sa_exc.DBAPIError as exc:
                if on_failure is not None:
                    on_failure(exc)
                state = sqlstate(exc)
                if state in LOCK_SQLSTATES and number < len(attempts):
                    log.warning(
                        "%s: %s after %s waiting for a lock (attempt %d of %d); retrying in %.1f s",
                        what,
                        LOCK_SQLSTATES[state],
                        format_duration(timeout),
                        number,
                        len(attempts),
                        delay,
                    )
                    time.sleep(delay)
                    continue
                raise
        raise AssertionError("unreachable: the last attempt returns or raises")


def lock_first(operations: Operations, requests: list[lockwait.LockRequest], *, what: str) -> None:
    """Before a DDL statement inside the migration transaction: take its locks outside the queue.

    Online only, and only while the transaction holds no lock that blocks the application
    (waiting then would stall those tables): otherwise the statement takes its locks itself,
    under the session's ``lock_timeout``, and the guard retries the revision after a timeout.
    """
    context = operations.migration_context
    connection = context.connection
    if context.as_sql or connection is None or _in_autocommit(context):
        return
    if lockwait.held_blocking(lockwait.executor(connection)):
        return
    lockwait.acquire(connection, requests, settings_for(context), what=what)


def _in_autocommit(context: MigrationContext) -> bool:
    connection = context.connection
    if connection is None:
        return False
    return connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT"


def _in_foreign_transaction(context: MigrationContext) -> bool:
    """True when the connection is in a transaction Alembic did not begin (engine.begin())."""
    connection = context.connection
    if connection is None:
        return False
    return bool(connection.in_transaction()) and getattr(context, "_transaction", None) is None


@contextlib.contextmanager
def outside_transaction(operations: Operations, name: str) -> Iterator[Session | None]:
    """Leave the migration transaction for the duration of the block (see the module doc)."""
    context = operations.migration_context
    if context.as_sql:
        with context.autocommit_block():
            yield None
        return
    if _in_autocommit(context):  # already inside the user's own autocommit_block()
        session = Session(context, name)
        try:
            yield session
        finally:
            session.restore()
        return
    if _in_foreign_transaction(context):
        raise ConfigError(
            f"op.{name}() must run outside a transaction, but the migration connection is "
            "inside a transaction that Alembic did not begin (env.py used engine.begin(), "
            "or passed a connection that already ran a query).",
            hint="In env.py, hand Alembic a connection from engine.connect() and configure "
            "transaction_per_migration=True (alembic_safe.run_migrations() does both).",
        )
    base = context.connection
    try:
        with context.autocommit_block():
            session = Session(context, name)
            try:
                yield session
            finally:
                session.restore()
    except sa_exc.SQLAlchemyError as exc:
        interrupt = exc.__context__
        if not isinstance(interrupt, KeyboardInterrupt):
            raise
        # Ctrl-C broke the session while autocommit_block() ended: SQLAlchemy then refuses
        # the block's own commit (PendingRollbackError). The interrupt is what happened.
        if base is not None:
            with contextlib.suppress(sa_exc.SQLAlchemyError):
                base.rollback()
            context.connection = context.impl.connection = base
        context._transaction = None
        raise interrupt from None
