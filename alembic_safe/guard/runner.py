"""The guarded run of ``alembic upgrade`` / ``downgrade`` / ``stamp``, online.

:class:`OnlineGuard` takes the deploy lock (:mod:`~alembic_safe.guard.deploy_lock`), sets
the session's timeouts, plans every pending revision from its record before anything runs,
refuses what must not run (:mod:`~alembic_safe.guard.refusal`), backs up
(:mod:`alembic_safe.backup.step`), then runs each revision in its own transaction:
preconditions, ``upgrade()``, ``verify()`` and post-checks, and a row in the history table.
A lock timeout rolls the revision back and retries it with growing timeouts and sleeps.
"""

from __future__ import annotations

import copy
import functools
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext, RevisionStep
from alembic.util import CommandError
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.engine import Connection

from alembic_safe import checks
from alembic_safe.analysis import backup_policy
from alembic_safe.backup import step as backup_step
from alembic_safe.backup.scope import created_by
from alembic_safe.checks import Check
from alembic_safe.config import Settings, format_duration
from alembic_safe.console import say
from alembic_safe.errors import (
    AlembicSafeError,
    BackupError,
    ConfigError,
    PreconditionFailed,
    UnsafeMigrationError,
    VerificationFailed,
)
from alembic_safe.guard import deploy_lock, failure, refusal
from alembic_safe.guard.entry import Entry, joined
from alembic_safe.guard.history import History
from alembic_safe.operations.preconditions import COLLECTOR
from alembic_safe.pg import catalog
from alembic_safe.pg.connection import LOCK_SQLSTATES, sqlstate
from alembic_safe.record import RecordBook
from alembic_safe.tracebacks import line_in, relpath, short

REHEARSAL_ATTRIBUTE = "alembic_safe.rehearsal"
"""``config.attributes[...] = True``: the database is a throwaway copy (no backup, no prompt)."""


class OnlineGuard:
    """Drives one guarded ``alembic upgrade`` / ``downgrade`` / ``stamp`` run."""

    def __init__(
        self,
        context: EnvironmentContext,
        connection: Connection,
        settings: Settings,
        original_fn: Callable[..., Iterable[Any]],
    ) -> None:
        self.context = context
        self.connection = connection
        self.settings = settings
        self.original_fn = original_fn
        self.book = RecordBook(settings)
        self.entries: dict[str, Entry] = {}
        self.planned = False
        self.step_count = 0
        self.current: Entry | None = None
        self.backup_label: str | None = None
        self.lock_key = 0
        self.history: History | None = None
        self.attempt_plan = settings.lock_attempts()
        self.rehearsal = bool(context.config.attributes.get(REHEARSAL_ATTRIBUTE))

    # ------------------------------------------------------------------ the run
    def run(self, configure_kwargs: dict[str, Any]) -> None:
        kwargs = dict(configure_kwargs)
        kwargs.pop("transaction_per_migration", None)
        version_table = kwargs.get("version_table", "alembic_version")
        schema = kwargs.get("version_table_schema")
        self.lock_key = deploy_lock.deploy_lock_key(version_table, schema)
        self.history = History(self.settings.history_table, schema)
        if self.connection.in_transaction():
            raise ConfigError(
                "The connection given to alembic_safe.run_migrations() is already inside a "
                "transaction, so each revision cannot get its own transaction.",
                hint="Pass a connection from engine.connect() (not engine.begin()) and commit "
                "or roll back what you ran on it before the migration.",
            )
        deploy_lock.take(self.connection, self.lock_key, self.settings.deploy_lock_wait)
        try:
            self._set_session_timeouts()
            self.history.ensure(self.connection)
            self.connection.commit()
            self.context.configure(
                connection=self.connection,
                transaction_per_migration=True,
                fn=self.steps,
                **kwargs,
            )
            self._run_with_retries()
            self._write_schema_file()
        finally:
            deploy_lock.release(self.connection, self.lock_key)

    def _write_schema_file(self) -> None:
        """``schema_file`` after a run that applied revisions (see :mod:`alembic_safe.backup.schema_file`)."""
        if not self.settings.schema_file or not self.entries:
            return
        from alembic_safe.backup import schema_file

        try:
            path = schema_file.write(self.context.config, self.settings, self.connection)
        except AlembicSafeError as exc:  # the revisions are committed; say so, do not fail
            say(f"warning: the schema file was not written: {exc.message}")
            return
        say(f"schema file {relpath(str(path))} is up to date")

    def _run_with_retries(self) -> None:
        while True:
            try:
                with self.context.begin_transaction():
                    self.context.run_migrations()
                self.connection.commit()
                if self.planned and not self.step_count:
                    say("nothing to do: the database is already at the target revision")
                return
            except BaseException as exc:
                self._rollback()
                delay = self._after_failure(exc)
                say(f"retrying in {delay:.1f} s")
                time.sleep(delay)

    def _rollback(self) -> None:
        try:
            self.connection.rollback()
        except sa_exc.DBAPIError:
            pass

    def _set_session_timeouts(self) -> None:
        settings = [
            ("lock_timeout", self.settings.lock_timeout),
            ("statement_timeout", self.settings.statement_timeout),
        ]
        version = self.connection.dialect.server_version_info or (0,)
        if isinstance(version[0], int) and version[0] >= 14:
            # If this process dies mid-statement (SIGKILL, lost network), the server notices
            # within a second and rolls back, instead of holding the revision's locks and
            # the deploy lock until the statement ends on its own.
            settings.append(("client_connection_check_interval", 1.0))
        for name, seconds in settings:
            self.connection.execute(
                text("SELECT set_config(:name, :value, false)"),
                {"name": name, "value": format_duration(seconds)},
            )
        self.connection.commit()

    # ------------------------------------------------------------------ planning
    def steps(self, heads: Any, migration_context: MigrationContext) -> list[Any]:
        """The ``fn`` Alembic calls for the steps to run; plans and refuses on the first call."""
        try:
            raw = list(self.original_fn(heads, migration_context))
        except CommandError:
            raise  # Alembic's own words: unknown revision, ambiguous walk, multiple heads...
        except Exception as exc:
            raise failure.load_failure(exc) from exc
        revision_steps = [s for s in raw if isinstance(s, RevisionStep)]
        if not self.planned:
            self.planned = True
            self.step_count = len(raw)
            for step in revision_steps:
                self.entries[step.revision.revision] = self._entry(step)
            if self.entries:
                self._report_plan()
                self._judge_destruction(migration_context)
                refusal.refuse_unsafe(
                    list(self.entries.values()),
                    self.settings.confirm,
                    self._target(),
                    rehearsal=self.rehearsal,
                )
                self.backup_label = self._backup(migration_context)
        guarded: list[Any] = []
        for step in raw:
            if isinstance(step, RevisionStep):
                clone = copy.copy(step)
                clone.migration_fn = self._guarded(step)
                guarded.append(clone)
            else:
                guarded.append(step)
        return guarded

    def _entry(self, step: RevisionStep) -> Entry:
        direction = "upgrade" if step.is_upgrade else "downgrade"
        return Entry(self.book.get(step.revision), direction)

    def _guarded(self, step: RevisionStep) -> Callable[..., None]:
        original = step.migration_fn

        def guarded(**kw: Any) -> None:
            self.run_step(step, original, **kw)

        return functools.update_wrapper(guarded, original)

    def _report_plan(self) -> None:
        say(f"{len(self.entries)} revision(s) to run:")
        for entry in self.entries.values():
            plan = entry.plan
            details = f"{len(plan.steps)} step(s)"
            if not plan.complete:
                details += f"; {plan.status()}"
            say(f"  {entry.direction} {entry.label()}: {details}")

    def _judge_destruction(self, migration_context: MigrationContext) -> None:
        """Destructive steps, with the live column types for type changes that omit the old one."""
        connection = migration_context.connection
        assert connection is not None

        def column_type(table: str, column: str) -> str | None:
            return catalog.column_type(connection, table, column)

        for entry in self.entries.values():
            entry.destructive = entry.record.destructions(entry.direction, column_type)

    def _target(self) -> str:
        typed = getattr(self.context.config.cmd_opts, "revision", None)
        if isinstance(typed, str) and typed:
            return typed  # what the user typed ("head", "+1", "ae10")
        try:
            target = self.context.get_revision_argument()
        except Exception:  # only for the message
            return "<target>"
        if isinstance(target, (tuple, list)):
            return " ".join(target) or "head"
        return str(target) if target else "head"

    def _backup(self, migration_context: MigrationContext) -> str:
        """Step 4, before the first change: back up per the policy; the label for the history.

        A failure raises :class:`~alembic_safe.errors.BackupError`, so nothing is applied.
        """
        entries = list(self.entries.values())
        if self.rehearsal:
            say("rehearsal: backups and confirmations are off on the scratch database")
            return "none (rehearsal on a scratch database)"
        decision = backup_policy.decide(self.settings, [e.pending() for e in entries])
        if not decision.due:
            say(decision.reason)
            return decision.label
        for note in decision.notes:
            say(note)
        name = self.context.config.config_file_name
        return backup_step.before_upgrade(
            self.connection,
            self.settings,
            scope=decision.scope,
            entries=[
                backup_step.Pending(
                    e.revision, e.direction, e.parents, e.plan.tables, created_by(e.plan)
                )
                for e in entries
            ],
            heads=tuple(migration_context.get_current_heads()),
            version_table=migration_context.version_table,
            version_schema=migration_context.version_table_schema,
            base=Path(name).resolve().parent if name else None,
        )

    def _record_refusal(self, problems: list[tuple[str, str]]) -> None:
        """Log refused revisions (called after the rollback, so nothing else is committed)."""
        now = datetime.now(timezone.utc)
        for entry in self.entries.values():
            message = next((body for label, body in problems if label == entry.label()), None)
            if message is not None:
                self._record(
                    self.connection,
                    entry,
                    "refused",
                    started=now,
                    duration_ms=0,
                    message=message,
                    attempts=0,
                )
        self.connection.commit()

    def _record(
        self,
        connection: Connection,
        entry: Entry,
        outcome: str,
        *,
        started: datetime,
        duration_ms: int,
        message: str | None = None,
        attempts: int | None = None,
    ) -> None:
        assert self.history is not None
        self.history.record(
            connection,
            revision=entry.revision,
            from_revision=joined(entry.from_revisions),
            to_revision=joined(entry.to_revisions),
            direction=entry.direction,
            started_at=started,
            duration_ms=duration_ms,
            outcome=outcome,
            attempts=entry.attempts if attempts is None else attempts,
            backup=self.backup_label,
            message=message,
        )

    # ------------------------------------------------------------------ one revision
    def run_step(self, step: RevisionStep, original: Callable[..., Any], **kw: Any) -> None:
        entry = self.entries.get(step.revision.revision) or self._entry(step)
        self.entries.setdefault(entry.revision, entry)
        self.current = entry
        entry.attempts += 1
        entry.started_at = datetime.now(timezone.utc)
        started = time.monotonic()
        migration_context = self.context.get_context()
        connection = _connection(migration_context)
        timeout = self.attempt_plan[min(entry.attempts, len(self.attempt_plan)) - 1][0]
        connection.execute(
            text("SELECT set_config('lock_timeout', :value, true)"),
            {"value": format_duration(timeout)},
        )
        say(f"{entry.direction} {entry.label()}, attempt {entry.attempts}")
        derived_pre, derived_post = entry.record.derived_checks(entry.direction)
        pre = checks.unique(derived_pre + self._declared(migration_context, entry, "preconditions"))
        failures = checks.evaluate(connection, pre)
        if failures:
            raise PreconditionFailed(
                f"Precondition failed for revision {entry.label()}; it was rolled back "
                "before any statement ran.",
                context=[("Not met", "\n".join(f.format() for f in failures))],
                hint="Check whether the database matches the revision history (was something "
                "changed by hand?), then fix the database or the revision.",
            )
        if pre:
            say(f"  {len(pre)} precondition(s) hold")
        original(**kw)
        post = checks.unique(derived_post + self._declared(migration_context, entry, "verify"))
        failures = checks.evaluate(_connection(migration_context), post)
        if failures:
            raise VerificationFailed(
                f"Verification failed for revision {entry.label()}; it was rolled back.",
                context=[("Not as expected", "\n".join(f.format() for f in failures))],
                hint="upgrade() did not produce what verify() and the operations promise; "
                "fix the revision.",
            )
        if post:
            say(f"  {len(post)} post-check(s) hold")
        duration = int((time.monotonic() - started) * 1000)
        assert entry.started_at is not None
        self._record(
            _connection(migration_context),
            entry,
            "applied",
            started=entry.started_at,
            duration_ms=duration,
        )
        say(f"  {entry.direction} of {entry.revision} done in {duration} ms")
        self.current = None

    def _declared(
        self, migration_context: MigrationContext, entry: Entry, name: str
    ) -> list[Check]:
        """Run ``preconditions()`` / ``verify()`` online, collecting what they require."""
        if entry.direction != "upgrade":
            return []
        function = getattr(entry.script.module, name, None)
        if not callable(function):
            return []
        collected: list[Check] = []
        migration_context.opts[COLLECTOR] = collected
        error = PreconditionFailed if name == "preconditions" else VerificationFailed
        try:
            function()
        except AlembicSafeError:
            raise
        except Exception as exc:
            line = line_in(exc, entry.plan.path)
            where = f" at line {line}" if line else ""
            raise error(
                f"{name}() of revision {entry.label()} failed{where}: "
                f"{type(exc).__name__}: {short(exc) or 'assertion failed'}",
                hint="The revision was rolled back; nothing of it is committed.",
            ) from exc
        finally:
            migration_context.opts.pop(COLLECTOR, None)
        return [c.with_origin(f"{name}()") for c in collected]

    # ------------------------------------------------------------------ failures
    def _after_failure(self, exc: BaseException) -> float:
        """Record the failure; return the sleep before a retry, or raise the user's error."""
        entry = self.current
        self.current = None
        state = sqlstate(exc)
        if entry is not None and state in LOCK_SQLSTATES and not isinstance(exc, AlembicSafeError):
            if not entry.plan.has_non_transactional_steps and entry.attempts < len(
                self.attempt_plan
            ):
                timeout, delay = self.attempt_plan[entry.attempts - 1]
                say(
                    f"{LOCK_SQLSTATES[state]} after {timeout:.1f} s in {entry.revision}; "
                    f"rolled back (attempt {entry.attempts} of {len(self.attempt_plan)})"
                )
                return delay
            waited = sum(t for t, _ in self.attempt_plan[: entry.attempts])
            error: AlembicSafeError = failure.lock_exhausted(
                entry, exc, state, self.connection, waited
            )
        elif isinstance(exc, UnsafeMigrationError):
            self._record_refusal(exc.context)
            raise exc
        elif isinstance(exc, BackupError):
            # nothing ran; every pending revision is logged as refused for this reason
            self._record_refusal([(e.label(), exc.message) for e in self.entries.values()])
            raise exc
        elif isinstance(exc, AlembicSafeError):
            error = exc
        elif isinstance(exc, KeyboardInterrupt):
            if entry is not None:
                self._record_failure(entry, "interrupted (Ctrl-C)")
            raise exc
        elif entry is not None:
            error = failure.migration_error(entry, exc, state, self.settings)
        else:
            raise exc
        if entry is not None:
            error = self._with_position(error)
            self._record_failure(entry, error.message)
        if error is exc:
            raise error
        raise error from exc

    def _with_position(self, error: AlembicSafeError) -> AlembicSafeError:
        try:
            heads = self.context.get_context().get_current_heads()
            self.connection.commit()
        except sa_exc.DBAPIError:
            return error
        position = ", ".join(heads) if heads else "base (no revision applied)"
        suffix = f"The database stays at {position}."
        if suffix not in error.message:
            error.message = f"{error.message} {suffix}"
            error.args = (error.format_message(),)
        return error

    def _record_failure(self, entry: Entry, message: str) -> None:
        try:
            self._rollback()
            started = entry.started_at or datetime.now(timezone.utc)
            duration = int((datetime.now(timezone.utc) - started).total_seconds() * 1000)
            self._record(
                self.connection,
                entry,
                "failed",
                started=started,
                duration_ms=duration,
                message=message,
            )
            self.connection.commit()
        except sa_exc.DBAPIError:
            self._rollback()


def _connection(migration_context: MigrationContext) -> Connection:
    connection = migration_context.connection
    assert connection is not None
    return connection
