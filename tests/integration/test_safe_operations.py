"""The safe operations on a real server: the locks they take and what they leave behind.

Each lock claim is shown, not assumed: a second connection writes while the operation
runs (slow expression indexes and CHECK functions stretch the run to about a second),
and pg_locks shows the mode the migration holds.
"""

from __future__ import annotations

import contextlib
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

from alembic_safe.config import Settings
from alembic_safe.errors import ConfigError, MigrationFailed, UnsafeMigrationError
from alembic_safe.operations._session import SETTINGS_KEY
from alembic_safe.operations.ops import AlterColumnTypeOnlineOp
from tests.support import Database

FAST = Settings(lock_timeout=0.2, lock_timeout_max=0.4, lock_retries=1, lock_retry_delay=0.05)


@contextlib.contextmanager
def migration(
    db: Database, settings: Settings = FAST, *, on_connect: Callable[[Any], None] | None = None
) -> Iterator[Operations]:
    """Operations on a connection set up as the guard sets it up (transaction per migration)."""
    engine = create_engine(db.url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            if on_connect is not None:
                on_connect(connection)
                connection.commit()
            context = MigrationContext.configure(
                connection=connection,
                opts={"transaction_per_migration": True, SETTINGS_KEY: settings},
            )
            with context.begin_transaction(_per_migration=True):
                yield Operations(context)
    finally:
        engine.dispose()


class Background:
    """Runs a migration in a thread; re-raises its error on join()."""

    def __init__(self, target: Callable[[], None]) -> None:
        self.error: BaseException | None = None

        def run() -> None:
            try:
                target()
            except BaseException as exc:
                self.error = exc

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self) -> None:
        self.thread.join(timeout=60)
        assert not self.thread.is_alive(), "the migration did not finish"
        if self.error is not None:
            raise self.error


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def indexes(db: Database, table: str) -> dict[str, bool]:
    rows = db.execute(
        "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass",
        (table,),
    )
    return {name: valid for name, valid in rows}


def held_modes(db: Database, table: str, query_like: str) -> set[str]:
    rows = db.execute(
        "SELECT l.mode FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.relation = %s::regclass AND l.granted AND a.query LIKE %s",
        (table, query_like),
    )
    return {mode for (mode,) in rows}


def writes_go_through(db: Database, table: str) -> float:
    """Insert and update with a 200 ms lock_timeout; return the seconds it took."""
    started = time.monotonic()
    with db.connect(autocommit=True) as writer:
        writer.execute("SET lock_timeout = '200ms'")
        writer.execute(f"INSERT INTO {table} (n) VALUES (1)")
        writer.execute(f"UPDATE {table} SET n = n + 1 WHERE id = 1")
    return time.monotonic() - started


SLOW_FUNCTIONS = """
CREATE FUNCTION slow_echo(v int) RETURNS int LANGUAGE plpgsql IMMUTABLE
    AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN v; END $$;
CREATE FUNCTION slow_true(v int) RETURNS boolean LANGUAGE plpgsql
    AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN true; END $$;
"""


@pytest.fixture
def items(database: Database) -> Database:
    """A table of 80 rows and functions that take 20 ms per row."""
    database.execute(
        "CREATE TABLE items (id bigserial PRIMARY KEY, n int, email text);"
        "INSERT INTO items (n, email) SELECT g, 'u' || g FROM generate_series(1, 80) g;"
        + SLOW_FUNCTIONS
    )
    return database


# ----------------------------------------------------------------------------- indexes


def test_create_index_concurrently_lets_writes_continue(items: Database) -> None:
    def build() -> None:
        with migration(items) as op:
            op.create_index_concurrently("ix_items_slow", "items", [sa.text("slow_echo(n)")])

    job = Background(build)
    running = "SELECT count(*) FROM pg_stat_progress_create_index WHERE relid = 'items'::regclass"
    wait_for(lambda: items.scalar(running) == 1, "the index build to start")
    modes = held_modes(items, "items", "CREATE INDEX CONCURRENTLY%")
    took = writes_go_through(items, "items")
    still_building = items.scalar(running) == 1
    job.join()
    assert modes == {"ShareUpdateExclusiveLock"}
    assert still_building, "the writes should have run while the index was being built"
    assert took < 1.0
    assert indexes(items, "items")["ix_items_slow"] is True


def test_failed_unique_build_leaves_no_invalid_index(
    items: Database, caplog: pytest.LogCaptureFixture
) -> None:
    items.execute("UPDATE items SET email = 'same' WHERE id IN (1, 2)")
    with pytest.raises(sa.exc.IntegrityError, match="could not create unique index"):  # noqa: SIM117
        with migration(items) as op:
            op.create_index_concurrently("ix_items_email", "items", ["email"], unique=True)
    assert indexes(items, "items") == {"items_pkey": True}
    assert "dropping the INVALID index" in caplog.text


def test_invalid_index_from_an_earlier_run_is_rebuilt(items: Database) -> None:
    items.execute("UPDATE items SET email = 'same' WHERE id IN (1, 2)")
    with contextlib.suppress(psycopg.errors.UniqueViolation):
        items.execute("CREATE UNIQUE INDEX CONCURRENTLY ix_items_email ON items (email)")
    assert indexes(items, "items")["ix_items_email"] is False  # what a killed run leaves
    items.execute("UPDATE items SET email = 'other' WHERE id = 2")
    with migration(items) as op:
        op.create_index_concurrently("ix_items_email", "items", ["email"], unique=True)
    assert indexes(items, "items")["ix_items_email"] is True


def test_create_index_concurrently_is_idempotent(items: Database) -> None:
    with migration(items) as op:
        op.create_index_concurrently("ix_items_n", "items", ["n"])
        op.create_index_concurrently("ix_items_n", "items", ["n"])
    assert indexes(items, "items")["ix_items_n"] is True
    with pytest.raises(sa.exc.ProgrammingError, match="already exists"):  # noqa: SIM117
        with migration(items) as op:
            op.create_index_concurrently("ix_items_n", "items", ["n"], if_not_exists=False)


def test_lock_timeout_is_retried_until_the_lock_is_free(
    items: Database, caplog: pytest.LogCaptureFixture
) -> None:
    patient = Settings(
        lock_timeout=0.2, lock_timeout_max=0.4, lock_retries=6, lock_retry_delay=0.05
    )
    blocker = items.connect()
    blocker.execute("LOCK TABLE items IN SHARE MODE")  # conflicts with the build's lock
    release = threading.Timer(0.6, blocker.rollback)
    release.start()
    try:
        with migration(items, patient) as op:
            op.create_index_concurrently("ix_items_n", "items", ["n"])
    finally:
        release.join()
        blocker.close()
    assert indexes(items, "items")["ix_items_n"] is True
    assert "lock timeout after 200ms waiting for a lock (attempt 1 of 7)" in caplog.text


def test_lock_timeout_exhausted_raises_and_restores_the_session(items: Database) -> None:
    blocker = items.connect()
    blocker.execute("LOCK TABLE items IN SHARE MODE")
    shown: list[str] = []
    try:
        with pytest.raises(sa.exc.OperationalError, match="lock timeout"):  # noqa: SIM117
            with migration(items) as op:
                try:
                    op.create_index_concurrently("ix_items_n", "items", ["n"])
                finally:
                    bind = op.get_bind()
                    shown.append(bind.exec_driver_sql("SHOW lock_timeout").scalar())
    finally:
        blocker.close()
    assert "ix_items_n" not in indexes(items, "items")
    assert shown == ["0"]  # the session's own setting is back


def test_a_build_that_times_out_midway_drops_its_invalid_index(items: Database) -> None:
    """A writer's open transaction stalls the build after its catalog entry exists."""
    writer = items.connect()
    writer.execute("INSERT INTO items (n) VALUES (0)")  # ROW EXCLUSIVE, kept open
    try:
        with pytest.raises(MigrationFailed, match="could not be dropped") as info:  # noqa: SIM117
            with migration(items) as op:
                op.create_index_concurrently("ix_items_n", "items", ["n"])
        # the drop waits for the same writer: the message says what to run afterwards
        assert "DROP INDEX CONCURRENTLY IF EXISTS ix_items_n" in str(info.value)
        assert indexes(items, "items")["ix_items_n"] is False
    finally:
        writer.rollback()
        writer.close()
    with migration(items) as op:  # the next run drops it and builds it again
        op.create_index_concurrently("ix_items_n", "items", ["n"])
    assert indexes(items, "items")["ix_items_n"] is True


def test_drop_index_concurrently(items: Database) -> None:
    items.execute("CREATE INDEX ix_items_n ON items (n)")
    with migration(items) as op:
        op.drop_index_concurrently("ix_items_n", "items")
        op.drop_index_concurrently("ix_items_n", "items")  # if_exists: a re-run goes through
    assert "ix_items_n" not in indexes(items, "items")


def test_connection_already_in_a_transaction_is_refused(items: Database) -> None:
    engine = create_engine(items.url, poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            context = MigrationContext.configure(connection=connection)
            op = Operations(context)
            with pytest.raises(ConfigError, match="outside a transaction") as info:
                op.create_index_concurrently("ix_items_n", "items", ["n"])
            assert "engine.connect()" in (info.value.hint or "")
    finally:
        engine.dispose()


# ----------------------------------------------------------------------------- constraints


def test_validate_constraint_lets_writes_continue(items: Database) -> None:
    with migration(items) as op:
        op.add_check_constraint_not_valid("ck_items_slow", "items", "slow_true(n)")

    def validate() -> None:
        with migration(items) as op:
            op.validate_constraint("ck_items_slow", "items")

    job = Background(validate)
    active = (
        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
        "AND query LIKE 'ALTER TABLE items VALIDATE CONSTRAINT%'"
    )
    wait_for(lambda: items.scalar(active) == 1, "VALIDATE to start")
    modes = held_modes(items, "items", "ALTER TABLE items VALIDATE CONSTRAINT%")
    took = writes_go_through(items, "items")
    still_validating = items.scalar(active) == 1
    job.join()
    assert modes == {"ShareUpdateExclusiveLock"}
    assert still_validating
    assert took < 1.0
    assert items.scalar("SELECT convalidated FROM pg_constraint WHERE conname = 'ck_items_slow'")


@pytest.fixture
def shop(database: Database) -> Database:
    database.execute(
        "CREATE TABLE users (id bigserial PRIMARY KEY, email text);"
        "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint, n int);"
        "INSERT INTO users (email) SELECT 'u' || g FROM generate_series(1, 50) g;"
        "INSERT INTO orders (user_id, n) SELECT g, g FROM generate_series(1, 50) g;"
    )
    return database


def test_foreign_key_validates_beside_open_write_transactions(
    shop: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with migration(shop) as op:
        op.add_foreign_key_not_valid("fk_orders_user_id", "orders", "users", ["user_id"], ["id"])
    writer = shop.connect()  # open transactions writing both tables
    writer.execute("INSERT INTO orders (user_id, n) VALUES (1, 0)")
    writer.execute("UPDATE users SET email = 'x' WHERE id = 2")
    try:
        started = time.monotonic()
        with migration(shop) as op:
            op.validate_constraint("fk_orders_user_id", "orders")
        took = time.monotonic() - started
    finally:
        writer.rollback()
        writer.close()
    assert took < 2.0
    assert "lock timeout" not in caplog.text
    assert shop.scalar("SELECT convalidated FROM pg_constraint WHERE conname = 'fk_orders_user_id'")


def test_foreign_key_with_orphans_stays_not_valid(shop: Database) -> None:
    shop.execute("INSERT INTO orders (user_id, n) VALUES (999, 0)")
    with migration(shop) as op:
        op.add_foreign_key_not_valid("fk_orders_user_id", "orders", "users", ["user_id"], ["id"])
    with pytest.raises(sa.exc.IntegrityError, match="violates foreign key constraint"):  # noqa: SIM117
        with migration(shop) as op:
            op.validate_constraint("fk_orders_user_id", "orders")
    assert (
        shop.scalar("SELECT convalidated FROM pg_constraint WHERE conname = 'fk_orders_user_id'")
        is False
    )
    with pytest.raises(psycopg.errors.ForeignKeyViolation):  # new rows are checked already
        shop.execute("INSERT INTO orders (user_id, n) VALUES (998, 0)")


def leftover_checks(db: Database) -> int:
    """CHECK constraints of users (PostgreSQL 18 also lists NOT NULL ones in pg_constraint)."""
    return int(
        db.scalar(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype = 'c'"
        )
    )


def test_add_not_null_skips_the_scan_under_access_exclusive(shop: Database) -> None:
    notices: list[str] = []

    def debug(connection: Any) -> None:
        raw = connection.connection.driver_connection
        raw.add_notice_handler(lambda diag: notices.append(diag.message_primary or ""))
        connection.exec_driver_sql("SET client_min_messages = debug1")

    with migration(shop, on_connect=debug) as op:
        op.add_not_null("users", "email")
    assert any(
        'existing constraints on column "users.email" are sufficient to prove' in n for n in notices
    ), notices
    assert shop.scalar(
        "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email'"
    )
    assert leftover_checks(shop) == 0
    with migration(shop) as op:  # again: nothing to do
        op.add_not_null("users", "email")


def test_add_not_null_with_nulls_fails_and_leaves_the_table_as_it_was(shop: Database) -> None:
    shop.execute("UPDATE users SET email = NULL WHERE id = 7")
    with pytest.raises(sa.exc.IntegrityError, match="users_email_not_null_check"):  # noqa: SIM117
        with migration(shop) as op:
            op.add_not_null("users", "email")
    assert leftover_checks(shop) == 0
    shop.execute("INSERT INTO users (email) VALUES (NULL)")  # still nullable


def test_add_not_null_drops_a_check_left_by_an_interrupted_run(shop: Database) -> None:
    shop.execute(
        "ALTER TABLE users ADD CONSTRAINT users_email_not_null_check CHECK (email IS NOT NULL);"
        "ALTER TABLE users ALTER COLUMN email SET NOT NULL;"
    )
    with migration(shop) as op:
        op.add_not_null("users", "email")
    assert leftover_checks(shop) == 0


def test_add_unique_constraint_concurrently(shop: Database) -> None:
    shop.execute("UPDATE users SET email = 'dup' WHERE id IN (3, 4)")
    with pytest.raises(sa.exc.IntegrityError, match="could not create unique index"):  # noqa: SIM117
        with migration(shop) as op:
            op.add_unique_constraint_concurrently("uq_users_email", "users", ["email"])
    assert indexes(shop, "users") == {"users_pkey": True}
    shop.execute("UPDATE users SET email = 'u4' WHERE id = 4")
    with migration(shop) as op:
        op.add_unique_constraint_concurrently("uq_users_email", "users", ["email"])
        op.add_unique_constraint_concurrently("uq_users_email", "users", ["email"])
    row = shop.execute(
        "SELECT k.contype, c.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conindid "
        "WHERE k.conname = 'uq_users_email'"
    )
    assert row == [("u", "uq_users_email")]


# ----------------------------------------------------------------------------- backfill


@pytest.fixture
def people(database: Database) -> Database:
    database.execute(
        "CREATE TABLE people (id bigserial PRIMARY KEY, name text, locale text);"
        "INSERT INTO people (name) SELECT 'p' || g FROM generate_series(1, 2500) g;"
    )
    return database


def test_backfill_skips_locked_rows_waits_for_them_last_and_resumes(
    people: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="alembic_safe.operations")
    holder = people.connect()
    holder.execute("SELECT 1 FROM people WHERE id = 1500 FOR UPDATE")  # an app holds one row
    try:
        with pytest.raises(sa.exc.OperationalError, match="lock timeout"):  # noqa: SIM117
            with migration(people) as op:
                op.backfill("people", set={"locale": "'en'"}, where="locale IS NULL", batch_time=0)
        # every other row was updated (and committed) around the locked one
        assert people.scalar("SELECT array_agg(id) FROM people WHERE locale IS NULL") == [1500]
    finally:
        holder.rollback()
        holder.close()
    assert "1 rows were locked by other sessions; another pass" in caplog.text
    assert "1 rows still locked; a last pass waits for them" in caplog.text
    caplog.clear()
    with migration(people) as op:
        op.backfill("people", set={"locale": "'en'"}, where="locale IS NULL")
    assert people.scalar("SELECT count(*) FROM people WHERE locale IS NULL") == 0
    assert "backfill people: 1 rows to update, from id = 1500" in caplog.text
    assert "backfill people: done, 1 rows updated in 1 batches" in caplog.text


def test_backfill_reports_progress_and_fixed_batches_when_asked(
    people: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="alembic_safe.operations")
    with migration(people) as op:
        op.backfill("people", set={"locale": "'de'"}, batch_size=1000, batch_time=0)
    assert people.scalar("SELECT count(*) FROM people WHERE locale = 'de'") == 2500
    assert "backfill people: 2500 rows to update, from id = 1" in caplog.text
    assert "backfill people: 1000 of 2500 rows (40%)" in caplog.text
    assert "rows/s, about" in caplog.text and "next batch 1000 rows" in caplog.text
    assert "done, 2500 rows updated in 3 batches" in caplog.text


def test_backfill_sizes_batches_to_the_target_time(
    people: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="alembic_safe.operations")
    with migration(people, Settings(backfill_batch_time=0.005)) as op:
        op.backfill("people", set={"locale": "'it'"}, where="locale IS NULL", batch_size=10)
    assert people.scalar("SELECT count(*) FROM people WHERE locale IS NULL") == 0
    assert "batches sized to about 5 ms" in caplog.text
    done = next(r.getMessage() for r in caplog.records if ": done," in r.getMessage())
    batches = int(done.split(" batches")[0].rsplit(" ", 1)[1])
    assert batches < 250  # fixed batches of 10 rows would take 250; the size grew


def test_backfill_default_condition_and_text_keys(database: Database) -> None:
    database.execute(
        "CREATE TABLE codes (code text PRIMARY KEY, label text);"
        "INSERT INTO codes SELECT 'c' || g, 'L' || g FROM generate_series(1, 30) g;"
        "UPDATE codes SET label = lower(label) WHERE code IN ('c1', 'c2');"
    )
    with migration(database) as op:
        op.backfill("codes", set={"label": "lower(label)"}, key="code", batch_size=7)
    assert database.scalar("SELECT count(*) FROM codes WHERE label <> lower(label)") == 0


def test_backfill_without_the_key_column_says_so(people: Database) -> None:
    with pytest.raises(ValueError, match="has no column 'uuid'"):  # noqa: SIM117
        with migration(people) as op:
            op.backfill("people", set={"locale": "'en'"}, key="uuid")


def test_offline_do_block_runs_on_the_server(people: Database) -> None:
    """The --sql form of a backfill is the same batches in a DO block."""
    from tests.support import OfflineOps

    offline = OfflineOps()
    offline.op.backfill("people", set={"locale": "'fr'"}, where="locale IS NULL", batch_size=900)
    block = offline.statements()[1]
    with people.connect(autocommit=True) as connection:
        notices: list[str] = []
        connection.add_notice_handler(lambda diag: notices.append(diag.message_primary or ""))
        connection.execute(block)
    assert people.scalar("SELECT count(*) FROM people WHERE locale = 'fr'") == 2500
    assert notices[-1] == "backfill people: 2500 rows so far"
    assert len(notices) == 3


def test_inside_the_users_own_autocommit_block(items: Database) -> None:
    with migration(items) as op, op.get_context().autocommit_block():
        op.create_index_concurrently("ix_items_n", "items", ["n"])
    assert indexes(items, "items")["ix_items_n"] is True


# ----------------------------------------------------------------------------- type change


@pytest.fixture
def ledger(database: Database) -> Database:
    database.execute(
        "CREATE TABLE accounts (id serial PRIMARY KEY);"
        "INSERT INTO accounts SELECT g FROM generate_series(1, 10) g;"
        "CREATE TABLE entries (id serial PRIMARY KEY, n int NOT NULL DEFAULT 0 CHECK (n >= 0),"
        " account_id int REFERENCES accounts (id), note text,"
        " CONSTRAINT uq_entries_n_note UNIQUE (n, note));"
        "CREATE INDEX ix_entries_n ON entries (n) WHERE n > 5;"
        "COMMENT ON COLUMN entries.n IS 'a counter';"
        "INSERT INTO entries (n, account_id, note) SELECT g, 1 + g % 10, 'x' || g"
        " FROM generate_series(1, 3000) g;"
    )
    return database


def columns(db: Database, table: str) -> list[tuple[Any, ...]]:
    return db.execute(
        "SELECT attname, format_type(atttypid, atttypmod), attnotnull, pg_get_expr(adbin, adrelid)"
        " FROM pg_attribute LEFT JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum"
        " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attname",
        (table,),
    )


def definitions(db: Database, table: str) -> list[tuple[Any, ...]]:
    return db.execute(
        "SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint"
        " WHERE conrelid = %s::regclass UNION ALL"
        " SELECT c.relname, pg_get_indexdef(i.indexrelid), i.indisvalid FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass ORDER BY 1, 2",
        (table, table),
    )


def test_alter_column_type_online_moves_everything_and_back(ledger: Database) -> None:
    before_columns, before_definitions = columns(ledger, "entries"), definitions(ledger, "entries")
    with migration(ledger) as op:
        for name in ("n", "id", "account_id"):
            op.alter_column_type_online(
                "entries", name, sa.BigInteger(), existing_type=sa.Integer()
            )
    assert [(c[0], c[1]) for c in columns(ledger, "entries")] == [
        ("account_id", "bigint"),
        ("id", "bigint"),
        ("n", "bigint"),
        ("note", "text"),
    ]
    assert [(c[0], c[2], c[3]) for c in columns(ledger, "entries")] == [
        (c[0], c[2], c[3]) for c in before_columns
    ]
    assert [(d[0], d[2]) for d in definitions(ledger, "entries")] == [
        (d[0], d[2]) for d in before_definitions
    ]
    assert (
        ledger.scalar(
            "SELECT col_description('entries'::regclass, "
            "(SELECT attnum FROM pg_attribute WHERE attrelid = 'entries'::regclass "
            "AND attname = 'n'))"
        )
        == "a counter"
    )
    assert (
        ledger.scalar(
            "SELECT seqtypid::regtype::text FROM pg_sequence WHERE seqrelid = 'entries_id_seq'::regclass"
        )
        == "bigint"
    )
    assert (
        ledger.scalar("SELECT pg_get_serial_sequence('entries', 'id')") == "public.entries_id_seq"
    )
    assert ledger.scalar("SELECT sum(n) FROM entries") == 3000 * 3001 // 2
    ledger.execute("INSERT INTO entries (n, account_id, note) VALUES (7, 2, 'after')")
    assert ledger.scalar("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'entries'::regclass") == 2
    with migration(ledger) as op:  # and back again, through reverse()
        forward = AlterColumnTypeOnlineOp(
            "entries", "n", type_=sa.BigInteger(), existing_type=sa.Integer()
        )
        op.invoke(forward.reverse())
    assert columns(ledger, "entries")[2][:2] == ("n", "integer")
    assert definitions(ledger, "entries") == before_definitions


def test_alter_column_type_online_is_idempotent_and_resumes(
    ledger: Database, caplog: pytest.LogCaptureFixture
) -> None:
    from alembic_safe.operations._retype import Retype

    caplog.set_level(logging.INFO, logger="alembic_safe.operations")
    # what a run interrupted during its backfill leaves: the shadow column, half filled
    ledger.execute(Retype(None, "entries", "n", "BIGINT").prepare())
    ledger.execute("UPDATE entries SET note = note WHERE id <= 1000")  # the trigger fills n_new
    assert ledger.scalar("SELECT count(*) FROM entries WHERE n_new IS NULL") == 2000
    with migration(ledger) as op:
        op.alter_column_type_online("entries", "n", sa.BigInteger(), existing_type=sa.Integer())
        op.alter_column_type_online("entries", "n", sa.BigInteger(), existing_type=sa.Integer())
    assert "backfill entries: 2000 rows to update, from id = 1001" in caplog.text
    assert "column entries.n is already bigint; nothing to do" in caplog.text
    assert [c for c in columns(ledger, "entries") if c[0] == "n"] == [("n", "bigint", True, "0")]
    assert ledger.scalar("SELECT sum(n) FROM entries") == 3000 * 3001 // 2


def test_alter_column_type_online_refuses_what_it_cannot_move(ledger: Database) -> None:
    ledger.execute("CREATE VIEW entry_numbers AS SELECT id, n FROM entries")
    ledger.execute("CREATE TABLE refs (entry_id int REFERENCES entries (id))")
    with pytest.raises(UnsafeMigrationError) as caught:  # noqa: SIM117
        with migration(ledger) as op:
            op.alter_column_type_online(
                "entries", "id", sa.BigInteger(), existing_type=sa.Integer()
            )
    text = caught.value.format_message()
    assert 'foreign key "refs_entry_id_fkey" of "refs" refers to it' in text
    assert "docs/operations.md#changing-a-column-type-by-hand" in text
    with pytest.raises(UnsafeMigrationError, match="a view or rule uses it"):  # noqa: SIM117
        with migration(ledger) as op:
            op.alter_column_type_online("entries", "n", sa.BigInteger(), existing_type=sa.Integer())
    assert [c[0] for c in columns(ledger, "entries")] == ["account_id", "id", "n", "note"]


def test_alter_column_type_online_keeps_reads_going(ledger: Database) -> None:
    """A reader during the whole change is never held up for long (no rewrite under lock)."""
    took: list[float] = []
    stop = threading.Event()

    def read() -> None:
        # no server-side prepared statements: a prepared SELECT of "n" fails once after any
        # type change ("cached plan must not change result type"), online or not
        with ledger.connect(autocommit=True, prepare_threshold=None) as reader:
            while not stop.is_set():
                started = time.monotonic()
                reader.execute("SELECT n FROM entries WHERE id = 17").fetchall()
                took.append(time.monotonic() - started)
                time.sleep(0.005)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    try:
        with migration(ledger) as op:
            op.alter_column_type_online("entries", "n", sa.BigInteger(), existing_type=sa.Integer())
    finally:
        stop.set()
        thread.join(10)
    assert took and max(took) < 1.0
