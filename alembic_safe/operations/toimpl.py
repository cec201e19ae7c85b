"""Implementations of the safe operations, online and offline.

Online, the non-transactional operations run in a :class:`~._session.Session` (each
statement its own transaction, lock waits bounded and retried).  Offline they write the
same statements, between the ``COMMIT;`` / ``BEGIN;`` of ``autocommit_block()``, so
``alembic upgrade --sql`` and the migration plan show exactly what runs.
"""

from __future__ import annotations

import time
from typing import Any

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column
from sqlalchemy import exc as sa_exc
from sqlalchemy.schema import CreateIndex, DropIndex
from sqlalchemy.types import NullType

from alembic_safe.capture.sqlparse import ACCESS_EXCLUSIVE, SHARE_ROW_EXCLUSIVE
from alembic_safe.checks import literal, regclass_literal
from alembic_safe.errors import MigrationFailed
from alembic_safe.lockwait import LockRequest
from alembic_safe.operations import _retype, _sql
from alembic_safe.operations._session import (
    Session,
    emit,
    lock_first,
    log,
    note_cleanup,
    outside_transaction,
)
from alembic_safe.operations.ops import (
    AddCheckConstraintNotValidOp,
    AddForeignKeyNotValidOp,
    AddNotNullOp,
    AddUniqueConstraintConcurrentlyOp,
    AlterColumnTypeOnlineOp,
    BackfillOp,
    CreateIndexConcurrentlyOp,
    DropIndexConcurrentlyOp,
    NoReverseOp,
    ValidateConstraintOp,
)

PROGRESS_EVERY = 5.0
"""Seconds between two progress lines of a backfill."""


def _display(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


# --------------------------------------------------------------------------- catalog reads


def _index_valid(session: Session, schema: str | None, name: str) -> bool | None:
    """True: a valid index; False: an INVALID one (a failed build); None: no such index."""
    value = session.scalar(
        "SELECT i.indisvalid FROM pg_catalog.pg_index i "
        f"WHERE i.indexrelid = to_regclass({regclass_literal(schema, name)})"
    )
    return None if value is None else bool(value)


def _constraint_exists(
    session: Session, schema: str | None, table: str, name: str, *, kind: str | None = None
) -> bool:
    """Whether the table has a constraint ``name`` (of ``pg_constraint.contype`` ``kind``).

    PostgreSQL 18 records NOT NULL as constraints too (``contype = 'n'``): asking for a
    CHECK by name must not find one of those.
    """
    of_kind = f" AND k.contype = {literal(kind)}" if kind else ""
    return bool(
        session.scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conrelid = "
            f"to_regclass({regclass_literal(schema, table)}) AND k.conname = {literal(name)}"
            f"{of_kind})"
        )
    )


def _column_not_null(session: Session, schema: str | None, table: str, column: str) -> bool | None:
    value = session.scalar(
        "SELECT a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = "
        f"to_regclass({regclass_literal(schema, table)}) AND a.attname = {literal(column)} "
        "AND a.attnum > 0 AND NOT a.attisdropped"
    )
    return None if value is None else bool(value)


def _column_type(session: Session, schema: str | None, table: str, column: str) -> str | None:
    value = session.scalar(
        "SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a "
        f"WHERE a.attrelid = to_regclass({regclass_literal(schema, table)}) "
        f"AND a.attname = {literal(column)} AND a.attnum > 0 AND NOT a.attisdropped"
    )
    return None if value is None else str(value)


# --------------------------------------------------------------------------- indexes


def _create_index_sql(context: MigrationContext, op: CreateIndexConcurrentlyOp) -> str:
    index = op.to_index(context)
    table = index.table
    assert table is not None
    for column in index.kwargs.get("postgresql_include") or ():
        if column not in table.c:  # INCLUDE columns need to exist on the stand-in table
            table.append_column(Column(column, NullType()))
    statement = CreateIndex(index, if_not_exists=bool(op.if_not_exists))
    return str(statement.compile(dialect=context.dialect)).strip()


def _drop_index_sql(schema: str | None, name: str, if_exists: bool) -> str:
    exists = "IF EXISTS " if if_exists else ""
    return f"DROP INDEX CONCURRENTLY {exists}{_sql.qualified(schema, name)}"


def build_index(
    session: Session, schema: str | None, name: str, sql: str, *, if_not_exists: bool
) -> None:
    """Run a ``CREATE INDEX CONCURRENTLY``: idempotent, never leaving an INVALID index."""
    shown = _display(schema, name)
    state = _index_valid(session, schema, name)
    if state is True and if_not_exists:
        log.info("index %s already exists and is valid; nothing to build", shown)
        return
    if state is False:
        log.warning("index %s is INVALID (an earlier build failed); dropping it first", shown)
        session.run(_drop_index_sql(schema, name, True), what=f"drop invalid index {shown}")

    def drop_invalid(error: BaseException) -> None:
        try:
            if _index_valid(session, schema, name) is False:
                log.warning("the build of index %s failed; dropping the INVALID index", shown)
                session.run(_drop_index_sql(schema, name, True), what=f"drop invalid index {shown}")
        except sa_exc.DBAPIError as cleanup_error:
            raise MigrationFailed(
                f"Building index {shown} failed ({_first_line(error)}), and the INVALID "
                f"index it left could not be dropped ({_first_line(cleanup_error)}).",
                hint=f"Drop it once the blocking sessions are gone: "
                f"{_drop_index_sql(schema, name, True)}; then run the migration again.",
            ) from error

    started = time.monotonic()
    try:
        session.run(sql, what=f"create index {shown}", long_running=True, on_failure=drop_invalid)
    except KeyboardInterrupt as interrupt:
        if _drop_invalid_after_interrupt(session, schema, name):
            note_cleanup(interrupt, _display(schema, name))
        raise
    if _index_valid(session, schema, name) is not True:
        raise MigrationFailed(
            f"Index {shown} is not valid after CREATE INDEX CONCURRENTLY (another session "
            "built it at the same time, or a relation of that name is not an index).",
            hint=f"Inspect it (\\d {shown} in psql), drop it if it is INVALID: "
            f"{_drop_index_sql(schema, name, True)}; then run the migration again.",
        )
    log.info("index %s built concurrently in %.1f s", shown, time.monotonic() - started)


def _drop_invalid_after_interrupt(session: Session, schema: str | None, name: str) -> bool:
    """Ctrl-C stopped a concurrent build: drop the INVALID index it left, on a fresh session.

    The interrupted session may be broken; a new connection waits at most ``lock_timeout``
    for the drop, and says what to run by hand when it cannot.  Returns whether it dropped one.
    """
    shown = _display(schema, name)
    sql = _drop_index_sql(schema, name, True)
    check = (
        "SELECT NOT x.indisvalid FROM pg_catalog.pg_index x "
        f"WHERE x.indexrelid = to_regclass({regclass_literal(schema, name)})"
    )
    try:
        with session.connection.engine.connect() as opened:
            fresh = opened.execution_options(isolation_level="AUTOCOMMIT")
            fresh.exec_driver_sql(
                f"SET lock_timeout = '{round(session.settings.lock_timeout_max * 1000)}ms'"
            )
            if fresh.exec_driver_sql(check).scalar():
                fresh.exec_driver_sql(sql)
                log.warning("interrupted: dropped the INVALID index %s the build left", shown)
                return True
    except sa_exc.SQLAlchemyError as exc:
        log.warning(
            "interrupted: the INVALID index %s could not be dropped (%s); run %s",
            shown,
            _first_line(exc),
            sql,
        )
    return False


def _first_line(error: BaseException) -> str:
    orig = getattr(error, "orig", None)
    text = str(orig if orig is not None else error).strip()
    return text.splitlines()[0] if text else type(error).__name__


@Operations.implementation_for(CreateIndexConcurrentlyOp)
def create_index_concurrently(operations: Operations, op: CreateIndexConcurrentlyOp) -> None:
    context = operations.migration_context
    sql = _create_index_sql(context, op)
    with outside_transaction(operations, "create_index_concurrently") as session:
        if session is None:
            emit(context, sql)
            return
        assert op.index_name is not None
        build_index(
            session, op.schema, str(op.index_name), sql, if_not_exists=bool(op.if_not_exists)
        )


@Operations.implementation_for(DropIndexConcurrentlyOp)
def drop_index_concurrently(operations: Operations, op: DropIndexConcurrentlyOp) -> None:
    context = operations.migration_context
    index = op.to_index(context)
    sql = str(DropIndex(index, if_exists=bool(op.if_exists)).compile(dialect=context.dialect))
    with outside_transaction(operations, "drop_index_concurrently") as session:
        if session is None:
            emit(context, sql)
            return
        shown = _display(op.schema, str(op.index_name))
        session.run(sql, what=f"drop index {shown}")
        log.info("index %s dropped concurrently", shown)


# --------------------------------------------------------------------------- constraints


@Operations.implementation_for(AddForeignKeyNotValidOp)
@Operations.implementation_for(AddCheckConstraintNotValidOp)
def add_constraint_not_valid(
    operations: Operations, op: AddForeignKeyNotValidOp | AddCheckConstraintNotValidOp
) -> None:
    if isinstance(op, AddForeignKeyNotValidOp):
        mode = SHARE_ROW_EXCLUSIVE
        tables = [
            _display(op.kw.get("source_schema"), op.source_table),
            _display(op.kw.get("referent_schema"), op.referent_table),
        ]
    else:
        mode, tables = ACCESS_EXCLUSIVE, [_display(op.schema, op.table_name)]
    lock_first(
        operations,
        [LockRequest(table, mode) for table in tables],
        what=f"add constraint {op.constraint_name}",
    )
    operations.impl.add_constraint(op.to_constraint(operations.migration_context))


def _validate_sql(schema: str | None, table: str, name: str) -> str:
    return f"ALTER TABLE {_sql.qualified(schema, table)} VALIDATE CONSTRAINT {_sql.ident(name)}"


@Operations.implementation_for(ValidateConstraintOp)
def validate_constraint(operations: Operations, op: ValidateConstraintOp) -> None:
    context = operations.migration_context
    sql = _validate_sql(op.schema, op.table_name, op.constraint_name)
    with outside_transaction(operations, "validate_constraint") as session:
        if session is None:
            emit(context, sql)
            return
        started = time.monotonic()
        session.run(sql, what=f"validate {op.constraint_name}", long_running=True)
        log.info(
            "constraint %s on %s validated in %.1f s",
            op.constraint_name,
            _display(op.schema, op.table_name),
            time.monotonic() - started,
        )


@Operations.implementation_for(AddNotNullOp)
def add_not_null(operations: Operations, op: AddNotNullOp) -> None:
    context = operations.migration_context
    table = _sql.qualified(op.schema, op.table_name)
    column = _sql.ident(op.column_name)
    check = _sql.not_null_check_name(op.table_name, op.column_name)
    add = (
        f"ALTER TABLE {table} ADD CONSTRAINT {_sql.ident(check)} "
        f"CHECK ({column} IS NOT NULL) NOT VALID"
    )
    validate = _validate_sql(op.schema, op.table_name, check)
    set_not_null = f"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL"
    drop = f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {_sql.ident(check)}"
    shown = f"{_display(op.schema, op.table_name)}.{op.column_name}"
    with outside_transaction(operations, "add_not_null") as session:
        if session is None:
            for sql in (add, validate, set_not_null, drop):
                emit(context, sql)
            return
        has_check = _constraint_exists(session, op.schema, op.table_name, check, kind="c")
        if _column_not_null(session, op.schema, op.table_name, op.column_name):
            log.info("column %s is already NOT NULL; nothing to do", shown)
            if has_check:
                session.run(drop, what=f"drop leftover check {check}")
            return
        if not has_check:
            session.run(add, what=f"add check {check}")
        try:
            started = time.monotonic()
            session.run(validate, what=f"validate {check}", long_running=True)
        except sa_exc.DBAPIError:
            # keep the table as it was: a NOT VALID check would already refuse new NULLs
            log.warning("%s has NULL values; removing the check %s again", shown, check)
            session.run(drop, what=f"drop check {check}")
            raise
        log.info("no NULL in %s (validated in %.1f s)", shown, time.monotonic() - started)
        version = session.scalar("SELECT current_setting('server_version_num')::int")
        if version is not None and int(version) < 120000:
            log.warning(
                "PostgreSQL %s does not use the CHECK constraint for SET NOT NULL: "
                "it scans %s again under ACCESS EXCLUSIVE",
                version,
                _display(op.schema, op.table_name),
            )
        session.run(set_not_null, what=f"set not null on {shown}")
        session.run(drop, what=f"drop check {check}")
        log.info("column %s is NOT NULL", shown)


@Operations.implementation_for(AddUniqueConstraintConcurrentlyOp)
def add_unique_constraint_concurrently(
    operations: Operations, op: AddUniqueConstraintConcurrentlyOp
) -> None:
    context = operations.migration_context
    name = str(op.constraint_name)
    table = _sql.qualified(op.schema, op.table_name)
    index_sql = (
        f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {_sql.ident(name)} "
        f"ON {table} ({_sql.column_list([str(c) for c in op.columns])})"
    )
    attach = f"ALTER TABLE {table} ADD CONSTRAINT {_sql.ident(name)} UNIQUE USING INDEX {_sql.ident(name)}"
    if op.kw.get("deferrable") is not None:
        attach += " DEFERRABLE" if op.kw["deferrable"] else " NOT DEFERRABLE"
    if op.kw.get("initially"):
        attach += f" INITIALLY {op.kw['initially']}"
    with outside_transaction(operations, "add_unique_constraint_concurrently") as session:
        if session is None:
            emit(context, index_sql)
            emit(context, attach)
            return
        if _constraint_exists(session, op.schema, op.table_name, name):
            log.info("constraint %s on %s already exists; nothing to do", name, table)
            return
        build_index(session, op.schema, name, index_sql, if_not_exists=True)
        session.run(attach, what=f"attach unique index {name}")
        log.info("unique constraint %s added on %s", name, _display(op.schema, op.table_name))


# --------------------------------------------------------------------------- backfill


@Operations.implementation_for(BackfillOp)
def backfill(operations: Operations, op: BackfillOp) -> None:
    context = operations.migration_context
    with outside_transaction(operations, "backfill") as session:
        if session is None:
            emit(
                context,
                _sql.backfill_do_block(
                    op.schema,
                    op.table_name,
                    values=op.values,
                    where=op.where,
                    key=op.key,
                    batch_size=op.batch_size,
                ),
            )
            return
        _run_backfill(session, op)


BATCH_GROWTH = 2.0
"""From one batch to the next, the size at most doubles or halves."""
MAX_BATCH = 100_000
SKIP_LOCKED_PASSES = 3
"""Passes that skip rows other sessions have locked, before one that waits for them."""


def next_batch_size(size: int, rows: int, seconds: float, target: float) -> int:
    """The batch size that should take ``target`` seconds, after ``rows`` took ``seconds``."""
    if target <= 0 or rows <= 0:
        return size
    ideal = rows * target / max(seconds, 1e-4)
    bounded = min(max(ideal, size / BATCH_GROWTH), size * BATCH_GROWTH)
    return max(1, min(MAX_BATCH, round(bounded)))


class _Progress:
    """Rows done, rate and time left of one backfill, logged every :data:`PROGRESS_EVERY` s."""

    def __init__(self, shown: str, total: int) -> None:
        self.shown = shown
        self.total = total
        self.done = 0
        self.batches = 0
        self.longest = 0.0
        self.started = self.reported = time.monotonic()

    def add(self, rows: int, seconds: float, size: int, last: str, key: str) -> None:
        self.done += rows
        self.batches += 1
        self.longest = max(self.longest, seconds)
        now = time.monotonic()
        if self.batches > 1 and now - self.reported < PROGRESS_EVERY:
            return
        self.reported = now
        rate = self.done / max(now - self.started, 1e-6)
        left = max(self.total - self.done, 0)
        share = min(self.done / self.total, 1.0) if self.total else 1.0
        log.info(
            "backfill %s: %d of %d rows (%.0f%%), %.0f rows/s, about %s left; "
            "up to %s = %s, next batch %d rows",
            self.shown,
            self.done,
            self.total,
            share * 100,
            rate,
            _format_seconds(left / rate if rate > 0 else 0.0),
            key,
            last,
            size,
        )


def _format_seconds(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def _run_backfill(session: Session, op: BackfillOp) -> None:
    shown = _display(op.schema, op.table_name)
    key_type = _column_type(session, op.schema, op.table_name, op.key)
    if key_type is None:
        raise ValueError(
            f"backfill({op.table_name!r}): the table has no column {op.key!r} to walk it by "
            "(or the table does not exist). Pass key= with its primary key column."
        )
    target = op.batch_time if op.batch_time is not None else session.settings.backfill_batch_time
    remaining = _sql.backfill_remaining(
        op.schema, op.table_name, values=op.values, where=op.where, key=op.key
    )
    row = session.query(remaining)
    assert row is not None
    total, first = int(row[0]), row[1]
    if total == 0:
        log.info("backfill %s: no row needs the change; nothing to do", shown)
        return
    log.info(
        "backfill %s: %d rows to update, from %s = %s; batches sized to about %.0f ms",
        shown,
        total,
        op.key,
        first,
        target * 1000,
    )
    key = _sql.ident(op.key)
    progress = _Progress(shown, total)
    size = op.batch_size
    explicit = op.where is not None  # the condition says which rows are left: passes can repeat
    passes = 0
    while first is not None:
        passes += 1
        skip = explicit and passes <= SKIP_LOCKED_PASSES
        last: str | None = None
        while True:
            after = (
                f"{key} >= {literal(str(first))}::{key_type}"
                if last is None
                else f"{key} > {literal(last)}::{key_type}"
            )
            sql = _sql.backfill_batch(
                op.schema,
                op.table_name,
                values=op.values,
                where=op.where,
                key=op.key,
                batch_size=size,
                after=after,
                as_text=True,
                skip_locked=skip,
            )
            started = time.monotonic()
            row = session.run(sql, what=f"backfill {shown}")
            seconds = time.monotonic() - started
            count = int(row[0]) if row is not None else 0
            if count == 0:
                break
            assert row is not None
            last = str(row[1])
            size = next_batch_size(size, count, seconds, target)
            progress.add(count, seconds, size, last, op.key)
            if op.pause:
                time.sleep(op.pause)
        if not explicit or passes > SKIP_LOCKED_PASSES:
            break
        row = session.query(remaining)
        assert row is not None
        left, first = int(row[0]), row[1]
        if left and passes < SKIP_LOCKED_PASSES:
            log.info(
                "backfill %s: %d rows were locked by other sessions; another pass", shown, left
            )
        elif left:
            log.info("backfill %s: %d rows still locked; a last pass waits for them", shown, left)
    log.info(
        "backfill %s: done, %d rows updated in %d batches (%.1f s, longest batch %.0f ms)",
        shown,
        progress.done,
        progress.batches,
        time.monotonic() - progress.started,
        progress.longest * 1000,
    )


# --------------------------------------------------------------------------- type change


def _type_sql(context: MigrationContext, type_: Any) -> str:
    if isinstance(type_, type):
        type_ = type_()
    return str(type_.compile(dialect=context.dialect))


@Operations.implementation_for(AlterColumnTypeOnlineOp)
def alter_column_type_online(operations: Operations, op: AlterColumnTypeOnlineOp) -> None:
    context = operations.migration_context
    retype = _retype.Retype(
        op.schema, op.table_name, op.column_name, _type_sql(context, op.modify_type), op.using
    )
    with outside_transaction(operations, "alter_column_type_online") as session:
        if session is None:
            _emit_retype(context, op, retype)
            return
        _run_retype(session, op, retype)


def _emit_retype(
    context: MigrationContext, op: AlterColumnTypeOnlineOp, retype: _retype.Retype
) -> None:
    """The offline script: what can be known without the catalog."""
    for sql in retype.prepare().split(";\n"):
        emit(context, sql)
    key = op.key or "id"
    emit(
        context,
        _sql.backfill_do_block(
            op.schema,
            op.table_name,
            values={retype.shadow: retype.value()},
            where=retype.backfill_where(),
            key=key,
            batch_size=1000,
        ),
    )
    not_null = op.existing_nullable is False
    if not_null:
        name, sql = retype.not_null_check()
        emit(context, sql)
        emit(context, _validate_sql(op.schema, op.table_name, name))
    emit(
        context,
        f"-- indexes and constraints on {op.column_name} are rebuilt on {retype.shadow} "
        "online, from the catalog (CREATE INDEX CONCURRENTLY, NOT VALID + VALIDATE)",
    )
    facts = _retype.Facts(op.schema, op.table_name, op.column_name, "", not_null, None, None)
    drop = f"ALTER TABLE {retype.target} DROP COLUMN {_sql.ident(op.column_name)}"
    for statement in retype.swap(facts).split(";\n"):
        if statement == drop:  # a change of type, not a loss of data: the values are kept
            emit(
                context, f"-- {statement} (its values were copied to {retype.shadow}, renamed next)"
            )
        else:
            emit(context, statement)


def _run_retype(session: Session, op: AlterColumnTypeOnlineOp, retype: _retype.Retype) -> None:
    shown = f"{_display(op.schema, op.table_name)}.{op.column_name}"
    facts = _retype.inspect(session.rows, op.schema, op.table_name, op.column_name)
    if facts is None:
        raise MigrationFailed(
            f"alter_column_type_online: column {shown} does not exist.",
            hint="Check the table and column names (and schema=).",
        )
    shadow = _column_type(session, op.schema, op.table_name, retype.shadow)
    ours = bool(
        session.scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = "
            f"to_regclass({regclass_literal(op.schema, op.table_name)}) "
            f"AND tgname = {literal(retype.trigger)})"
        )
    )
    if shadow is None and _retype.same_type(facts.type, retype.new_type):
        log.info("column %s is already %s; nothing to do", shown, facts.type)
        return
    if shadow is not None and not ours:
        raise MigrationFailed(
            f"alter_column_type_online: {_display(op.schema, op.table_name)} already has a "
            f'column "{retype.shadow}" that this operation did not add.',
            hint="Rename or drop that column first; the operation needs the name for its "
            "shadow column.",
        )
    if facts.blockers:
        raise _retype.refusal(facts, retype.new_type)
    key = op.key or (facts.primary_key[0] if len(facts.primary_key) == 1 else None)
    if key is None:
        raise MigrationFailed(
            f"alter_column_type_online: {_display(op.schema, op.table_name)} has no "
            "single-column primary key to walk the backfill by.",
            hint="Pass key= with a unique, ordered column of the table.",
        )
    started = time.monotonic()
    log.info(
        "%s -> %s online: shadow column %s and its trigger", shown, retype.new_type, retype.shadow
    )
    session.run(retype.prepare(), what=f"add shadow column {retype.shadow}")
    _run_backfill(
        session,
        BackfillOp(
            op.table_name,
            values={retype.shadow: retype.value()},
            where=retype.backfill_where(),
            key=key,
            schema=op.schema,
        ),
    )
    if facts.not_null:
        name, sql = retype.not_null_check()
        if not _constraint_exists(session, op.schema, op.table_name, name):
            session.run(sql, what=f"add check {name}")
        session.run(
            _validate_sql(op.schema, op.table_name, name),
            what=f"validate {name}",
            long_running=True,
        )
    for kind, name, sql in retype.builds(facts):
        if kind in ("index", "unique", "primary key"):
            build_index(session, op.schema, name, sql, if_not_exists=True)
            continue
        if not _constraint_exists(session, op.schema, op.table_name, name):
            session.run(sql, what=f"add {kind} {name}")
        session.run(
            _validate_sql(op.schema, op.table_name, name),
            what=f"validate {name}",
            long_running=True,
        )
    session.run(retype.swap(facts), what=f"swap {shown}")
    log.info(
        "column %s is %s (%d dependents moved) in %.1f s",
        shown,
        retype.new_type,
        len(facts.dependents),
        time.monotonic() - started,
    )


@Operations.implementation_for(NoReverseOp)
def no_reverse(operations: Operations, op: NoReverseOp) -> None:
    """Nothing to do: the operation this reverses left nothing to undo."""
