"""Lock and rewrite tracing of the statements a revision really executes.

:class:`Tracer` listens to SQLAlchemy's ``before_cursor_execute`` / ``after_cursor_execute``
/ ``handle_error`` / ``commit`` / ``rollback`` events on the :class:`~sqlalchemy.engine.Engine`
class, so the engine the project's own ``env.py`` creates is traced too.  Per statement it
records the text, the line of the revision file it came from (the innermost frame of that
file on the stack), the duration and the rows touched, and then:

* inside a transaction, it asks the same connection (so it sees the transaction's own
  catalog changes) which relation locks its backend holds (``pg_locks``) and what each
  table's ``relfilenode`` is now: a new lock since the previous statement of the
  transaction is that statement's, and a changed ``relfilenode`` means the statement
  rewrote the table.  Locks are held until the transaction ends, so a lock's time is
  from the statement that took it to the commit or rollback;
* outside a transaction (``CONCURRENTLY`` in an ``autocommit_block``), the locks are gone
  when the statement returns, so a sampling connection polls ``pg_locks`` for that backend
  every few milliseconds while the statement runs.

Statements from elsewhere (Alembic's version table, ``env.py``, the guard's checks) are not
recorded, unless they fail.  Only relations that existed before the revision are reported
(nobody else can see what the revision creates until it commits), without the version and
history tables.  Lock tracing needs the psycopg driver; with another driver the statements
are still recorded.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from alembic_safe.analysis.impact import BLOCKING_LOCKS
from alembic_safe.capture.sqlparse import ACCESS_EXCLUSIVE, LOCK_ORDER, SHARE_UPDATE_EXCLUSIVE

SAMPLE_INTERVAL = 0.003
"""Seconds between two polls of the sampling connection."""
MAX_SQL = 10_000
"""Statement text kept per statement, in characters."""

_LOCKS = """
SELECT l.relation::bigint, n.nspname, c.relname, c.relkind, l.mode, c.relfilenode
FROM pg_catalog.pg_locks l
JOIN pg_catalog.pg_class c ON c.oid = l.relation
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE l.pid = {pid} AND l.locktype = 'relation' AND l.granted
  AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d
                    WHERE d.datname = pg_catalog.current_database())
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
"""
_OWN_LOCKS = _LOCKS.format(pid="pg_catalog.pg_backend_pid()")
_SAMPLED_LOCKS = _LOCKS.format(pid="%s")

FILENODES = """
SELECT c.oid::bigint, n.nspname, c.relname, c.relfilenode FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm', 'i', 'S', 'f', 'v')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
"""
"""Every user relation before a revision: ``oid, schema, name, relfilenode`` (:meth:`Tracer.start`)."""

_TABLE_KINDS = frozenset({"r", "p", "m", "f"})


def lock_mode(pg_locks_mode: str) -> str:
    """``AccessExclusiveLock`` (as ``pg_locks`` says) -> ``ACCESS EXCLUSIVE``."""
    words = re.findall(r"[A-Z][a-z]+", pg_locks_mode.removesuffix("Lock"))
    return " ".join(words).upper()


def _rank(mode: str) -> int:
    return LOCK_ORDER.index(mode) if mode in LOCK_ORDER else -1


def blocks(mode: str) -> str | None:
    """What other sessions cannot do while ``mode`` is held: ``writes``... or None."""
    if mode == ACCESS_EXCLUSIVE:
        return "reads and writes"
    if mode in BLOCKING_LOCKS:
        return "writes"
    if mode == SHARE_UPDATE_EXCLUSIVE:
        return "schema changes and VACUUM"
    return None


def format_seconds(seconds: float) -> str:
    if seconds < 0.1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.1f} s"


def display_relation(schema: str, name: str) -> str:
    return name if schema == "public" else f"{schema}.{name}"


@dataclass(frozen=True)
class LockSeen:
    """A relation lock a statement took (or, outside a transaction, was seen holding)."""

    relation: str
    mode: str

    def to_json(self) -> dict[str, str]:
        return {"relation": self.relation, "mode": self.mode}


@dataclass(frozen=True)
class StatementTrace:
    """One statement the revision executed."""

    sql: str
    line: int | None
    """Line in the revision file, or None for statements from elsewhere (Alembic, env.py)."""
    duration_s: float
    rowcount: int | None
    in_transaction: bool
    locks: tuple[LockSeen, ...] = ()
    """Inside a transaction: the locks new since the previous statement; outside: sampled."""
    rewrites: tuple[str, ...] = ()
    """Tables whose relfilenode this statement changed."""
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "sql": self.sql,
            "line": self.line,
            "duration_ms": round(self.duration_s * 1000, 3),
            "rowcount": self.rowcount,
            "in_transaction": self.in_transaction,
            "locks": [lock.to_json() for lock in self.locks],
            "rewrites": list(self.rewrites),
            "error": self.error,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> StatementTrace:
        return cls(
            sql=value["sql"],
            line=value.get("line"),
            duration_s=float(value.get("duration_ms", 0)) / 1000,
            rowcount=value.get("rowcount"),
            in_transaction=bool(value.get("in_transaction", True)),
            locks=tuple(LockSeen(x["relation"], x["mode"]) for x in value.get("locks", ())),
            rewrites=tuple(value.get("rewrites", ())),
            error=value.get("error"),
        )


@dataclass(frozen=True)
class LockHold:
    """The strongest lock a transaction (or a statement outside one) held on a relation."""

    relation: str
    mode: str
    held_s: float
    """From the statement that took it to the end of its transaction."""
    line: int | None
    rewrite: bool = False
    in_transaction: bool = True

    @property
    def blocks(self) -> str | None:
        return blocks(self.mode)

    def describe(self) -> str:
        """``blocks writes on users for 1.2 s (SHARE)``."""
        notes = [self.mode]
        if self.rewrite:
            notes.append("rewrite")
        if not self.in_transaction:
            notes.append("outside a transaction")
        what = self.blocks or f"only conflicting {self.mode} requests"
        return (
            f"blocks {what} on {self.relation} for {format_seconds(self.held_s)} "
            f"({', '.join(notes)})"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "relation": self.relation,
            "mode": self.mode,
            "held_ms": round(self.held_s * 1000, 3),
            "line": self.line,
            "rewrite": self.rewrite,
            "in_transaction": self.in_transaction,
            "blocks": self.blocks,
            "text": self.describe(),
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> LockHold:
        return cls(
            relation=value["relation"],
            mode=value["mode"],
            held_s=float(value.get("held_ms", 0)) / 1000,
            line=value.get("line"),
            rewrite=bool(value.get("rewrite", False)),
            in_transaction=bool(value.get("in_transaction", True)),
        )


@dataclass(frozen=True)
class Trace:
    """What the traced upgrade of one revision executed and locked."""

    statements: tuple[StatementTrace, ...] = ()
    holds: tuple[LockHold, ...] = ()
    note: str | None = None
    """Why locks were not traced (another driver), when they were not."""

    @property
    def rewrites(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for s in self.statements for t in s.rewrites))

    def blocking(self) -> list[LockHold]:
        """Holds that block reads, writes or schema changes, strongest and longest first."""
        found = [h for h in self.holds if h.blocks is not None]
        return sorted(found, key=lambda h: (-_rank(h.mode), -h.held_s, h.relation))

    def lines(self) -> list[str]:
        """``line 14: blocks reads and writes on users for 0.8 s (ACCESS EXCLUSIVE, rewrite)``."""
        return [(f"line {h.line}: " if h.line else "") + h.describe() for h in self.blocking()]

    def to_json(self) -> dict[str, Any]:
        return {
            "statements": [s.to_json() for s in self.statements],
            "locks": [h.to_json() for h in self.holds],
            "rewrites": list(self.rewrites),
            "note": self.note,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Trace:
        return cls(
            statements=tuple(StatementTrace.from_json(s) for s in value.get("statements", ())),
            holds=tuple(LockHold.from_json(h) for h in value.get("locks", ())),
            note=value.get("note"),
        )


# ---------------------------------------------------------------------- the sampler


class _Sampler:
    """A thread with its own connection that polls pg_locks for one backend on request."""

    def __init__(self, connect: Callable[[], Any]) -> None:
        self._connect = connect
        self._connection: Any = None
        self._pid: int | None = None
        self._seen: dict[int, tuple[str, str, str, set[str]]] = {}
        self._wake = threading.Condition()
        self._idle = threading.Event()
        self._idle.set()
        self._stopped = False
        self._thread: threading.Thread | None = None

    def begin(self, pid: int) -> None:
        if self._thread is None:
            self._connection = self._connect()
            self._thread = threading.Thread(target=self._run, name="lock-sampler", daemon=True)
            self._thread.start()
        with self._wake:
            self._seen = {}
            self._pid = pid
            self._idle.clear()
            self._wake.notify()

    def end(self) -> dict[int, tuple[str, str, str, set[str]]]:
        with self._wake:
            self._pid = None
        self._idle.wait(timeout=5)
        return self._seen

    def close(self) -> None:
        with self._wake:
            self._stopped = True
            self._pid = None
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._connection is not None:
            with contextlib.suppress(Exception):  # a broken connection needs no goodbye
                self._connection.close()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._pid is None and not self._stopped:
                    self._idle.set()
                    self._wake.wait()
                if self._stopped:
                    self._idle.set()
                    return
                pid = self._pid
            try:
                rows = self._connection.execute(_SAMPLED_LOCKS, (pid,)).fetchall()
            except Exception:  # the scratch server went away (interrupt): stop sampling
                with self._wake:
                    self._pid = None
                continue
            for oid, schema, name, kind, mode, _filenode in rows:
                entry = self._seen.setdefault(int(oid), (schema, name, kind, set()))
                entry[3].add(lock_mode(mode))
            time.sleep(SAMPLE_INTERVAL)


# ---------------------------------------------------------------------- the tracer


@dataclass
class _Held:
    relation: str
    mode: str
    since: float
    line: int | None
    rewrite: bool = False


@dataclass
class _ConnectionState:
    seen: set[tuple[int, str]] = field(default_factory=set)
    held: dict[int, _Held] = field(default_factory=dict)
    started: float = 0.0
    line: int | None = None
    sampled_pid: int | None = None


class Tracer:
    """Records the statements of one revision's upgrade; use :meth:`start` / :meth:`stop`.

    :param sampler_connect: opens a psycopg connection (autocommit) to the scratch database,
     for statements outside a transaction.
    :param excluded: relations (``schema.name``) not to report (version and history tables).
    """

    def __init__(self, sampler_connect: Callable[[], Any], excluded: Iterable[str] = ()) -> None:
        self._sampler = _Sampler(sampler_connect)
        self._excluded = set(excluded)
        self._path = ""
        self._baseline: dict[int, tuple[str, int]] = {}
        self._statements: list[StatementTrace] = []
        self._holds: list[LockHold] = []
        self._states: dict[int, _ConnectionState] = {}
        self._note: str | None = None
        self._active = False
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ lifecycle
    def start(self, revision_path: str, relations: Iterable[tuple[int, str, str, int]]) -> None:
        """Trace statements from now on; ``relations`` are :data:`FILENODES` rows before it."""
        self._path = os.path.realpath(revision_path)
        self._baseline = {}
        for oid, schema, name, filenode in relations:
            if f"{schema}.{name}" not in self._excluded:
                self._baseline[int(oid)] = (display_relation(schema, name), int(filenode))
        self._statements = []
        self._holds = []
        self._states = {}
        self._note = None
        self._active = True
        for name, listener in self._listeners():
            event.listen(Engine, name, listener)

    def stop(self) -> Trace:
        """Stop tracing; locks still held (a transaction that never ended) end now."""
        if self._active:
            for name, listener in self._listeners():
                event.remove(Engine, name, listener)
            self._active = False
        now = time.perf_counter()
        for state in self._states.values():
            self._finish(state, now)
        self._states = {}
        return Trace(tuple(self._statements), tuple(self._holds), self._note)

    def close(self) -> None:
        self.stop()
        self._sampler.close()

    def __enter__(self) -> Tracer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _listeners(self) -> Iterator[tuple[str, Callable[..., None]]]:
        yield "before_cursor_execute", self._before
        yield "after_cursor_execute", self._after
        yield "handle_error", self._error
        yield "commit", self._commit
        yield "rollback", self._commit

    # ------------------------------------------------------------------ events
    def _state(self, conn: Connection) -> tuple[_ConnectionState, Any]:
        dbapi = conn.connection.dbapi_connection
        return self._states.setdefault(id(dbapi), _ConnectionState()), dbapi

    def _before(self, conn: Connection, cursor: Any, statement: str, *_: Any) -> None:
        state, dbapi = self._state(conn)
        state.line = self._line()
        if state.line is not None and _is_psycopg(dbapi) and dbapi.autocommit:
            state.sampled_pid = int(dbapi.info.backend_pid)
            self._sampler.begin(state.sampled_pid)
        state.started = time.perf_counter()

    def _after(self, conn: Connection, cursor: Any, statement: str, *_: Any) -> None:
        ended = time.perf_counter()
        state, dbapi = self._state(conn)
        if state.line is None:
            return  # Alembic's, env.py's or the guard's own statement: not the revision's
        duration = ended - state.started
        rowcount = getattr(cursor, "rowcount", -1)
        count = rowcount if isinstance(rowcount, int) and rowcount >= 0 else None
        if state.sampled_pid is not None:
            seen = self._sampler.end()
            state.sampled_pid = None
            locks = self._sampled(seen, duration, state.line)
            self._statements.append(
                _statement(statement, state.line, duration, count, False, locks=locks)
            )
            return
        if not _is_psycopg(dbapi):
            self._note = (
                f"locks were not traced: the {type(dbapi).__module__.split('.')[0]} driver is "
                "not supported (use postgresql+psycopg)"
            )
            self._statements.append(_statement(statement, state.line, duration, count, True))
            return
        locks, rewrites = self._own_locks(dbapi, state)
        self._statements.append(
            _statement(statement, state.line, duration, count, True, locks=locks, rewrites=rewrites)
        )

    def _error(self, context: Any) -> None:
        """Record the failing statement; never hides or replaces the error itself."""
        try:
            self._failed(context)
        except Exception:  # the statement's own error is what the user must see
            return

    def _failed(self, context: Any) -> None:
        conn = context.connection
        if conn is None or conn.closed or conn.invalidated:
            return
        state, _ = self._state(conn)
        if state.sampled_pid is not None:
            self._sampler.end()
            state.sampled_pid = None
        orig = context.original_exception
        message = " ".join(str(orig).strip().splitlines()[:1]) or type(orig).__name__
        in_transaction = not getattr(conn.connection.dbapi_connection, "autocommit", False)
        self._statements.append(
            _statement(
                context.statement or "",
                state.line,
                time.perf_counter() - state.started,
                None,
                in_transaction,
                error=message,
            )
        )

    def _commit(self, conn: Connection) -> None:
        if conn.closed or conn.invalidated:
            return
        dbapi = conn.connection.dbapi_connection
        state = self._states.get(id(dbapi))
        if state is not None:
            self._finish(state, time.perf_counter())

    # ------------------------------------------------------------------ helpers
    def _line(self) -> int | None:
        frame: FrameType | None = sys._getframe(2)
        while frame is not None:
            if _real(frame.f_code.co_filename) == self._path:
                return frame.f_lineno
            frame = frame.f_back
        return None

    def _own_locks(
        self, dbapi: Any, state: _ConnectionState
    ) -> tuple[tuple[LockSeen, ...], tuple[str, ...]]:
        cursor = dbapi.cursor()
        try:
            rows = cursor.execute(_OWN_LOCKS).fetchall()
        finally:
            cursor.close()
        new: list[LockSeen] = []
        rewrites: list[str] = []
        for oid, _schema, _name, kind, raw_mode, filenode in rows:
            known = self._baseline.get(int(oid))
            if known is None:
                continue  # created by this revision, or excluded
            relation, before = known
            mode = lock_mode(raw_mode)
            if (int(oid), mode) not in state.seen:
                state.seen.add((int(oid), mode))
                new.append(LockSeen(relation, mode))
                if kind in _TABLE_KINDS:
                    held = state.held.get(int(oid))
                    if held is None or _rank(mode) > _rank(held.mode):
                        rewrite = held.rewrite if held else False
                        state.held[int(oid)] = _Held(
                            relation, mode, state.started, state.line, rewrite
                        )
            if kind in ("r", "m") and filenode and int(filenode) != before:
                rewrites.append(relation)
                self._baseline[int(oid)] = (relation, int(filenode))
                if int(oid) in state.held:
                    state.held[int(oid)].rewrite = True
        return tuple(new), tuple(rewrites)

    def _sampled(
        self,
        seen: dict[int, tuple[str, str, str, set[str]]],
        duration: float,
        line: int | None,
    ) -> tuple[LockSeen, ...]:
        locks: list[LockSeen] = []
        for oid, (_schema, _name, kind, modes) in seen.items():
            known = self._baseline.get(oid)
            if known is None:
                continue
            relation = known[0]
            for mode in sorted(modes, key=_rank):
                locks.append(LockSeen(relation, mode))
            if kind in _TABLE_KINDS and modes:
                strongest = max(modes, key=_rank)
                self._holds.append(
                    LockHold(relation, strongest, duration, line, False, in_transaction=False)
                )
        return tuple(locks)

    def _finish(self, state: _ConnectionState, now: float) -> None:
        for held in state.held.values():
            self._holds.append(
                LockHold(held.relation, held.mode, now - held.since, held.line, held.rewrite)
            )
        state.held = {}
        state.seen = set()


def _statement(
    sql: str,
    line: int | None,
    duration: float,
    rowcount: int | None,
    in_transaction: bool,
    *,
    locks: tuple[LockSeen, ...] = (),
    rewrites: tuple[str, ...] = (),
    error: str | None = None,
) -> StatementTrace:
    return StatementTrace(
        sql[:MAX_SQL], line, duration, rowcount, in_transaction, locks, rewrites, error
    )


_REAL: dict[str, str] = {}


def _real(path: str) -> str:
    found = _REAL.get(path)
    if found is None:
        found = _REAL[path] = os.path.realpath(path)
    return found


def _is_psycopg(dbapi: Any) -> bool:
    return type(dbapi).__module__.split(".")[0] == "psycopg"
