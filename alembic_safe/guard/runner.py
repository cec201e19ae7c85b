"""The guarded run of ``alembic upgrade`` / ``downgrade`` / ``stamp``, online.

:class:`OnlineGuard` takes the deploy lock (:mod:`~alembic_safe.guard.deploy_lock`), sets
the session's timeouts, plans every pending revision from its record before anything runs,
refuses what must not run (:mod:`~alembic_safe.guard.refusal`), backs up
(:mod:`alembic_safe.backup.step`), then runs each revision in its own transaction:
preconditions, ``upgrade()``, ``verify()`` and post-checks, and a row in the history table.
A lock timeout rolls the revision back and retries it with growing timeouts and sleeps.

A revision that stops part-way (it failed or was interrupted after steps outside the
transaction committed) is reported and recorded as such (:mod:`~alembic_safe.guard.partial`),
and a re-run skips what the earlier run committed.  Ctrl-C is reported as an interruption,
with what stays, and never as a traceback.
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

from alembic_safe import checks, lockwait
from alembic_safe.analysis import backup_policy
from alembic_safe.backup import step as backup_step
from alembic_safe.backup.scope import created_by
from alembic_safe.checks import COLLECTOR, Check
from alembic_safe.config import Settings, format_duration
from alembic_safe.console import say
from alembic_safe.errors import (
    AlembicSafeError,
    BackupError,
    ConfigError,
    Interrupted,
    LockTimeoutExhausted,
    PreconditionFailed,
    UnsafeMigrationError,
    VerificationFailed,
)
from alembic_safe.guard import deploy_lock, failure, partial, refusal
from alembic_safe.guard.entry import Entry, joined
from alembic_safe.guard.history import History, RunLog
from alembic_safe.operations import cleaned_up
from alembic_safe.pg import catalog
from alembic_safe.pg.client import remove_leftover_passfiles
from alembic_safe.pg.connection import LOCK_SQLSTATES, sqlstate
from alembic_safe.record import RecordBook
from alembic_safe.tracebacks import line_in, relpath, short

REHEARSAL = "alembic_safe.rehearsal"
"""``config.attributes[REHEARSAL] = True``: the run is a rehearsal on a scratch database
(:mod:`alembic_safe.rehearse`), so the guard takes no backup, asks for no confirmation and
writes no schema file; everything else (plan, refusals, checks, history) runs as usual."""


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
        self.rehearsal = bool(context.config.attributes.get(REHEARSAL))
        self.stage = "while waiting for the migration lock"
        """Where the run is, for an interruption outside a revision."""
        self.ledger: partial.Ledger | None = None
        self.log: RunLog | None = None
        self.gate: lockwait.LockGate | None = None

    # ------------------------------------------------------------------ the run
    def run(self, configure_kwargs: dict[str, Any]) -> None:
        try:
            self._run(configure_kwargs)
        except KeyboardInterrupt:  # outside a revision: waiting, planning, sleeping
            raise failure.interrupted_outside(self.stage, self._heads(), self._target()) from None
        finally:
            if self.log is not None:
                self.log.close()

    def _run(self, configure_kwargs: dict[str, Any]) -> None:
        kwargs = dict(configure_kwargs)
        kwargs.pop("transaction_per_migration", None)
        version_table = kwargs.get("version_table", "alembic_version")
        schema = kwargs.get("version_table_schema")
        self.lock_key = deploy_lock.deploy_lock_key(version_table, schema)
        self.history = History(self.settings.history_table, schema)
        self.log = RunLog(self.history, self.connection, say)
        if self.connection.in_transaction():
            raise ConfigError(
                "The connection given to alembic_safe.run_migrations() is already inside a "
                "transaction, so each revision cannot get its own transaction.",
                hint="Pass a connection from engine.connect() (not engine.begin()) and commit "
                "or roll back what you ran on it before the migration.",
            )
        for path in remove_leftover_passfiles():
            say(f"removed a password file that a killed run left behind: {path}")
        deploy_lock.take(self.connection, self.lock_key, self.settings.deploy_lock_wait)
        try:
            self._set_session_timeouts()
            self.history.ensure(self.connection)
            self._settle_history()
            self.connection.commit()
            self.stage = "while planning the pending revisions"
            self.context.configure(
                connection=self.connection,
                transaction_per_migration=True,
                fn=self.steps,
                **kwargs,
            )
            with lockwait.LockGate(self.connection, self.settings, report=say) as self.gate:
                self._run_with_retries()
            self.stage = "after the last revision"
            self._write_schema_file()
        finally:
            deploy_lock.release(self.connection, self.lock_key)

    def _settle_history(self) -> None:
        """Rows of runs that died (killed, connection lost) become ``abandoned``; say so."""
        assert self.log is not None
        for row in self.log.settle(self.connection, failure.abandoned):
            say(failure.abandoned_warning(row))

    def _write_schema_file(self) -> None:
        """``schema_file`` after a run that applied revisions (see :mod:`alembic_safe.backup.schema_file`)."""
        if not self.settings.schema_file or not self.entries or self.rehearsal:
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
                try:
                    time.sleep(delay)
                except KeyboardInterrupt:
                    raise self._interrupted(self.current, None) from None
                finally:
                    self.current = None

    def _rollback(self) -> None:
        """Roll back; after an interrupt this also lets an invalidated connection reconnect."""
        try:
            self.connection.rollback()
        except sa_exc.SQLAlchemyError:
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
        partial.remember_backend_pid(self.connection)
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
                self.stage = "during the backup, before the first change"
                self.backup_label = self._backup(migration_context)
                self.stage = "before the first revision started"
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

    def _record_refusal(self, problems: list[tuple[str, str]], outcome: str = "refused") -> None:
        """Log revisions that did not run (called after the rollback, so nothing else is committed)."""
        now = datetime.now(timezone.utc)
        for entry in self.entries.values():
            message = next((body for label, body in problems if label == entry.label()), None)
            if message is not None and self._row(entry) is None:  # not started
                self._record(
                    self.connection,
                    entry,
                    outcome,
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
        progress: dict[str, Any] | None = None,
    ) -> None:
        """Finish the run's row (written when the revision started), or write one."""
        assert self.log is not None
        self.log.finish(
            connection,
            outcome,
            revision=entry.revision,
            from_revision=joined(entry.from_revisions),
            to_revision=joined(entry.to_revisions),
            direction=entry.direction,
            started_at=started,
            duration_ms=duration_ms,
            attempts=entry.attempts if attempts is None else attempts,
            backup=self.backup_label,
            message=message,
            progress=progress,
        )

    def _row(self, entry: Entry) -> int | None:
        return self.log.row(entry.revision, entry.direction) if self.log is not None else None

    def _start_row(self, entry: Entry) -> None:
        """The ``running`` row of a revision, committed at once (a killed run leaves it)."""
        assert self.log is not None and entry.started_at is not None
        self.log.start(
            backend_pid=partial.backend_pid(self.connection),
            revision=entry.revision,
            from_revision=joined(entry.from_revisions),
            to_revision=joined(entry.to_revisions),
            direction=entry.direction,
            started_at=entry.started_at,
            attempts=entry.attempts,
            backup=self.backup_label,
        )

    def _save_progress(self, ledger: partial.Ledger) -> None:
        entry = self.current
        if entry is not None and self.log is not None:
            self.log.progress(entry.revision, entry.direction, ledger.progress())

    # ------------------------------------------------------------------ resuming
    def _resume(self, entry: Entry) -> partial.Resume | None:
        """What an earlier run of this revision committed and this run can skip, if any."""
        assert self.history is not None
        row = self.history.last_unfinished(self.connection, entry.revision, entry.direction)
        if row is None:
            return None
        self._drop_invalid(entry)  # a killed build leaves its INVALID index behind
        resume = partial.Resume.from_history(
            row.id, f"{row.started_at:%Y-%m-%d %H:%M:%S}", row.outcome, row.progress
        )
        if resume is not None and resume.raw:
            raise failure.cannot_resume_raw(entry, row, resume)
        return resume

    def _skip(self, entry: Entry, ledger: partial.Ledger) -> list[int]:
        """The operations an earlier run committed whose effect the catalog still shows."""
        resume = ledger.resume
        if resume is None:
            return []
        skippable = ledger.skippable()
        changed = sorted(set(resume.committed) - set(skippable))
        if changed:
            raise failure.cannot_resume_changed(entry, resume, changed)
        skip = [n for n in skippable if ledger.effect_present(n)]
        if skip:
            say(
                f"  resuming {entry.revision}: the run of {resume.started} (history row "
                f"{resume.history_id}, {resume.outcome}) committed step(s) "
                f"{', '.join(map(str, skip))}; they are skipped"
            )
        return skip

    def _drop_invalid(self, entry: Entry) -> tuple[list[str], list[str]]:
        """Drop INVALID indexes that the revision's concurrent builds left (autocommit)."""
        if not partial.index_names(entry.plan):
            return [], []
        connection = self.log.side() if self.log is not None else None
        if connection is None:
            return [], []
        timeout = format_duration(max(self.settings.lock_timeout_max, 1.0))
        try:
            dropped, kept = partial.drop_invalid_indexes(connection, entry.plan, timeout)
        except sa_exc.DBAPIError:
            return [], []
        for name in dropped:
            say(f"  dropped the INVALID index {name} that a stopped build left")
        return dropped, kept

    # ------------------------------------------------------------------ one revision
    def run_step(self, step: RevisionStep, original: Callable[..., Any], **kw: Any) -> None:
        entry = self.entries.get(step.revision.revision) or self._entry(step)
        self.entries.setdefault(entry.revision, entry)
        self.current = entry
        self.stage = f"in revision {entry.revision}"
        entry.attempts += 1
        entry.started_at = entry.started_at or datetime.now(timezone.utc)
        started = time.monotonic()
        migration_context = self.context.get_context()
        connection = _connection(migration_context)
        self._start_row(entry)
        timeout = self.attempt_plan[min(entry.attempts, len(self.attempt_plan)) - 1][0]
        connection.execute(
            text("SELECT set_config('lock_timeout', :value, true)"),
            {"value": format_duration(timeout)},
        )
        say(f"{entry.direction} {entry.label()}, attempt {entry.attempts}")
        ledger = partial.Ledger(
            entry.plan, connection, resume=self._resume(entry), on_change=self._save_progress
        )
        self.ledger = ledger
        skip = self._skip(entry, ledger)
        if ledger.resume is not None:  # this run's row says at once what is committed
            self._save_progress(ledger)
        if self.gate is not None:  # take the locks of each transaction segment outside the queue
            self.gate.expect(lockwait.segments(entry.plan), extra=entry.learned_locks)
        derived_pre, derived_post = entry.record.derived_checks(entry.direction)
        if ledger.resume is not None:
            derived_pre = ledger.preconditions(skip)
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
        with ledger.watching(skip):
            original(**kw)
        post = checks.unique(derived_post + self._declared(migration_context, entry, "verify"))
        failures = checks.evaluate(_connection(migration_context), post)
        if failures:
            raise VerificationFailed(
                f"Verification failed for revision {entry.label()}. {failure.ROLLED_BACK_SENTENCE}",
                context=[("Not as expected", "\n".join(f.format() for f in failures))],
                hint="upgrade() did not produce what verify() and the operations promise; "
                "fix the revision.",
            )
        if post:
            say(f"  {len(post)} post-check(s) hold")
        duration = int((time.monotonic() - started) * 1000)
        ledger.settle(succeeded=True)
        self._record(
            _connection(migration_context),
            entry,
            "applied",
            started=entry.started_at,
            duration_ms=duration,
            progress=ledger.progress(),
        )
        say(f"  {entry.direction} of {entry.revision} done in {duration} ms")
        self.current = None
        self.ledger = None
        self.stage = f"after revision {entry.revision}, before the next one started"

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
                hint=failure.NOTHING_COMMITTED,
            ) from exc
        finally:
            migration_context.opts.pop(COLLECTOR, None)
        return [c.with_origin(f"{name}()") for c in collected]

    # ------------------------------------------------------------------ failures
    def _after_failure(self, exc: BaseException) -> float:
        """Record the failure; return the sleep before a retry, or raise the user's error."""
        entry = self.current
        ledger = self.ledger
        self.current = None
        self.ledger = None
        if partial.interrupted(exc):
            raise self._interrupted(entry, ledger, tuple(cleaned_up(exc))) from None
        state = sqlstate(exc)
        committed = ledger is not None and ledger.anything_committed
        if (
            entry is not None
            and isinstance(exc, lockwait.LockOrderConflict)
            and not committed
            and entry.attempts < len(self.attempt_plan)
        ):
            entry.learned_locks = list(lockwait.merge([*entry.learned_locks, *exc.requests]))
            say(
                f"{entry.revision} needs locks its plan did not show; rolled back, retrying "
                "with them taken first"
            )
            self.current = entry
            return 0.0
        if entry is not None and state in LOCK_SQLSTATES and not isinstance(exc, AlembicSafeError):
            if not committed and entry.attempts < len(self.attempt_plan):
                timeout, delay = self.attempt_plan[entry.attempts - 1]
                say(
                    f"{LOCK_SQLSTATES[state]} after {timeout:.1f} s in {entry.revision}; "
                    f"rolled back (attempt {entry.attempts} of {len(self.attempt_plan)})"
                )
                self.current = entry  # an interrupt during the sleep is recorded for it
                return delay
            waited = sum(t for t, _ in self.attempt_plan[: entry.attempts])
            error: AlembicSafeError = failure.lock_exhausted(
                entry, exc, state, self.connection, waited
            )
        elif isinstance(exc, UnsafeMigrationError) and entry is None:
            self._record_refusal(exc.context)
            raise exc
        elif isinstance(exc, BackupError):
            # nothing ran; every pending revision is logged as refused for this reason
            self._record_refusal([(e.label(), exc.message) for e in self.entries.values()])
            raise exc
        elif isinstance(exc, LockTimeoutExhausted) and entry is not None:
            exc.message = f"Revision {entry.label()}: {exc.message}"
            error = exc
        elif isinstance(exc, AlembicSafeError):
            error = exc
        elif entry is not None:
            error = failure.migration_error(entry, exc, state, self.settings)
        else:
            raise exc
        if entry is not None:
            if ledger is not None:
                ledger.settle(succeeded=False)
            error = self._with_position(error)
            outcome = "failed"
            if ledger is not None and ledger.anything_committed:
                self._drop_invalid(entry)
                error = failure.stopped_part_way(error, entry, ledger, self._target())
                outcome = "partial"
            self._record_failure(
                entry,
                failure.history_text(error) if outcome == "partial" else error.message,
                outcome=outcome,
                progress=ledger.progress() if ledger is not None else None,
            )
        if error is exc:
            raise error
        raise error from exc

    def _interrupted(
        self, entry: Entry | None, ledger: partial.Ledger | None, cleaned: tuple[str, ...] = ()
    ) -> Interrupted:
        """Ctrl-C: reconnect if the interrupt broke the session, clean up, record, explain.

        ``cleaned``: the INVALID indexes the interrupted operation dropped itself.
        """
        self._rollback()
        position = self._heads()
        if entry is None:
            error = failure.interrupted_outside(self.stage, position, self._target())
            self._record_refusal(
                [(e.label(), error.message) for e in self.entries.values()], "interrupted"
            )
            return error
        if ledger is not None:
            ledger.settle(succeeded=False)
        dropped, kept = self._drop_invalid(entry)
        error = failure.interrupted(
            entry,
            ledger,
            position=position or "base (no revision applied)",
            target=self._target(),
            dropped=[*cleaned, *(name for name in dropped if name not in cleaned)],
            kept=kept,
        )
        self._record_failure(
            entry,
            failure.history_text(error),
            outcome="interrupted",
            progress=ledger.progress() if ledger is not None else None,
        )
        return error

    def _heads(self) -> str | None:
        """Where the database stands (for messages), or None when that cannot be read."""
        try:
            heads = self.context.get_context().get_current_heads()
            self.connection.commit()
        except Exception:  # only for the message: no context yet, a broken session...
            self._rollback()
            return None
        return ", ".join(heads) if heads else "base (no revision applied)"

    def _with_position(self, error: AlembicSafeError) -> AlembicSafeError:
        position = self._heads()
        if position is None:
            return error
        suffix = f"The database stays at {position}."
        if suffix not in error.message:
            error.message = f"{error.message} {suffix}"
            error.args = (error.format_message(),)
        return error

    def _record_failure(
        self,
        entry: Entry,
        message: str,
        *,
        outcome: str = "failed",
        progress: dict[str, Any] | None = None,
    ) -> None:
        try:
            self._rollback()
            started = entry.started_at or datetime.now(timezone.utc)
            duration = int((datetime.now(timezone.utc) - started).total_seconds() * 1000)
            self._record(
                self.connection,
                entry,
                outcome,
                started=started,
                duration_ms=duration,
                message=message,
                progress=progress,
            )
            self.connection.commit()
        except sa_exc.SQLAlchemyError:
            self._rollback()


def _connection(migration_context: MigrationContext) -> Connection:
    connection = migration_context.connection
    assert connection is not None
    return connection
