"""The guarded ``alembic upgrade``: the env.py hook.

``env.py`` calls :func:`run_migrations` instead of its own ``run_migrations_online()`` /
``run_migrations_offline()``.  Online, for ``upgrade``, ``downgrade`` and ``stamp``:

1. take a session-level advisory lock, so one deployer runs at a time (others wait, up to
   ``deploy_lock_wait``, then find nothing left to do);
2. set ``lock_timeout`` / ``statement_timeout`` for the session;
3. plan every pending revision before anything runs and refuse, with nothing applied, a
   revision without a real ``downgrade()`` (unless ``irreversible = "<reason>"``) or with
   destructive steps nobody confirmed (``-x confirm=REV`` or a prompt on a TTY);
4. back up (the slot :meth:`OnlineGuard.backup`; see :mod:`alembic_safe.backup`);
5. per revision, in its own transaction: preconditions (explicit and derived) checked
   against the live catalog, ``upgrade()``, then ``verify()`` and derived post-checks; a
   lock timeout rolls the revision back and retries it with growing timeouts and sleeps;
6. record each run in the history table.

Offline (``alembic upgrade --sql``) prints the seed's SQL script: header comments from the
docstring, a ``DO $$ ... RAISE EXCEPTION`` validation block, ``BEGIN; ... COMMIT;`` and
the post-migration checks.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext, RevisionStep
from alembic.script import Script
from alembic.util import CommandError, msg
from sqlalchemy import create_engine, pool, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine, make_url

from alembic_safe import _catalog, checks, derive
from alembic_safe.checks import Check
from alembic_safe.config import Settings, format_duration, load_settings
from alembic_safe.errors import (
    AlembicSafeError,
    BackupError,
    ConfigError,
    DatabaseUnavailable,
    DeployLockTimeout,
    LockTimeoutExhausted,
    MigrationFailed,
    PreconditionFailed,
    ProjectLoadError,
    UnsafeMigrationError,
    VerificationFailed,
)
from alembic_safe.history import History
from alembic_safe.operations.preconditions import COLLECTOR
from alembic_safe.plan import Plan, capture
from alembic_safe.project import describe_import_error
from alembic_safe.revisions import (
    Reversibility,
    irreversible_reason,
    parse_header,
    reversibility,
)

_GUARDED_COMMANDS = {"upgrade", "downgrade", "do_stamp"}
REHEARSAL = "alembic_safe.rehearsal"
"""``config.attributes[REHEARSAL] = True``: the run is a rehearsal on a scratch database
(:mod:`alembic_safe.rehearse`), so the guard takes no backup, asks for no confirmation and
writes no schema file; everything else (plan, refusals, checks, history) runs as usual."""
_LOCK_SQLSTATES = {"55P03": "lock timeout", "40P01": "deadlock"}
_STATEMENT_TIMEOUT = "57014"


def say(text_: str) -> None:
    msg(f"alembic-safe: {text_}")


def database_url(context: EnvironmentContext, explicit: str | None = None) -> str:
    """The URL to migrate: explicit, ``sqlalchemy.url``, then ``DATABASE_URL``."""
    url = (
        explicit
        or context.config.get_main_option("sqlalchemy.url")
        or os.environ.get("DATABASE_URL", "")
    )
    if not url:
        raise ConfigError(
            "No database URL: sqlalchemy.url is empty and DATABASE_URL is not set.",
            hint=(
                "Set DATABASE_URL=postgresql+psycopg://user@host/db in the environment "
                "(keeps the password out of files and command lines), or sqlalchemy.url "
                "in alembic.ini."
            ),
        )
    return url


def deploy_lock_key(version_table: str, schema: str | None) -> int:
    """A stable signed 64-bit advisory-lock key per version table."""
    digest = hashlib.sha256(f"alembic-safe:{schema or ''}.{version_table}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def run_migrations(
    context: EnvironmentContext | None = None,
    target_metadata: Any = None,
    *,
    connectable: Engine | Connection | None = None,
    url: str | None = None,
    **configure_kwargs: Any,
) -> None:
    """Run the migrations of the current Alembic command, guarded.

    Call it at the end of ``env.py`` in place of the ``if context.is_offline_mode(): ...``
    block; keyword arguments go to ``context.configure()`` unchanged::

        import alembic_safe
        alembic_safe.run_migrations(context, target_metadata)

    :param context: ``alembic.context`` (the default).
    :param target_metadata: the ``MetaData`` for autogenerate.
    :param connectable: an Engine or Connection to use instead of ``sqlalchemy.url``
     (``config.attributes["connection"]`` is honoured too).
    :param url: a database URL to use instead of ``sqlalchemy.url`` / ``DATABASE_URL``.
    """
    context = _environment(context)
    settings = load_settings(context.config, context.get_x_argument())
    configure_kwargs["target_metadata"] = target_metadata
    configure_kwargs = _exclude_history_table(configure_kwargs, settings.history_table)
    if context.is_offline_mode():
        OfflineScript(context, settings).run(url, configure_kwargs)
        return
    original_fn = context.context_opts.get("fn")
    name = getattr(original_fn, "__name__", "") if callable(original_fn) else ""
    connection = connectable or context.config.attributes.get("connection")
    with _connected(context, connection, url) as conn:
        if name in _GUARDED_COMMANDS and callable(original_fn):
            OnlineGuard(context, conn, settings, original_fn).run(configure_kwargs)
        else:  # current, check, revision --autogenerate, ...: nothing to guard
            if name == "retrieve_migrations":  # revision: write the safe forms
                from alembic_safe import rewrite

                configure_kwargs = rewrite.configure_kwargs(configure_kwargs, settings)
            context.configure(connection=conn, **configure_kwargs)
            with context.begin_transaction():
                context.run_migrations()


def _environment(context: Any) -> EnvironmentContext:
    """The EnvironmentContext behind ``alembic.context`` (a module-level proxy to it)."""
    if context is None:
        from alembic import context as alembic_context

        context = alembic_context
    if isinstance(context, EnvironmentContext):
        return context
    environment = getattr(context, "_proxy", None)
    if not isinstance(environment, EnvironmentContext):
        raise ConfigError(
            "alembic_safe.run_migrations() must be called from env.py while Alembic runs it.",
            hint="Call it as alembic_safe.run_migrations(context, target_metadata) in env.py.",
        )
    return environment


def _exclude_history_table(kwargs: dict[str, Any], table: str) -> dict[str, Any]:
    """Keep our history table out of autogenerate comparisons."""
    user_include = kwargs.get("include_object")

    def include_object(
        obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
    ) -> bool:
        if type_ == "table" and name == table:
            return False
        return user_include(obj, name, type_, reflected, compare_to) if user_include else True

    return {**kwargs, "include_object": include_object}


class _connected:
    """Context manager: a Connection from what the user gave, or from the URL."""

    def __init__(self, context: EnvironmentContext, given: Any, url: str | None) -> None:
        self.context = context
        self.given = given
        self.url = url
        self.engine: Engine | None = None
        self.connection: Connection | None = None

    def __enter__(self) -> Connection:
        if isinstance(self.given, Connection):
            return self.given
        if isinstance(self.given, Engine):
            self.engine = self.given
            shown = self.given.url.render_as_string(hide_password=True)
        else:
            raw = database_url(self.context, self.url)
            try:
                parsed = make_url(raw)
            except sa_exc.ArgumentError:
                raise ConfigError(
                    "The database URL cannot be parsed.",
                    hint="Write it as postgresql+psycopg://user@host:5432/dbname.",
                ) from None
            shown = parsed.render_as_string(hide_password=True)
            self.engine = create_engine(
                parsed,
                poolclass=pool.NullPool,
                connect_args={"application_name": "alembic-safe"},
            )
        try:
            self.connection = self.engine.connect()
        except sa_exc.DBAPIError as exc:
            raise connection_error(exc, shown, self.engine.url.password) from None
        return self.connection

    def __exit__(self, *exc_info: object) -> None:
        if self.connection is not None:
            self.connection.close()
        if self.engine is not None and not isinstance(self.given, Engine):
            self.engine.dispose()


def connection_error(exc: sa_exc.DBAPIError, shown_url: str, password: Any) -> DatabaseUnavailable:
    """A clear, password-free message for a failed connection."""
    reason = str(exc.orig).strip().splitlines()
    detail = " ".join(line.strip() for line in reason[:3]) or type(exc.orig).__name__
    if password:
        detail = detail.replace(str(password), "***")
    if "password authentication failed" in detail or "no password supplied" in detail:
        hint = "Check the user name and password (DATABASE_URL, ~/.pgpass or PGPASSWORD)."
    elif (
        "Connection refused" in detail
        or "could not translate host" in detail
        or "timeout" in detail
    ):
        hint = "Check that the server runs and that host and port are right."
    else:
        hint = "Check the URL and that the server accepts connections from here."
    return DatabaseUnavailable(
        f"Cannot connect to {shown_url}: {detail}",
        hint=hint + " Nothing was applied.",
    )


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a database error anywhere in the exception chain."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        orig = getattr(current, "orig", None)
        for candidate in (orig, current):
            code = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
            if code:
                return str(code)
        current = current.__cause__ or current.__context__
    return None


def _short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text_ = str(orig if orig is not None else exc).strip()
    return " ".join(text_.splitlines()[:2]) or type(exc).__name__


def _line_in(exc: BaseException, path: str) -> int | None:
    real = os.path.realpath(path)
    lineno = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.realpath(frame.filename) == real:
            lineno = frame.lineno
    return lineno


def _relpath(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


@dataclass
class Entry:
    """A pending revision of this run, with its plan and what the guard learned."""

    script: Script
    direction: str
    plan: Plan
    pre: list[Check]
    post: list[Check]
    reversible: Reversibility | None
    destructive: list[str] = field(default_factory=list)
    attempts: int = 0
    started_at: datetime | None = None

    @property
    def revision(self) -> str:
        return self.script.revision

    @property
    def parents(self) -> str | None:
        down = self.script.down_revision
        if down is None or isinstance(down, str):
            return down
        return ", ".join(down)

    @property
    def from_revision(self) -> str | None:
        return self.parents if self.direction == "upgrade" else self.revision

    @property
    def to_revision(self) -> str | None:
        return self.revision if self.direction == "upgrade" else self.parents

    @property
    def title(self) -> str:
        return parse_header(self.script.module.__doc__).title or "(no message)"

    def label(self) -> str:
        return f'{self.revision} "{self.title}" ({_relpath(self.plan.path)})'


def _entry(script: Script, is_upgrade: bool) -> Entry:
    direction = "upgrade" if is_upgrade else "downgrade"
    plan = capture(script, direction)
    reversible = None
    if is_upgrade:
        reversible = reversibility(script, plan, capture(script, "downgrade"))
    pre, post = derive.derive(plan)
    return Entry(script, direction, plan, pre, post, reversible)


def _matches(confirm: Iterable[str], revision: str) -> bool:
    for value in confirm:
        if value == revision or (len(value) >= 4 and revision.startswith(value)):
            return True
    return False


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
        self.entries: dict[str, Entry] = {}
        self.planned = False
        self.step_count = 0
        self.current: Entry | None = None
        self.backup_label: str | None = None
        self.lock_key = 0
        self.history: History | None = None
        self.attempt_plan = settings.lock_attempts()
        self.rehearsal = bool(context.config.attributes.get(REHEARSAL))

    # ------------------------------------------------------------------ the run
    def run(self, configure_kwargs: dict[str, Any]) -> None:
        kwargs = dict(configure_kwargs)
        kwargs.pop("transaction_per_migration", None)
        version_table = kwargs.get("version_table", "alembic_version")
        schema = kwargs.get("version_table_schema")
        self.lock_key = deploy_lock_key(version_table, schema)
        self.history = History(self.settings.history_table, schema)
        if self.connection.in_transaction():
            raise ConfigError(
                "The connection given to alembic_safe.run_migrations() is already inside a "
                "transaction, so each revision cannot get its own transaction.",
                hint="Pass a connection from engine.connect() (not engine.begin()) and commit "
                "or roll back what you ran on it before the migration.",
            )
        self._take_deploy_lock()
        if self.rehearsal:
            say("rehearsal: backups and confirmations are off on the scratch database")
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
            self._release_deploy_lock()

    def _write_schema_file(self) -> None:
        """``schema_file`` after a run that applied revisions (see :mod:`alembic_safe.schemafile`)."""
        if not self.settings.schema_file or not self.entries or self.rehearsal:
            return
        from alembic_safe import schemafile

        try:
            path = schemafile.write(self.context.config, self.settings, self.connection)
        except AlembicSafeError as exc:  # the revisions are committed; say so, do not fail
            say(f"warning: the schema file was not written: {exc.message}")
            return
        say(f"schema file {_relpath(str(path))} is up to date")

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

    # ------------------------------------------------------------------ deploy lock
    def _take_deploy_lock(self) -> None:
        deadline = time.monotonic() + self.settings.deploy_lock_wait
        announced = False
        while True:
            got = self.connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.lock_key}
            ).scalar()
            holder = None if got else _catalog.advisory_holder(self.connection, self.lock_key)
            self.connection.commit()
            if got:
                if announced:
                    say("migration lock acquired")
                return
            if not announced:
                who = holder.describe() if holder else "another session"
                say(f"waiting for the migration lock held by {who}")
                announced = True
            if time.monotonic() >= deadline:
                who = holder.describe() if holder else "another session"
                raise DeployLockTimeout(
                    "Another migration run holds the migration lock; waited "
                    f"{self.settings.deploy_lock_wait:.0f} s.",
                    context=[("Held by", who)],
                    hint="Nothing was applied. Let the other run finish, then run again "
                    "(raise deploy_lock_wait to wait longer).",
                )
            time.sleep(0.25)

    def _release_deploy_lock(self) -> None:
        try:
            self._rollback()
            self.connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.lock_key})
            self.connection.commit()
        except sa_exc.DBAPIError:
            pass  # the lock goes with the session anyway

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
            raise _load_failure(exc) from exc
        revision_steps = [s for s in raw if isinstance(s, RevisionStep)]
        if not self.planned:
            self.planned = True
            self.step_count = len(raw)
            for step in revision_steps:
                self.entries[step.revision.revision] = _entry(step.revision, step.is_upgrade)
            if self.entries:
                self._report_plan()
                self._resolve_live_type_changes(migration_context)
                self._refuse_unsafe()
                self.backup_label = (
                    "none (rehearsal)"
                    if self.rehearsal
                    else self.backup(list(self.entries.values()))
                )
        guarded: list[Any] = []
        for step in raw:
            if isinstance(step, RevisionStep):
                clone = copy.copy(step)
                clone.migration_fn = self._guarded(step)
                guarded.append(clone)
            else:
                guarded.append(step)
        return guarded

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

    def _resolve_live_type_changes(self, migration_context: MigrationContext) -> None:
        """Type changes whose old type the revision does not state: ask the catalog."""
        from alembic_safe import _types

        connection = migration_context.connection
        assert connection is not None
        for entry in self.entries.values():
            for step in entry.plan.steps:
                if step.destructive:
                    continue
                for change in step.type_changes:
                    if change.old_type is not None:
                        continue
                    old = _catalog.column_type(connection, change.table, change.column)
                    if old is None:
                        continue
                    kind, reason = _types.classify(old, change.new_type)
                    if kind is _types.TypeChange.NARROWING:
                        step.destructive = f'narrows "{change.table}"."{change.column}": {reason}'

    def _refuse_unsafe(self) -> None:
        problems: list[tuple[str, str]] = []
        unconfirmed: list[Entry] = []
        for entry in self.entries.values():
            lines = []
            if entry.plan.error and "cannot be imported" in entry.plan.error:
                lines.append(entry.plan.error)
            reversible = entry.reversible
            if reversible is not None and not reversible.ok:
                lines.append(
                    f"{reversible.problem}. Write a downgrade() that reverses upgrade(), or "
                    'declare it at module level: irreversible = "<why it cannot be reversed>"'
                )
            confirmed = self.rehearsal or _matches(self.settings.confirm, entry.revision)
            entry.destructive = [
                f"line {s.lineno or '?'} {s.name}: {s.destructive}"
                for s in entry.plan.destructive_steps
            ]
            reason = irreversible_reason(entry.script.module)
            if entry.direction == "downgrade" and reason:
                entry.destructive.insert(0, f"declares itself irreversible: {reason}")
            if entry.destructive and not confirmed:
                unconfirmed.append(entry)
            if lines:
                problems.append((entry.label(), "\n".join(lines)))
        if problems:
            raise UnsafeMigrationError(
                "alembic-safe refused to run; nothing was applied.",
                context=problems,
            )
        if unconfirmed and not self._confirm_interactively(unconfirmed):
            blocks = []
            target = self._target()
            for entry in unconfirmed:
                action = "upgrade" if entry.direction == "upgrade" else "downgrade"
                body = "\n".join(entry.destructive) + (
                    f"\nTo confirm: alembic -x confirm={entry.revision} {action} {target}"
                )
                blocks.append((entry.label(), body))
            raise UnsafeMigrationError(
                "alembic-safe refused to run destructive steps nobody confirmed; "
                "nothing was applied.",
                context=blocks,
                hint="Confirm each revision with -x confirm=<revision> (repeatable), or run "
                "on a terminal to be asked.",
            )
        for value in self.settings.confirm:
            if not any(_matches([value], rev) for rev in self.entries):
                say(f"warning: -x confirm={value} matches no pending revision")

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

    def _confirm_interactively(self, unconfirmed: list[Entry]) -> bool:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            return False
        for entry in unconfirmed:
            print(f"\nRevision {entry.label()} has destructive steps:")
            for line in entry.destructive:
                print(f"  {line}")
            answer = input(f"Type the revision id ({entry.revision}) to apply it anyway: ")
            if answer.strip() != entry.revision:
                print("Not confirmed.")
                return False
        return True

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
            from_revision=entry.from_revision,
            to_revision=entry.to_revision,
            direction=entry.direction,
            started_at=started,
            duration_ms=duration_ms,
            outcome=outcome,
            attempts=entry.attempts if attempts is None else attempts,
            backup=self.backup_label,
            message=message,
        )

    def backup(self, entries: list[Entry]) -> str | None:
        """Step 4, before the first change: back up and return a label for the history.

        A failure raises :class:`~alembic_safe.errors.BackupError`, so nothing is applied.
        """
        from alembic_safe import backup

        return backup.before_upgrade(self, entries)

    # ------------------------------------------------------------------ one revision
    def run_step(self, step: RevisionStep, original: Callable[..., Any], **kw: Any) -> None:
        entry = self.entries.get(step.revision.revision) or _entry(step.revision, step.is_upgrade)
        self.entries.setdefault(entry.revision, entry)
        self.current = entry
        entry.attempts += 1
        entry.started_at = datetime.now(timezone.utc)
        started = time.monotonic()
        migration_context = self.context.get_context()
        timeout = self.attempt_plan[min(entry.attempts, len(self.attempt_plan)) - 1][0]
        self._connection(migration_context).execute(
            text("SELECT set_config('lock_timeout', :value, true)"),
            {"value": format_duration(timeout)},
        )
        say(f"{entry.direction} {entry.label()}, attempt {entry.attempts}")
        pre = checks.unique(entry.pre + self._explicit(migration_context, entry, "preconditions"))
        failures = checks.evaluate(self._connection(migration_context), pre)
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
        post = checks.unique(entry.post + self._explicit(migration_context, entry, "verify"))
        failures = checks.evaluate(self._connection(migration_context), post)
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
            self._connection(migration_context),
            entry,
            "applied",
            started=entry.started_at,
            duration_ms=duration,
        )
        say(f"  {entry.direction} of {entry.revision} done in {duration} ms")
        self.current = None

    @staticmethod
    def _connection(migration_context: MigrationContext) -> Connection:
        connection = migration_context.connection
        assert connection is not None
        return connection

    def _explicit(
        self, migration_context: MigrationContext, entry: Entry, name: str
    ) -> list[Check]:
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
            line = _line_in(exc, entry.plan.path)
            where = f" at line {line}" if line else ""
            raise error(
                f"{name}() of revision {entry.label()} failed{where}: "
                f"{type(exc).__name__}: {_short(exc) or 'assertion failed'}",
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
        if entry is not None and state in _LOCK_SQLSTATES and not isinstance(exc, AlembicSafeError):
            if not entry.plan.has_non_transactional_steps and entry.attempts < len(
                self.attempt_plan
            ):
                timeout, delay = self.attempt_plan[entry.attempts - 1]
                say(
                    f"{_LOCK_SQLSTATES[state]} after {timeout:.1f} s in {entry.revision}; "
                    f"rolled back (attempt {entry.attempts} of {len(self.attempt_plan)})"
                )
                return delay
            error: AlembicSafeError = self._lock_exhausted(entry, exc, state)
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
            error = self._migration_error(entry, exc, state)
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

    def _lock_exhausted(
        self, entry: Entry, exc: BaseException, state: str | None
    ) -> AlembicSafeError:
        statement = getattr(exc, "statement", None) or ""
        from alembic_safe.sqlparse import parse

        tables = list(entry.plan.tables)
        for parsed in parse(statement) if statement else ():
            tables.extend(parsed.tables)
        try:
            sessions = _catalog.blockers(self.connection, dict.fromkeys(tables))
            self.connection.commit()
        except sa_exc.DBAPIError:
            sessions = []
        waited = sum(t for t, _ in self.attempt_plan[: entry.attempts])
        blocked_by = "\n".join(s.describe() for s in sessions) or (
            "no session holds a lock on those tables any more (it ended in the meantime)"
        )
        why = (
            "it has steps outside the transaction, whose statements retry lock timeouts "
            "themselves, so the revision is not retried as a whole"
            if entry.plan.has_non_transactional_steps
            else f"{entry.attempts} attempt(s), {waited:.1f} s of lock waits in total"
        )
        return LockTimeoutExhausted(
            f"Revision {entry.label()} could not take its locks ({_LOCK_SQLSTATES.get(state or '', 'lock timeout')}; "
            f"{why}). It was rolled back.",
            context=[
                ("Statement", " ".join(statement.split())[:300] or "(unknown)"),
                ("Blocked by", blocked_by),
            ],
            hint="End the blocking session (SELECT pg_terminate_backend(<pid>)) or wait for it "
            "to finish, then run again; lock_timeout_max and lock_retries allow longer waits.",
        )

    def _migration_error(
        self, entry: Entry, exc: BaseException, state: str | None
    ) -> AlembicSafeError:
        line = _line_in(exc, entry.plan.path)
        where = f" at line {line}" if line else ""
        if state == _STATEMENT_TIMEOUT:
            return MigrationFailed(
                f"Revision {entry.label()} was cancelled{where}: a statement ran longer than "
                f"statement_timeout ({format_duration(self.settings.statement_timeout)}). "
                "It was rolled back.",
                hint="Raise statement_timeout (-x statement_timeout=30min) if the statement is "
                "expected to be slow, or make it cheaper (batches, CONCURRENTLY).",
            )
        detail = _short(exc)
        return MigrationFailed(
            f"Revision {entry.label()} failed{where}: {type(exc).__name__}: {detail}. "
            "It was rolled back.",
            hint="Fix the revision and run again; rerun with --raiseerr for the traceback.",
        )

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


def _load_failure(exc: Exception) -> ProjectLoadError:
    path = getattr(exc, "filename", None)
    if not path:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if "/versions/" in frame.filename.replace(os.sep, "/"):
                path = frame.filename
                break
    from pathlib import Path

    where = f"{_relpath(path)}: " if path else ""
    reason = describe_import_error(exc, Path(path)) if path else f"{type(exc).__name__}: {exc}"
    return ProjectLoadError(
        f"A revision file cannot be loaded: {where}{reason}",
        hint="Fix the file (or its imports) and run again; nothing was applied.",
    )


# ---------------------------------------------------------------------- offline (--sql)


class OfflineScript:
    """Writes the seed's SQL script for ``alembic upgrade --sql`` / ``downgrade --sql``."""

    def __init__(self, context: EnvironmentContext, settings: Settings) -> None:
        self.context = context
        self.settings = settings
        self.original_fn = context.context_opts.get("fn")

    def run(self, url: str | None, configure_kwargs: dict[str, Any]) -> None:
        kwargs = dict(configure_kwargs)
        kwargs.pop("transaction_per_migration", None)
        kwargs.setdefault("literal_binds", True)
        target = (
            url
            or self.context.config.get_main_option("sqlalchemy.url")
            or os.environ.get("DATABASE_URL")
        )
        where: dict[str, Any] = {"url": target} if target else {"dialect_name": "postgresql"}
        self.context.configure(
            transaction_per_migration=True,
            fn=self.steps if self.original_fn else None,
            **where,
            **kwargs,
        )
        with self.context.begin_transaction():
            self.context.run_migrations()

    def steps(self, heads: Any, migration_context: MigrationContext) -> Iterator[Any]:
        assert self.original_fn is not None
        for step in self.original_fn(heads, migration_context):
            if not isinstance(step, RevisionStep):
                yield step
                continue
            entry = _entry(step.revision, step.is_upgrade)
            output = migration_context.impl.static_output
            output(render_header(entry))
            explicit, note = _collect_offline(migration_context, entry, "preconditions")
            if note:
                output(note)
            pre = entry.pre + explicit
            if pre:
                output(checks.render_do_block(pre, "Pre-migration validation"))
            yield step
            explicit, note = _collect_offline(migration_context, entry, "verify")
            if note:
                output(note)
            post = entry.post + explicit
            if post:
                output(checks.render_do_block(post, "Post-migration validation"))


def _collect_offline(
    migration_context: MigrationContext, entry: Entry, name: str
) -> tuple[list[Check], str | None]:
    if entry.direction != "upgrade":
        return [], None
    function = getattr(entry.script.module, name, None)
    if not callable(function):
        return [], None
    collected: list[Check] = []
    migration_context.opts[COLLECTOR] = collected
    try:
        function()
    except Exception as exc:  # e.g. it queries the database, which --sql cannot do
        return collected, f"-- {name}() needs a live database and is not rendered: {_short(exc)}"
    finally:
        migration_context.opts.pop(COLLECTOR, None)
    return [c.with_origin(f"{name}()") for c in collected], None


def render_header(entry: Entry) -> str:
    """The seed's header comments, from the revision's docstring."""
    module = entry.script.module
    header = parse_header(module.__doc__)
    longdoc = module.__doc__ or ""
    created = next(
        (
            line.split(":", 1)[1].strip()
            for line in longdoc.splitlines()
            if line.strip().startswith("Create Date:")
        ),
        "",
    )
    kind = "Migration" if entry.direction == "upgrade" else "Rollback Migration"
    lines = [f"-- {kind}: {header.title or entry.revision}"]
    down = entry.script.down_revision
    parents = ", ".join(down) if isinstance(down, tuple) else (down or "base")
    lines.append(f"-- Revision: {entry.revision} (revises {parents})")
    for label, key in (("Author", "author"), ("Ticket/Issue", "ticket")):
        if header.get(key):
            lines.append(f"-- {label}: {header.get(key)}")
    if created:
        lines.append(f"-- Date: {created}")
    if entry.direction == "upgrade":
        for label, key in (("Impact", "impact"), ("Risks", "risks")):
            for i, line in enumerate(header.get(key).splitlines()):
                lines.append(f"-- {label}: {line}" if i == 0 else f"--   {line}")
    irreversible = getattr(module, "irreversible", None)
    if isinstance(irreversible, str) and irreversible.strip():
        lines.append(f"-- Irreversible: {irreversible.strip()}")
    for step in entry.plan.destructive_steps:
        lines.append(f"-- DESTRUCTIVE (line {step.lineno or '?'}): {step.destructive}")
    if not entry.plan.complete:
        lines.append(f"-- NOTE: {entry.plan.status()}")
    lines.append(f"-- File: {_relpath(entry.plan.path)}")
    return "\n".join(lines)
