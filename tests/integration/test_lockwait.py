"""Lock acquisition outside the lock queue, on a real server, without the guard.

A blocker holds ACCESS SHARE on ``items`` in an open transaction.  A migration that needs
ACCESS EXCLUSIVE waits for it *outside* the queue, so a reader that starts meanwhile is
never held up for longer than one short attempt; the migration goes on once the blocker
ends, and fails cleanly, naming the blocker, when the budget is spent.  The migrations use
Alembic's ``MigrationContext`` and ``Operations`` directly.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, pool

from alembic_safe import lockwait
from alembic_safe.capture.sqlparse import LOCK_ORDER
from alembic_safe.config import Settings
from alembic_safe.errors import LockTimeoutExhausted
from alembic_safe.operations._session import SETTINGS_KEY
from tests.support import Database

SETTINGS = Settings(lock_attempt_timeout=0.02, lock_wait_budget=30.0, lock_timeout=0.5)
GENEROUS = 1.0
"""No reader may wait longer than this (the attempts last 20 ms)."""


@pytest.fixture
def items(database: Database) -> Database:
    database.execute(
        "CREATE TABLE items (id bigserial PRIMARY KEY, n int, note text);"
        "INSERT INTO items (n) SELECT g FROM generate_series(1, 200) g;"
        "CREATE TABLE other (id bigserial PRIMARY KEY, n int);"
        "INSERT INTO other (n) SELECT g FROM generate_series(1, 20) g;"
    )
    return database


class Messages:
    """Collects what lockwait reports; ``waiting`` is set once it waits for a blocker."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.waiting = threading.Event()

    def __call__(self, text: str) -> None:
        self.lines.append(text)
        if "waiting outside the lock queue" in text:
            self.waiting.set()


@contextlib.contextmanager
def blocker(db: Database, sql: str = "SELECT count(*) FROM items") -> Iterator[psycopg.Connection]:
    """A session in an open transaction that has run ``sql`` (ACCESS SHARE on items)."""
    conn = db.connect(application_name="the-blocker")
    conn.execute(sql)
    try:
        yield conn
    finally:
        with contextlib.suppress(psycopg.Error):
            conn.rollback()
        conn.close()


@contextlib.contextmanager
def migration_context(
    db: Database, settings: Settings = SETTINGS
) -> Iterator[tuple[sa.Connection, MigrationContext]]:
    engine = create_engine(db.url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection=connection,
                opts={"transaction_per_migration": True, SETTINGS_KEY: settings},
            )
            yield connection, context
    finally:
        engine.dispose()


class Background:
    def __init__(self, target: Callable[[], Any]) -> None:
        self.error: BaseException | None = None
        self.result: Any = None

        def run() -> None:
            try:
                self.result = target()
            except BaseException as exc:
                self.error = exc

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self, timeout: float = 60) -> Any:
        self.thread.join(timeout=timeout)
        assert not self.thread.is_alive(), "the migration did not finish"
        if self.error is not None:
            raise self.error
        return self.result


def read_times(db: Database, seconds: float, table: str = "items") -> list[float]:
    """Read ``table`` by id for ``seconds``; return how long each read took."""
    took = []
    with db.connect(autocommit=True) as reader:
        reader.execute("SET statement_timeout = '10s'")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.monotonic()
            reader.execute(f"SELECT n FROM {table} WHERE id = 7").fetchall()
            took.append(time.monotonic() - started)
            time.sleep(0.01)
    return took


def column_exists(db: Database, table: str, column: str) -> bool:
    return bool(
        db.scalar(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s "
            "AND NOT attisdropped",
            (table, column),
        )
    )


# ----------------------------------------------------------------------------- the table


def test_conflict_table_is_postgresqls(items: Database) -> None:
    """For every pair of modes, a second session's NOWAIT lock fails exactly when CONFLICTS says."""
    first = items.connect()
    second = items.connect()
    try:
        observed = {}
        for held, wanted in itertools.product(LOCK_ORDER, LOCK_ORDER):
            first.execute(f"LOCK TABLE items IN {held} MODE")
            try:
                second.execute(f"LOCK TABLE items IN {wanted} MODE NOWAIT")
                observed[wanted, held] = False
            except psycopg.errors.LockNotAvailable:
                observed[wanted, held] = True
            second.rollback()
            first.rollback()
    finally:
        first.close()
        second.close()
    expected = {(w, h): lockwait.conflicts(w, h) for w, h in observed}
    assert observed == expected
    assert (
        sum(observed.values()) == 38
    )  # the documented matrix: 38 conflicting (requested, held) pairs


# ----------------------------------------------------------------------------- acquire


def test_reader_is_not_queued_while_the_migration_waits(items: Database) -> None:
    messages = Messages()

    def migrate() -> lockwait.Acquired:
        with (
            migration_context(items) as (connection, context),
            context.begin_transaction(_per_migration=True),
        ):
            acquired = lockwait.acquire(
                connection,
                [lockwait.LockRequest("items", "ACCESS EXCLUSIVE")],
                SETTINGS,
                report=messages,
                what="add column",
            )
            Operations(context).add_column("items", sa.Column("added", sa.Integer))
            return acquired

    with blocker(items) as conn:
        job = Background(migrate)
        assert messages.waiting.wait(15), "the migration never reported the blocker"
        took = read_times(items, 1.5)  # the reader starts after the migration began
        assert column_exists(items, "items", "added") is False
        conn.rollback()  # the blocker ends
        acquired = job.join()
    assert max(took) < GENEROUS
    assert column_exists(items, "items", "added")
    assert acquired.waited > 0 and acquired.attempts >= 1
    assert any("pid" in line and "the-blocker" in line for line in messages.lines)
    assert any("blocking sessions are gone" in line for line in messages.lines)


def test_budget_spent_fails_naming_the_blocker_and_applies_nothing(items: Database) -> None:
    impatient = Settings(lock_attempt_timeout=0.02, lock_wait_budget=0.6)
    with blocker(items) as conn:
        pid = conn.info.backend_pid
        with pytest.raises(LockTimeoutExhausted) as caught:  # noqa: SIM117
            with migration_context(items, impatient) as (connection, context):
                with context.begin_transaction(_per_migration=True):
                    Operations(context).execute("INSERT INTO other (n) VALUES (999)")
                    lockwait.acquire(
                        connection,
                        [lockwait.LockRequest("items", "ACCESS EXCLUSIVE")],
                        impatient,
                        what="add column",
                    )
                    Operations(context).add_column("items", sa.Column("added", sa.Integer))
    text = caught.value.format_message()
    assert f"pid {pid}" in text and 'application "the-blocker"' in text
    assert "holds ACCESS SHARE on items" in text
    assert "lock_wait_budget" in text
    assert items.scalar("SELECT count(*) FROM other WHERE n = 999") == 0  # all rolled back
    assert not column_exists(items, "items", "added")


def test_waiting_writers_count_as_blockers_too(items: Database) -> None:
    """A session queued for a conflicting lock is waited for, not queued behind."""
    found: list[lockwait.Blocker] = []
    with items.connect(autocommit=True) as writer:
        with blocker(items, "LOCK TABLE items IN SHARE MODE"):
            queued = Background(lambda: writer.execute("UPDATE items SET n = n WHERE id = 1"))
            engine = create_engine(items.url, poolclass=pool.NullPool)
            try:
                with engine.connect() as connection:
                    execute = lockwait.executor(connection)
                    targets = lockwait.resolve(
                        execute, [lockwait.LockRequest("items", "ACCESS EXCLUSIVE")]
                    )
                    deadline = time.monotonic() + 10
                    while time.monotonic() < deadline and not any(not b.granted for b in found):
                        found = lockwait.find_blockers(execute, targets)
                        time.sleep(0.05)
            finally:
                engine.dispose()
        queued.join()
    assert {(b.mode, b.granted) for b in found} >= {("SHARE", True), ("ROW EXCLUSIVE", False)}


def test_weak_and_already_held_requests_need_no_wait(items: Database) -> None:
    with (
        migration_context(items) as (connection, context),
        context.begin_transaction(_per_migration=True),
    ):
        execute = lockwait.executor(connection)
        assert (
            lockwait.resolve(execute, [lockwait.LockRequest("items", "SHARE UPDATE EXCLUSIVE")])
            == []
        )
        connection.exec_driver_sql("LOCK TABLE items IN ACCESS EXCLUSIVE MODE")
        assert lockwait.resolve(execute, [lockwait.LockRequest("items", "SHARE")]) == []
        index = lockwait.resolve(execute, [lockwait.LockRequest("other_pkey", "ACCESS EXCLUSIVE")])
        assert [(t.name, t.mode) for t in index] == [("other", "ACCESS EXCLUSIVE")]
        assert lockwait.resolve(execute, [lockwait.LockRequest("missing", "SHARE")]) == []


# ----------------------------------------------------------------------------- the gate


def test_gate_covers_plain_operations_and_mixed_revisions(items: Database) -> None:
    """A revision of a CONCURRENTLY step and plain steps: each plain step waits on its own."""
    messages = Messages()

    def migrate() -> int:
        with (
            migration_context(items) as (connection, context),
            lockwait.LockGate(connection, SETTINGS, report=messages) as gate,
        ):
            gate.expect([])
            with context.begin_transaction(_per_migration=True):
                op = Operations(context)
                op.create_index_concurrently("ix_other_n", "other", ["n"])
                op.add_column("items", sa.Column("added", sa.Integer))
                op.alter_column("items", "note", server_default="none")
                with context.autocommit_block():
                    op.execute("ALTER TABLE items ADD COLUMN outside int")
            return gate.commits

    with blocker(items) as conn:
        job = Background(migrate)
        assert messages.waiting.wait(15)
        took = read_times(items, 1.2)
        conn.rollback()
        commits = job.join()
    assert max(took) < GENEROUS
    assert commits >= 3  # before the CONCURRENTLY step, before the autocommit block, the end
    assert column_exists(items, "items", "added") and column_exists(items, "items", "outside")
    assert items.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_other_n'::regclass")


def test_gate_takes_a_segments_locks_up_front(items: Database) -> None:
    """With a segment planned, the second table's lock is taken with the first, not after it."""
    segment = lockwait.Segment(
        trigger=lockwait.normal("ALTER TABLE other ADD COLUMN a INTEGER"),
        requests=(
            lockwait.LockRequest("items", "ACCESS EXCLUSIVE"),
            lockwait.LockRequest("other", "ACCESS EXCLUSIVE"),
        ),
    )
    messages = Messages()

    def migrate() -> None:
        with (
            migration_context(items) as (connection, context),
            lockwait.LockGate(connection, SETTINGS, report=messages) as gate,
        ):
            gate.expect([segment])
            with context.begin_transaction(_per_migration=True):
                op = Operations(context)
                op.add_column("other", sa.Column("a", sa.Integer))
                op.add_column("items", sa.Column("b", sa.Integer))

    with blocker(items) as conn:
        job = Background(migrate)
        assert messages.waiting.wait(15)
        took = read_times(items, 0.6) + read_times(items, 0.6, table="other")
        conn.rollback()
        job.join()
    assert max(took) < GENEROUS  # "other" was not locked while the migration waited for "items"
    assert column_exists(items, "other", "a") and column_exists(items, "items", "b")


def test_unforeseen_lock_while_holding_others_asks_for_a_rerun(items: Database) -> None:
    with blocker(items) as conn:
        started = time.monotonic()
        with pytest.raises(lockwait.LockOrderConflict) as caught:  # noqa: SIM117
            with migration_context(items) as (connection, context):
                with (
                    lockwait.LockGate(connection, SETTINGS),
                    context.begin_transaction(_per_migration=True),
                ):
                    op = Operations(context)
                    op.add_column("other", sa.Column("a", sa.Integer))
                    op.add_column("items", sa.Column("b", sa.Integer))
        waited = time.monotonic() - started
        conn.rollback()
    assert waited < SETTINGS.lock_timeout + 5  # bounded by lock_timeout, not the budget
    assert caught.value.requests == [lockwait.LockRequest("items", "ACCESS EXCLUSIVE")]
    assert '"other"' in caught.value.message
    assert not column_exists(items, "other", "a")


def test_segments_of_a_plan(items: Database) -> None:
    from alembic_safe.capture.plan import Plan, Step
    from alembic_safe.capture.sqlparse import parse

    def step(index: int, sql: str, in_transaction: bool = True) -> Step:
        return Step(index, "execute", None, None, in_transaction, [sql], statements=parse(sql))

    plan = Plan("r1", "upgrade", "r1.py")
    plan.steps = [
        step(0, "UPDATE items SET n = 1 WHERE id = 1"),
        step(1, "ALTER TABLE items ADD COLUMN a int"),
        step(2, "CREATE INDEX ix ON other (n)"),
        step(3, "CREATE INDEX CONCURRENTLY ix2 ON other (n)", in_transaction=False),
        step(4, "ALTER TABLE other ALTER COLUMN n SET NOT NULL"),
    ]
    assert lockwait.segments(plan) == [
        lockwait.Segment(
            "ALTER TABLE items ADD COLUMN a int",
            (
                lockwait.LockRequest("items", "ACCESS EXCLUSIVE"),
                lockwait.LockRequest("other", "SHARE"),
            ),
        ),
        lockwait.Segment(
            "ALTER TABLE other ALTER COLUMN n SET NOT NULL",
            (lockwait.LockRequest("other", "ACCESS EXCLUSIVE"),),
        ),
    ]


# ----------------------------------------------------------------------------- cancelling


def test_cancels_old_blocking_queries_of_its_own_role_when_asked(items: Database) -> None:
    settings = Settings(lock_attempt_timeout=0.02, lock_wait_budget=20, lock_wait_cancel_after=0.3)
    messages = Messages()
    busy = items.connect(application_name="slow-report")
    busy.execute("SELECT count(*) FROM items").fetchall()
    running = Background(lambda: busy.execute("SELECT pg_sleep(30)"))
    try:
        with (
            migration_context(items, settings) as (connection, context),
            context.begin_transaction(_per_migration=True),
        ):
            lockwait.acquire(
                connection,
                [lockwait.LockRequest("items", "ACCESS EXCLUSIVE")],
                settings,
                report=messages,
            )
        with pytest.raises(psycopg.errors.QueryCanceled):
            running.join()
    finally:
        busy.close()
    assert any(
        "cancelled the query of" in line and "slow-report" in line for line in messages.lines
    )


def test_idle_transactions_are_terminated_only_when_allowed(items: Database) -> None:
    base = {"lock_attempt_timeout": 0.02, "lock_wait_cancel_after": 0.2}
    with blocker(items) as conn:
        with pytest.raises(LockTimeoutExhausted):  # noqa: SIM117
            with (
                migration_context(items) as (connection, context),
                context.begin_transaction(_per_migration=True),
            ):
                lockwait.acquire(
                    connection,
                    [lockwait.LockRequest("items", "ACCESS EXCLUSIVE")],
                    Settings(**base, lock_wait_budget=1.0),  # type: ignore[arg-type]
                )
        assert not conn.closed and conn.execute("SELECT 1").fetchone() == (1,)
        terminating = Settings(**base, lock_wait_budget=20, lock_wait_terminate_idle=True)  # type: ignore[arg-type]
        with (
            migration_context(items) as (connection, context),
            context.begin_transaction(_per_migration=True),
        ):
            lockwait.acquire(
                connection, [lockwait.LockRequest("items", "ACCESS EXCLUSIVE")], terminating
            )
        with pytest.raises(psycopg.OperationalError):
            conn.execute("SELECT 1")


def test_other_roles_are_never_cancelled_unless_allowed(items: Database) -> None:
    role = f"other_{items.name}"
    items.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw'; GRANT SELECT ON items TO {role}")
    server = items.server
    other = psycopg.connect(
        host=server.host, port=server.port, user=role, password="pw", dbname=items.name
    )
    try:
        other.execute("SELECT count(*) FROM items").fetchall()
        settings = Settings(
            lock_attempt_timeout=0.02,
            lock_wait_budget=1.0,
            lock_wait_cancel_after=0.1,
            lock_wait_terminate_idle=True,
        )
        with pytest.raises(LockTimeoutExhausted, match=f"user {role}"):  # noqa: SIM117
            with (
                migration_context(items) as (connection, context),
                context.begin_transaction(_per_migration=True),
            ):
                lockwait.acquire(
                    connection, [lockwait.LockRequest("items", "ACCESS EXCLUSIVE")], settings
                )
        assert other.execute("SELECT 1").fetchone() == (1,)  # left alone
    finally:
        other.close()
        items.execute(f"DROP OWNED BY {role}; DROP ROLE {role}")


# ----------------------------------------------------------------------------- safe operations


def test_safe_operation_statements_wait_outside_the_queue(items: Database) -> None:
    items.execute("UPDATE items SET note = 'x'")
    messages = Messages()

    def migrate() -> None:
        with (
            migration_context(items) as (_connection, context),
            context.begin_transaction(_per_migration=True),
        ):
            Operations(context).add_not_null("items", "note")

    handler = logging.Handler()
    handler.emit = lambda record: messages(record.getMessage())  # type: ignore[method-assign]
    lockwait.log.addHandler(handler)
    try:
        with blocker(items) as conn:
            job = Background(migrate)
            assert messages.waiting.wait(15)
            took = read_times(items, 1.2)
            conn.rollback()
            job.join()
    finally:
        lockwait.log.removeHandler(handler)
    assert max(took) < GENEROUS
    assert items.scalar(
        "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'note'"
    )
