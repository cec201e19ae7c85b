"""Taking the locks a migration step needs without parking the application behind it.

PostgreSQL grants table locks in queue order.  A DDL statement that waits for ACCESS
EXCLUSIVE behind a transaction that read the table makes every later query on the table
wait behind the DDL, for as long as the DDL waits; ``lock_timeout`` only bounds that stall
to the timeout, at every attempt.  This module never joins the queue while someone blocks:

1. :func:`find_blockers` reads ``pg_locks`` and ``pg_stat_activity`` for sessions that
   hold, or wait for, a lock that conflicts (PostgreSQL's conflict table, :data:`CONFLICTS`)
   with the mode a step needs on one of its relations;
2. while there are any, :func:`wait_for_clearance` waits *outside* the queue (it polls),
   reporting who blocks (pid, role, application, query, transaction age), for at most
   ``lock_wait_budget``.  Optionally (``lock_wait_cancel_after``, off by default) it
   cancels blocking queries whose transaction is older than that; sessions idle in a
   transaction are terminated only with ``lock_wait_terminate_idle``, and sessions of
   other roles are left alone unless ``lock_wait_cancel_any_role``;
3. then it requests the locks, ``LOCK TABLE ... IN <mode> MODE`` in a savepoint under a
   ``lock_timeout`` of ``lock_attempt_timeout`` (tens of milliseconds: the longest the
   application can queue behind the request); a timeout rolls back to the savepoint and
   starts again at 1;
4. budget spent: :class:`~alembic_safe.errors.LockTimeoutExhausted` names the blockers, and
   the caller rolls back, so nothing of the step is applied.

Only modes that conflict with the application's own (ACCESS SHARE of reads, ROW SHARE of
``SELECT ... FOR UPDATE``, ROW EXCLUSIVE of writes) go through this: SHARE, SHARE ROW
EXCLUSIVE, EXCLUSIVE and ACCESS EXCLUSIVE.  A weaker request (SHARE UPDATE EXCLUSIVE, taken by
``CONCURRENTLY`` and ``VALIDATE``) queues no reader or writer behind it.

Entry points:

* :func:`acquire`: inside the connection's current transaction, e.g. at the start of each
  transaction segment of a revision, with the locks of the segment's planned statements;
* :func:`run_locked`: one statement in a transaction of its own, its locks taken first
  (the safe operations' statements, statements of an ``autocommit_block()``);
* :class:`LockGate`: listeners on a migration connection that give every statement the same
  treatment, the planned segments' locks up front and unforeseen statements one by one.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from alembic_safe.capture.sqlparse import (
    ACCESS_EXCLUSIVE,
    ACCESS_SHARE,
    EXCLUSIVE,
    LOCK_ORDER,
    ROW_EXCLUSIVE,
    ROW_SHARE,
    SHARE,
    SHARE_ROW_EXCLUSIVE,
    SHARE_UPDATE_EXCLUSIVE,
    parse,
)
from alembic_safe.checks import literal
from alembic_safe.config import Settings, format_duration
from alembic_safe.errors import LockTimeoutExhausted
from alembic_safe.pg.catalog import format_age, regclass_text
from alembic_safe.pg.connection import LOCK_SQLSTATES, sqlstate

log = logging.getLogger("alembic_safe.lockwait")

Report = Callable[[str], None]

CONFLICTS: dict[str, frozenset[str]] = {
    ACCESS_SHARE: frozenset({ACCESS_EXCLUSIVE}),
    ROW_SHARE: frozenset({EXCLUSIVE, ACCESS_EXCLUSIVE}),
    ROW_EXCLUSIVE: frozenset({SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE}),
    SHARE_UPDATE_EXCLUSIVE: frozenset(
        {SHARE_UPDATE_EXCLUSIVE, SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE}
    ),
    SHARE: frozenset(
        {ROW_EXCLUSIVE, SHARE_UPDATE_EXCLUSIVE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE}
    ),
    SHARE_ROW_EXCLUSIVE: frozenset(
        {ROW_EXCLUSIVE, SHARE_UPDATE_EXCLUSIVE, SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE}
        | {ACCESS_EXCLUSIVE}
    ),
    EXCLUSIVE: frozenset(set(LOCK_ORDER) - {ACCESS_SHARE}),
    ACCESS_EXCLUSIVE: frozenset(LOCK_ORDER),
}
"""Requested mode -> the modes it conflicts with ("Conflicting Lock Modes", PostgreSQL docs)."""

APPLICATION_MODES = (ACCESS_SHARE, ROW_SHARE, ROW_EXCLUSIVE)
"""What an application's SELECT, SELECT FOR UPDATE/SHARE and INSERT/UPDATE/DELETE take."""

_PG_MODE_NAMES = {mode.title().replace(" ", "") + "Lock": mode for mode in LOCK_ORDER}
"""``AccessExclusiveLock`` (pg_locks.mode) -> ``ACCESS EXCLUSIVE``."""

POLL = 0.05
"""Seconds between two looks at pg_locks while blockers are there."""
REMIND_EVERY = 10.0
"""Seconds between two reports of the same wait."""


def conflicts(requested: str, held: str) -> bool:
    """Whether a request for ``requested`` has to wait for a lock ``held`` by another session."""
    return held in CONFLICTS[requested]


def blocks_application(mode: str) -> bool:
    """Whether a request for ``mode`` waits for (and, queued, holds up) reads or writes."""
    return any(conflicts(mode, app) for app in APPLICATION_MODES)


def covers(held: str, wanted: str) -> bool:
    """Holding ``held`` already excludes everything ``wanted`` would."""
    return CONFLICTS[held] >= CONFLICTS[wanted]


def combined(a: str, b: str) -> str:
    """The weakest mode that covers both (SHARE and SHARE UPDATE EXCLUSIVE -> SHARE ROW EXCLUSIVE)."""
    for mode in LOCK_ORDER:
        if covers(mode, a) and covers(mode, b):
            return mode
    return ACCESS_EXCLUSIVE


@dataclass(frozen=True, order=True)
class LockRequest:
    """A table lock a step needs: the relation as written (``users``, ``app.users``) and the mode."""

    relation: str
    mode: str


def merge(requests: Iterable[LockRequest]) -> list[LockRequest]:
    """One request per relation (the mode covering all asked for it), in relation order."""
    modes: dict[str, str] = {}
    for request in requests:
        current = modes.get(request.relation)
        modes[request.relation] = (
            request.mode if current is None else combined(current, request.mode)
        )
    return sorted(LockRequest(relation, mode) for relation, mode in modes.items())


def requests_for(sql: str) -> list[LockRequest]:
    """The table locks the statements of ``sql`` take that hold up the application."""
    wanted: list[LockRequest] = []
    for statement in parse(sql):
        if statement.lock is None or not blocks_application(statement.lock):
            continue
        wanted.extend(LockRequest(table, statement.lock) for table in statement.tables if table)
    return merge(wanted)


# --------------------------------------------------------------------------- SQL


Execute = Callable[[str], list[tuple[Any, ...]]]


def executor(connection: Connection) -> Execute:
    """Statements on the connection's DBAPI connection, bypassing SQLAlchemy's events.

    Inside a transaction SQLAlchemy began, they run in that transaction; on an
    ``AUTOCOMMIT`` connection each commits on its own unless a ``BEGIN`` opened one.
    """
    raw = connection.connection.dbapi_connection
    assert raw is not None
    dbapi_error: type[Exception] = connection.dialect.loaded_dbapi.Error

    def execute(sql: str) -> list[tuple[Any, ...]]:
        cursor = raw.cursor()
        try:
            cursor.execute(sql)
            return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
        except dbapi_error as exc:  # the same error type as SQLAlchemy's own executions
            raise sa_exc.DBAPIError.instance(sql, None, exc, dbapi_error) from exc
        finally:
            cursor.close()

    return execute


@dataclass(frozen=True)
class Target:
    """A resolved request: the table to ``LOCK`` (an index's table for an index)."""

    oid: int
    name: str
    """``oid::regclass::text``: quoted as needed, schema-qualified when off the search_path."""
    mode: str
    requested: str
    """The relation as the step names it."""

    def lock_sql(self) -> str:
        return f"LOCK TABLE {self.name} IN {self.mode} MODE"


def resolve(execute: Execute, requests: Sequence[LockRequest]) -> list[Target]:
    """Tables to lock for ``requests``: indexes become their tables, missing relations drop out,
    and so do requests this session already holds a covering lock for."""
    wanted = [r for r in merge(requests) if blocks_application(r.mode)]
    if not wanted:
        return []
    values = ", ".join(
        f"({index}, to_regclass({literal(regclass_text(r.relation))}))"
        for index, r in enumerate(wanted)
    )
    rows = execute(
        "SELECT w.i, t.oid::bigint, t.oid::regclass::text,"
        " ARRAY(SELECT l.mode FROM pg_catalog.pg_locks l WHERE l.locktype = 'relation'"
        "  AND l.relation = t.oid AND l.pid = pg_backend_pid() AND l.granted)"
        f" FROM (VALUES {values}) AS w(i, rel)"
        " JOIN pg_catalog.pg_class c ON c.oid = w.rel"
        " LEFT JOIN pg_catalog.pg_index x ON x.indexrelid = c.oid"
        " JOIN pg_catalog.pg_class t ON t.oid = COALESCE(x.indrelid, c.oid)"
        " WHERE t.relkind IN ('r', 'p', 'v', 'm', 'f')"
        " ORDER BY w.i"
    )
    targets: dict[int, Target] = {}
    for index, oid, name, held in rows:
        request = wanted[int(index)]
        own = [_PG_MODE_NAMES[m] for m in held or () if m in _PG_MODE_NAMES]
        if any(covers(mode, request.mode) for mode in own):
            continue
        known = targets.get(int(oid))
        mode = request.mode if known is None else combined(known.mode, request.mode)
        targets[int(oid)] = Target(int(oid), str(name), mode, request.relation)
    return sorted(targets.values(), key=lambda t: t.name)


# --------------------------------------------------------------------------- blockers


@dataclass(frozen=True)
class Blocker:
    """A session holding or waiting for a lock that conflicts with one we need."""

    pid: int | None
    user: str | None
    application: str | None
    state: str | None
    query: str | None
    transaction_age: timedelta | None
    query_age: timedelta | None
    relation: str
    mode: str
    granted: bool
    backend_type: str | None = None
    same_role: bool = False
    virtual_transaction: str | None = None

    @property
    def autovacuum(self) -> bool:
        """A plain autovacuum (not one preventing wraparound), which PostgreSQL itself cancels."""
        return self.backend_type == "autovacuum worker" and "wraparound" not in (self.query or "")

    def describe(self) -> str:
        if self.pid is None:
            who = f"a prepared transaction ({self.virtual_transaction})"
        else:
            details = ", ".join(
                part
                for part in (
                    f"user {self.user}" if self.user else "",
                    f'application "{self.application}"' if self.application else "",
                    "autovacuum" if self.autovacuum else "",
                )
                if part
            )
            who = f"pid {self.pid}" + (f" ({details})" if details else "")
        held = "holds" if self.granted else "waits for"
        parts = [f"{who} {held} {self.mode} on {self.relation}"]
        if self.state:
            parts.append(f"{self.state} for {format_age(self.query_age)}")
        if self.transaction_age is not None:
            parts.append(f"in a transaction open for {format_age(self.transaction_age)}")
        query = " ".join((self.query or "").split())
        if len(query) > 200:
            query = query[:197] + "..."
        return ", ".join(parts) + (f"; query: {query}" if query else "")


def find_blockers(execute: Execute, targets: Sequence[Target]) -> list[Blocker]:
    """Other sessions that hold or wait for a lock conflicting with ``targets``.

    A session waiting only because of us (we hold what it waits for) is not a blocker.
    """
    if not targets:
        return []
    oids = ", ".join(str(t.oid) for t in targets)
    rows = execute(
        "SELECT l.pid, a.usename, a.application_name, a.state, a.query,"
        " clock_timestamp() - a.xact_start, clock_timestamp() - a.state_change,"
        " l.relation::regclass::text, l.relation::bigint, l.mode, l.granted, a.backend_type,"
        " a.usename = current_user, l.virtualtransaction"
        " FROM pg_catalog.pg_locks l"
        " LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'relation'"
        " AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())"
        f" AND l.relation IN ({oids})"
        " AND l.pid IS DISTINCT FROM pg_backend_pid()"
        " AND CASE WHEN l.granted OR l.pid IS NULL THEN true"
        "  ELSE NOT (pg_backend_pid() = ANY (pg_blocking_pids(l.pid))) END"
        " ORDER BY a.xact_start NULLS FIRST, l.pid"
    )
    modes = {t.oid: t.mode for t in targets}
    found = []
    for row in rows:
        (pid, user, app, state, query, xact_age, state_age, relation, oid, mode, granted, btype,
         same_role, vxid) = row  # fmt: skip
        held = _PG_MODE_NAMES.get(str(mode))
        if held is None or not conflicts(modes[int(oid)], held):
            continue
        found.append(
            Blocker(
                pid=None if pid is None else int(pid),
                user=user,
                application=app or None,
                state=state,
                query=query,
                transaction_age=xact_age,
                query_age=state_age,
                relation=str(relation),
                mode=held,
                granted=bool(granted),
                backend_type=btype,
                same_role=bool(same_role),
                virtual_transaction=vxid,
            )
        )
    return found


def _describe_all(blockers: Sequence[Blocker]) -> str:
    return "\n".join(b.describe() for b in blockers)


@contextlib.contextmanager
def _savepoint(execute: Execute, name: str, active: bool) -> Iterator[None]:
    """A savepoint around the block when inside a transaction (an error then aborts nothing)."""
    if not active:
        yield
        return
    execute(f"SAVEPOINT {name}")
    try:
        yield
    except Exception:
        execute(f"ROLLBACK TO SAVEPOINT {name}")
        execute(f"RELEASE SAVEPOINT {name}")
        raise
    execute(f"RELEASE SAVEPOINT {name}")


def _end_sessions(
    execute: Execute,
    blockers: Sequence[Blocker],
    *,
    settings: Settings,
    waited: float,
    in_transaction: bool,
    report: Report,
    done: set[int],
) -> None:
    """Cancel (or terminate) the blockers the settings allow us to; report what was done."""
    limit = settings.lock_wait_cancel_after
    for blocker in blockers:
        pid = blocker.pid
        if pid is None or pid in done:
            continue
        action = None
        if blocker.autovacuum and waited >= 1.0:
            action = "pg_cancel_backend"  # what PostgreSQL does for a waiter after deadlock_timeout
        elif limit > 0 and (blocker.same_role or settings.lock_wait_cancel_any_role):
            age = blocker.transaction_age.total_seconds() if blocker.transaction_age else 0.0
            if age < limit:
                continue
            if blocker.state == "active":
                action = "pg_cancel_backend"
            elif (blocker.state or "").startswith("idle in transaction"):
                action = "pg_terminate_backend" if settings.lock_wait_terminate_idle else None
        if action is None:
            continue
        done.add(pid)
        verb = "cancelled the query of" if action == "pg_cancel_backend" else "terminated"
        try:
            with _savepoint(execute, "alembic_safe_signal", in_transaction):
                execute(f"SELECT pg_catalog.{action}({pid})")
        except Exception as exc:  # no permission: keep waiting, say why
            report(
                f"could not {action.removeprefix('pg_').replace('_backend', '')} pid {pid}: {_first_line(exc)}"
            )
            continue
        report(f"{verb} {blocker.describe()}")


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def wait_for_clearance(
    execute: Execute,
    targets: Sequence[Target],
    *,
    deadline: float,
    settings: Settings,
    in_transaction: bool,
    report: Report,
    what: str,
) -> float:
    """Wait, outside the lock queue, until no session blocks ``targets``; return the seconds waited.

    :raises LockTimeoutExhausted: ``deadline`` (``time.monotonic()``) passed with blockers left.
    """
    started = time.monotonic()
    announced: tuple[int | None, ...] | None = None
    reminded = started
    ended: set[int] = set()
    while True:
        blockers = find_blockers(execute, targets)
        if not blockers:
            waited = time.monotonic() - started
            if announced is not None:
                report(f"{what}: the blocking sessions are gone after {waited:.1f} s")
            return waited
        now = time.monotonic()
        if now >= deadline:
            raise exhausted(targets, blockers, what, settings)
        pids = tuple(sorted({b.pid for b in blockers}, key=lambda p: -1 if p is None else p))
        if pids != announced or now - reminded >= REMIND_EVERY:
            waited = now - started
            report(
                f"{what}: waiting outside the lock queue ({waited:.1f} s of "
                f"{settings.lock_wait_budget:g} s) for {len(pids)} session(s):\n  "
                + "\n  ".join(b.describe() for b in blockers)
            )
            announced, reminded = pids, now
        _end_sessions(
            execute,
            blockers,
            settings=settings,
            waited=now - started,
            in_transaction=in_transaction,
            report=report,
            done=ended,
        )
        time.sleep(min(POLL, max(0.0, deadline - time.monotonic())))


def exhausted(
    targets: Sequence[Target], blockers: Sequence[Blocker], what: str, settings: Settings
) -> LockTimeoutExhausted:
    wanted = ", ".join(f'{t.mode} on "{t.name}"' for t in targets)
    return LockTimeoutExhausted(
        f"{what}: could not take {wanted} within lock_wait_budget "
        f"({settings.lock_wait_budget:g} s): the sessions below kept a conflicting lock. "
        "The lock was never requested while they held it, so reads and writes were not "
        "queued behind the migration; the step was rolled back.",
        context=[("Blocked by", _describe_all(blockers) or "(they ended just now)")],
        hint="End the blocking session (SELECT pg_terminate_backend(<pid>)) or let it finish, "
        "then run the migration again. lock_wait_budget allows a longer wait; "
        "lock_wait_cancel_after cancels blocking queries older than a limit.",
    )


# --------------------------------------------------------------------------- acquiring


def _try_lock(execute: Execute, targets: Sequence[Target], timeout: float) -> bool:
    """One attempt, in a savepoint: True with every lock held, False after a lock timeout."""
    previous = execute("SELECT current_setting('lock_timeout')")[0][0]
    execute("SAVEPOINT alembic_safe_lock")
    try:
        execute(f"SELECT set_config('lock_timeout', {literal(format_duration(timeout))}, true)")
        for target in targets:
            execute(target.lock_sql())
    except Exception as exc:
        execute("ROLLBACK TO SAVEPOINT alembic_safe_lock")
        execute("RELEASE SAVEPOINT alembic_safe_lock")
        if sqlstate(exc) in LOCK_SQLSTATES:
            return False
        raise
    execute("RELEASE SAVEPOINT alembic_safe_lock")
    execute(f"SELECT set_config('lock_timeout', {literal(str(previous))}, true)")
    return True


@dataclass
class Acquired:
    """What an acquisition took: the tables, the attempts, the seconds spent waiting."""

    targets: list[Target] = field(default_factory=list)
    attempts: int = 0
    waited: float = 0.0


class LockOrderConflict(LockTimeoutExhausted):
    """A lock was blocked while the transaction already held locks that block the application.

    Waiting then would stall the tables already locked, so the wait is bounded by
    ``lock_timeout`` and this error is raised instead: roll the transaction back and take
    :attr:`requests` up front (with the others) when the transaction starts again.
    """

    def __init__(self, message: str, *, requests: Sequence[LockRequest], **kw: Any) -> None:
        super().__init__(message, **kw)
        self.requests = list(requests)


def held_blocking(execute: Execute, excluding: Iterable[int] = ()) -> list[str]:
    """Tables this session holds a lock on that blocks the application (other than ``excluding``)."""
    skip = {int(oid) for oid in excluding}
    rows = execute(
        "SELECT l.relation::bigint, l.relation::regclass::text, l.mode FROM pg_catalog.pg_locks l"
        " WHERE l.locktype = 'relation' AND l.pid = pg_backend_pid() AND l.granted"
        " AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())"
    )
    names = []
    for oid, name, mode in rows:
        held = _PG_MODE_NAMES.get(str(mode))
        if held and blocks_application(held) and int(oid) not in skip:
            names.append(str(name))
    return sorted(set(names))


def acquire(
    connection: Connection,
    requests: Sequence[LockRequest],
    settings: Settings,
    *,
    report: Report | None = None,
    what: str = "lock",
) -> Acquired:
    """Take ``requests`` in the connection's current transaction without joining the queue.

    Waits (outside the queue) until no other session holds or waits for a conflicting lock,
    then locks with a ``lock_attempt_timeout`` per attempt, in a savepoint, and starts over
    after a timeout.  Requests that do not block the application, or that this transaction
    already holds, are skipped.  The transaction's own ``lock_timeout`` is put back.

    When the transaction already holds locks that block the application on other tables,
    waiting would stall those: the wait is then bounded by ``lock_timeout`` and ends in
    :class:`LockOrderConflict` (take these locks up front next time).

    :raises LockTimeoutExhausted: ``lock_wait_budget`` passed; the transaction is as it was
     before the call (roll it back: nothing of the step ran).
    """
    execute = executor(connection)
    return _acquire(execute, requests, settings, report or log.warning, what)


def _acquire(
    execute: Execute,
    requests: Sequence[LockRequest],
    settings: Settings,
    report: Report,
    what: str,
) -> Acquired:
    targets = resolve(execute, requests)
    result = Acquired(targets)
    if not targets:
        return result
    holding = held_blocking(execute, (t.oid for t in targets))
    budget = (
        min(settings.lock_timeout, settings.lock_wait_budget)
        if holding
        else settings.lock_wait_budget
    )
    deadline = time.monotonic() + budget
    while True:
        try:
            result.waited += wait_for_clearance(
                execute,
                targets,
                deadline=deadline,
                settings=settings,
                in_transaction=True,
                report=report,
                what=what,
            )
        except LockTimeoutExhausted as exc:
            if holding:
                raise _order_conflict(targets, holding, exc, requests) from None
            raise
        result.attempts += 1
        if _try_lock(execute, targets, settings.lock_attempt_timeout):
            if result.attempts > 1:
                log.info("%s: locked after %d attempts", what, result.attempts)
            return result
        if time.monotonic() >= deadline:
            error = exhausted(targets, find_blockers(execute, targets), what, settings)
            if holding:
                raise _order_conflict(targets, holding, error, requests)
            raise error
        time.sleep(random.uniform(0, settings.lock_attempt_timeout))


def _order_conflict(
    targets: Sequence[Target],
    holding: Sequence[str],
    cause: LockTimeoutExhausted,
    requests: Sequence[LockRequest],
) -> LockOrderConflict:
    wanted = ", ".join(f'{t.mode} on "{t.name}"' for t in targets)
    held = ", ".join(f'"{name}"' for name in holding)
    return LockOrderConflict(
        f"Could not take {wanted} while this transaction holds locks on {held} that block "
        "the application: waiting would stall those tables, so the transaction must take "
        "all of its locks up front.",
        context=cause.context,
        hint="Run the revision again (the guard does so with these locks taken first), or "
        "give the statements on each table a revision of their own.",
        requests=requests,
    )


def run_locked(
    connection: Connection,
    sql: str,
    settings: Settings,
    *,
    requests: Sequence[LockRequest] | None = None,
    report: Report | None = None,
    what: str = "statement",
) -> tuple[Any, ...] | None:
    """Run one statement in a transaction of its own, its locks taken first; return its first row.

    For a connection in autocommit mode (``autocommit_block()``, the safe operations).
    The wait for blockers happens before the transaction begins, so the migration holds
    nothing meanwhile; then ``BEGIN``, the locks (``lock_attempt_timeout`` each), the
    statement (still under that ``lock_timeout``: a lock nobody foresaw fails fast instead
    of queueing), ``COMMIT``.  A lock timeout rolls back and starts over, within
    ``lock_wait_budget``.
    """
    execute = executor(connection)
    report = report or log.warning
    wanted = requests_for(sql) if requests is None else list(requests)
    deadline = time.monotonic() + settings.lock_wait_budget
    attempts = 0
    targets = resolve(execute, wanted)
    while True:
        wait_for_clearance(
            execute,
            targets,
            deadline=deadline,
            settings=settings,
            in_transaction=False,
            report=report,
            what=what,
        )
        attempts += 1
        execute("BEGIN")
        try:
            execute(
                "SELECT set_config('lock_timeout', "
                f"{literal(format_duration(settings.lock_attempt_timeout))}, true)"
            )
            for target in targets:
                execute(target.lock_sql())
            rows = execute(sql)
            execute("COMMIT")
        except Exception as exc:
            execute("ROLLBACK")
            if sqlstate(exc) not in LOCK_SQLSTATES:
                raise
            if time.monotonic() >= deadline:
                raise exhausted(targets, find_blockers(execute, targets), what, settings) from exc
            log.debug(
                "%s: %s on attempt %d; trying again",
                what,
                LOCK_SQLSTATES[sqlstate(exc) or ""],
                attempts,
            )
            time.sleep(random.uniform(0, settings.lock_attempt_timeout))
            continue
        if attempts > 1:
            log.info("%s: done after %d attempts", what, attempts)
        return rows[0] if rows else None


# --------------------------------------------------------------------------- every statement


def normal(sql: str) -> str:
    """Statement text compared between the plan and the run: whitespace and ``;`` folded."""
    return " ".join(sql.split()).rstrip(";").strip()


@dataclass(frozen=True)
class Segment:
    """The statements of a revision that run in one transaction, and the locks they need.

    :attr:`trigger` is the first of them that needs a lock blocking the application: when it
    is about to run, the whole segment's :attr:`requests` are taken first.
    """

    trigger: str
    requests: tuple[LockRequest, ...]


def segments(plan: Any) -> list[Segment]:
    """The transaction segments of a :class:`~alembic_safe.capture.plan.Plan`, split where a step runs
    outside the transaction (``CONCURRENTLY``, ``autocommit_block()``)."""
    result: list[Segment] = []
    trigger: str | None = None
    wanted: list[LockRequest] = []

    def close() -> None:
        nonlocal trigger, wanted
        if trigger is not None and wanted:
            result.append(Segment(trigger, tuple(merge(wanted))))
        trigger, wanted = None, []

    for step in plan.steps:
        if not step.in_transaction or not step.transactional:
            close()
            continue
        for statement in step.statements:
            if statement.transaction_control:
                close()
                continue
            found = requests_for(statement.text)
            if found and trigger is None:
                trigger = normal(statement.text)
            wanted.extend(found)
    close()
    return result


_IN_GATE = "alembic_safe.lockwait.autocommit_transaction"


class LockGate:
    """Gives every statement of a migration connection the lock treatment of :func:`acquire`.

    ``with LockGate(connection, settings) as gate:`` listens to the connection's
    ``before_cursor_execute`` (and ``after_cursor_execute`` / ``handle_error``) events:

    * inside a transaction, a statement that needs locks blocking the application gets them
      first through :func:`acquire` (savepoint, outside-the-queue wait, short attempts);
      when it is the :attr:`Segment.trigger` of a segment given to :meth:`expect`, the whole
      segment's locks are taken at that moment, while the transaction holds none yet;
    * in autocommit mode (``autocommit_block()``), such a statement is wrapped in a
      transaction of its own: wait, ``BEGIN``, locks, the statement, ``COMMIT``
      (``ROLLBACK`` on error), so each step of a mixed revision is covered on its own;
    * statements that need no such lock (reads, DML, ``CONCURRENTLY``, ``VALIDATE``) pass.

    A statement blocked while the transaction already holds locks elsewhere raises
    :class:`LockOrderConflict`; :meth:`expect` with its ``requests`` added to the segment
    makes the next run of the transaction take them up front.
    """

    def __init__(
        self, connection: Connection, settings: Settings, *, report: Report | None = None
    ) -> None:
        self.connection = connection
        self.settings = settings
        self.report = report or log.warning
        self.triggers: dict[str, tuple[LockRequest, ...]] = {}
        self.acquired: list[Acquired] = []
        self.commits = 0
        """Transactions committed since :meth:`expect`: 0 means a failure leaves nothing
        of the revision behind, so it can be retried as a whole."""

    def expect(self, planned: Iterable[Segment], extra: Iterable[LockRequest] = ()) -> None:
        """The segments of the revision about to run (``extra`` joins its first segment)."""
        self.triggers = {}
        self.commits = 0
        more = list(extra)
        for segment in planned:
            self.triggers[segment.trigger] = tuple(merge([*segment.requests, *more]))
            more = []

    def __enter__(self) -> LockGate:
        event.listen(self.connection, "before_cursor_execute", self._before)
        event.listen(self.connection, "after_cursor_execute", self._after)
        event.listen(self.connection, "commit", self._commit)
        event.listen(self.connection.engine, "handle_error", self._error)  # per engine only
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.connection, "before_cursor_execute", self._before)
        event.remove(self.connection, "after_cursor_execute", self._after)
        event.remove(self.connection, "commit", self._commit)
        event.remove(self.connection.engine, "handle_error", self._error)

    def _autocommit(self, conn: Connection) -> bool:
        return conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT"

    def _before(self, conn: Connection, cursor: Any, statement: str, *_: Any) -> None:
        requests = requests_for(statement)
        if not requests:
            return
        execute = executor(conn)
        what = statement.split(None, 3)[:3]
        label = " ".join(what) if what else "statement"
        if self._autocommit(conn):
            if not all(s.transactional for s in parse(statement)):
                return
            self._begin_locked(execute, requests, label)
            conn.info[_IN_GATE] = True
            return
        planned = self.triggers.pop(normal(statement), ())
        self.acquired.append(
            _acquire(execute, merge([*planned, *requests]), self.settings, self.report, label)
        )

    def _begin_locked(self, execute: Execute, requests: Sequence[LockRequest], what: str) -> None:
        targets = resolve(execute, requests)
        deadline = time.monotonic() + self.settings.lock_wait_budget
        while True:
            wait_for_clearance(
                execute,
                targets,
                deadline=deadline,
                settings=self.settings,
                in_transaction=False,
                report=self.report,
                what=what,
            )
            execute("BEGIN")
            if _try_lock(execute, targets, self.settings.lock_attempt_timeout):
                return
            execute("ROLLBACK")
            if time.monotonic() >= deadline:
                raise exhausted(targets, find_blockers(execute, targets), what, self.settings)
            time.sleep(random.uniform(0, self.settings.lock_attempt_timeout))

    def _commit(self, conn: Connection) -> None:
        self.commits += 1

    def _after(self, conn: Connection, *_: Any) -> None:
        if conn.info.pop(_IN_GATE, False):
            executor(conn)("COMMIT")
            self.commits += 1

    def _error(self, context: Any) -> None:
        conn = context.connection
        if conn is self.connection and conn.info.pop(_IN_GATE, False):
            with contextlib.suppress(Exception):
                executor(conn)("ROLLBACK")
