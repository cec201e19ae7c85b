"""The migration plan: what a revision's ``upgrade()`` or ``downgrade()`` does, without a database.

:func:`capture` runs the function under an offline PostgreSQL ``MigrationContext`` whose
``Operations`` object records every top-level :class:`~alembic.operations.ops.MigrateOperation`
with the SQL it renders, the line of the revision file it came from, and whether it ran
inside the migration transaction.  Raw SQL (``op.execute``, ``op.get_bind().execute``) is
parsed with pglast, multi-statement strings included.

Data migrations need care: offline, ``op.get_bind()`` returns a recording connection that
captures the statements a revision sends and its ``commit()`` calls, but cannot return rows.
When a revision reads query results (or reflects the live schema), capture stops there
and the plan is marked :attr:`Plan.needs_database`; everything before it is kept.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from types import FrameType
from typing import Any

import alembic.op as alembic_op
from alembic.operations import Operations
from alembic.operations import ops as alembic_ops
from alembic.runtime.migration import MigrationContext
from alembic.script import Script
from sqlalchemy import exc as sa_exc
from sqlalchemy import types as sa_types
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import TextClause

from alembic_safe.analysis import types as _types
from alembic_safe.capture.sqlparse import Statement, parse
from alembic_safe.errors import NeedsDatabase

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class TypeChange:
    """A column type change with what is known of the old type."""

    table: str
    column: str
    new_type: str
    old_type: str | None
    kind: _types.TypeChange
    reason: str


@dataclass
class Step:
    """One operation of a plan and the SQL it emits."""

    index: int
    name: str
    """Operation name (``add_column``), ``execute`` for raw SQL, ``get_bind().execute``..."""
    op: alembic_ops.MigrateOperation | None
    lineno: int | None
    in_transaction: bool
    sql_chunks: list[str] = field(default_factory=list)
    statements: tuple[Statement, ...] = ()
    tables: tuple[str, ...] = ()
    destructive: str | None = None
    type_changes: tuple[TypeChange, ...] = ()

    @property
    def sql(self) -> str:
        return "\n".join(self.sql_chunks)

    @property
    def transactional(self) -> bool:
        """False when the step must run outside a transaction block (CONCURRENTLY...)."""
        return all(s.transactional for s in self.statements)

    def describe(self) -> str:
        where = f"line {self.lineno}" if self.lineno else "unknown line"
        work = [s for s in self.statements if not s.transaction_control] or list(self.statements)
        first = work[0].text.splitlines()[0] if work else self.name
        return f"{self.name} ({where}): {first[:120]}"


@dataclass
class Plan:
    """Steps of one revision in one direction."""

    revision: str
    direction: str
    path: str
    steps: list[Step] = field(default_factory=list)
    missing: bool = False
    """The module has no such function."""
    not_implemented: bool = False
    """The function raised NotImplementedError."""
    needs_database: str | None = None
    """Why capture stopped early because only a live database can answer."""
    error: str | None = None
    """Why capture stopped early for another reason (an exception in the revision)."""
    error_lineno: int | None = None

    @property
    def complete(self) -> bool:
        return not (self.needs_database or self.error or self.not_implemented)

    @property
    def sql(self) -> str:
        return "\n".join(chunk for step in self.steps for chunk in step.sql_chunks)

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for step in self.steps for t in step.tables))

    @property
    def destructive_steps(self) -> list[Step]:
        return [s for s in self.steps if s.destructive]

    @property
    def has_non_transactional_steps(self) -> bool:
        return any(not s.in_transaction or not s.transactional for s in self.steps)

    def status(self) -> str:
        """One line on how complete the capture is."""
        if self.needs_database:
            return f"needs a database: {self.needs_database}"
        if self.error:
            return f"capture stopped: {self.error}"
        if self.not_implemented:
            return f"{self.direction}() raises NotImplementedError"
        if self.missing:
            return f"no {self.direction}() function"
        return "complete"


# --------------------------------------------------------------------------- tables of ops


def _qualify(schema: str | None, name: str | None) -> str | None:
    if not name:
        return None
    return f"{schema}.{name}" if schema else name


def op_tables(op: alembic_ops.MigrateOperation) -> tuple[str, ...]:
    """Tables an Alembic operation touches, as ``schema.table`` or ``table``."""
    schema = getattr(op, "schema", None)
    names: list[str | None] = []
    if isinstance(op, alembic_ops.CreateForeignKeyOp):
        names.append(_qualify(schema, op.source_table))
        names.append(_qualify(op.kw.get("referent_schema"), op.referent_table))
    elif isinstance(op, alembic_ops.RenameTableOp):
        names.append(_qualify(schema, op.table_name))
    elif isinstance(op, alembic_ops.BulkInsertOp):
        table = op.table
        names.append(_qualify(getattr(table, "schema", None), getattr(table, "name", None)))
    else:
        for attr in ("table_name", "source_table"):
            value = getattr(op, attr, None)
            if isinstance(value, str):
                names.append(_qualify(schema, value))
                break
    return tuple(n for n in names if n)


def _compile_type(type_: Any) -> str | None:
    if type_ is None:
        return None
    if isinstance(type_, type):
        type_ = type_()
    if isinstance(type_, sa_types.TypeEngine):
        try:
            return str(type_.compile(dialect=_DIALECT))
        except Exception:  # some user types only compile against a live dialect
            return repr(type_)
    return str(type_)


def _op_type_changes(op: alembic_ops.MigrateOperation) -> list[TypeChange]:
    if not isinstance(op, alembic_ops.AlterColumnOp) or op.modify_type is None:
        return []
    new = _compile_type(op.modify_type) or "?"
    old = _compile_type(op.existing_type)
    table = _qualify(op.schema, op.table_name) or op.table_name
    if old is None:
        return [TypeChange(table, op.column_name, new, None, _types.TypeChange.UNKNOWN, "")]
    kind, reason = _types.classify(old, new)
    return [TypeChange(table, op.column_name, new, old, kind, reason)]


def finish_step(step: Step) -> None:
    """Parse the step's SQL and derive tables, type changes and destructiveness."""
    step.statements = tuple(s for chunk in step.sql_chunks for s in parse(chunk))
    tables = list(op_tables(step.op)) if step.op is not None else []
    for statement in step.statements:
        tables.extend(statement.tables)
    step.tables = tuple(dict.fromkeys(t for t in tables if t))
    changes = _op_type_changes(step.op) if step.op is not None else []
    if not changes:
        for statement in step.statements:
            changes.extend(
                TypeChange(
                    spec.table, spec.column, spec.new_type, None, _types.TypeChange.UNKNOWN, ""
                )
                for spec in statement.type_changes
            )
    step.type_changes = tuple(changes)
    reasons = [s.destructive for s in step.statements if s.destructive]
    for change in changes:
        if change.kind is _types.TypeChange.NARROWING:
            reasons.append(f'narrows "{change.table}"."{change.column}": {change.reason}')
    step.destructive = "; ".join(dict.fromkeys(reasons)) or None


# --------------------------------------------------------------------------- capture


class _Recorder:
    """Output buffer of the offline context: attributes each statement to the current step."""

    def __init__(self, path: str) -> None:
        self.path = _real(path)
        self.steps: list[Step] = []
        self.current: Step | None = None
        self.depth = 0
        self.in_transaction = False
        self._placed: set[int] = set()

    # file-like protocol used by MigrationContext.impl.static_output
    def write(self, text: str) -> int:
        chunk = text.strip()
        if not chunk:
            return len(text)
        statement = chunk.rstrip(";").strip().upper()
        if self.current is None and statement in {"BEGIN", "COMMIT"}:
            # transaction demarcation emitted by the context itself (autocommit_block)
            self.in_transaction = statement == "BEGIN"
            return len(text)
        step = self.current
        if step is None:
            step = self._new_step("sql", None)
            step.sql_chunks.append(chunk)
            finish_step(step)
            name = step.statements[0].tag.lower() if step.statements else "sql"
            step.name = f"sql: {name}"
        else:
            step.sql_chunks.append(chunk)
        for part in parse(chunk):
            if part.transaction_control in {"COMMIT", "ROLLBACK", "END", "ABORT"}:
                self.in_transaction = False
            elif part.transaction_control in {"BEGIN", "START"}:
                self.in_transaction = True
            elif step.index not in self._placed:
                # an operation that leaves the transaction itself (autocommit_block) runs
                # its first real statement outside it
                self._placed.add(step.index)
                step.in_transaction = self.in_transaction
        return len(text)

    def flush(self) -> None:
        pass

    def lineno(self) -> int | None:
        frame: FrameType | None = sys._getframe(1)
        while frame is not None:
            if _real(frame.f_code.co_filename) == self.path:
                return frame.f_lineno
            frame = frame.f_back
        return None

    def _new_step(self, name: str, op: alembic_ops.MigrateOperation | None) -> Step:
        step = Step(
            index=len(self.steps),
            name=name,
            op=op,
            lineno=self.lineno(),
            in_transaction=self.in_transaction,
        )
        self.steps.append(step)
        return step

    @contextlib.contextmanager
    def step(self, name: str, op: alembic_ops.MigrateOperation | None) -> Iterator[None]:
        self.depth += 1
        started = self.depth == 1
        if started:
            self.current = self._new_step(name, op)
        try:
            yield
        finally:
            self.depth -= 1
            if started:
                assert self.current is not None
                finish_step(self.current)
                self.current = None


@lru_cache(maxsize=256)
def _real(path: str) -> str:
    return os.path.realpath(path)


def op_name(op: alembic_ops.MigrateOperation) -> str:
    """The ``op.<name>`` an operation object was created by (``AddColumnOp`` -> add_column)."""
    explicit = getattr(op, "_alembic_safe_name", None)
    if explicit:
        return str(explicit)
    name = type(op).__name__.removesuffix("Op")
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()
    return _OP_NAMES.get(snake, snake)


_OP_NAMES = {"execute_sql": "execute"}


class _OfflineResult:
    """What ``op.get_bind().execute()`` returns offline: no rows to read."""

    def __init__(self, statement: str) -> None:
        self._statement = statement

    def _refuse(self, what: str) -> NeedsDatabase:
        return NeedsDatabase(f"reads query results ({what}) of: {self._statement[:100]}")

    def __getattr__(self, name: str) -> Any:
        raise self._refuse(name)

    def __iter__(self) -> Iterator[Any]:
        raise self._refuse("iteration")


class _OfflineBind:
    """The recording stand-in for ``op.get_bind()`` during offline capture."""

    def __init__(self, mock: Any, recorder: _Recorder, context: MigrationContext) -> None:
        self._mock = mock
        self._recorder = recorder
        self._context = context
        self.dialect = mock.dialect

    def execute(self, statement: Any, parameters: Any = None, **_: Any) -> _OfflineResult:
        with self._recorder.step("get_bind().execute", None):
            if parameters:
                if isinstance(parameters, (list, tuple)):
                    raise NeedsDatabase("executes a statement with several parameter sets")
                if isinstance(statement, TextClause):
                    statement = statement.bindparams(**parameters)
                else:
                    statement = statement.params(**parameters)
            try:
                self._context.impl._exec(statement)
            except (sa_exc.CompileError, TypeError) as exc:
                raise NeedsDatabase(f"sends a statement that only renders online ({exc})") from None
        return _OfflineResult(str(statement))

    def exec_driver_sql(self, statement: str, parameters: Any = None, **_: Any) -> _OfflineResult:
        if parameters:
            raise NeedsDatabase("sends driver-level SQL with parameters")
        with self._recorder.step("get_bind().exec_driver_sql", None):
            self._context.impl.static_output(statement.strip() + ";")
        return _OfflineResult(statement)

    def commit(self) -> None:
        with self._recorder.step("get_bind().commit", None):
            self._context.impl.static_output("COMMIT;")

    def rollback(self) -> None:
        with self._recorder.step("get_bind().rollback", None):
            self._context.impl.static_output("ROLLBACK;")

    def in_transaction(self) -> bool:
        return self._recorder.in_transaction

    def execution_options(self, **_: Any) -> _OfflineBind:
        return self

    def connect(self) -> _OfflineBind:
        """Offline, the connection is its own engine (as Alembic's mock connection is)."""
        return self

    def __enter__(self) -> _OfflineBind:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    @contextlib.contextmanager
    def begin(self) -> Iterator[_OfflineBind]:
        yield self

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_run_ddl_visitor") or name in {"engine", "schema_for_object"}:
            return getattr(self._mock, name)
        raise NeedsDatabase(f"uses the live connection (connection.{name})")


@contextlib.contextmanager
def _installed(operations: Operations) -> Iterator[None]:
    """Bind ``alembic.op`` to ``operations``; put back whatever was bound before."""
    previous = getattr(alembic_op, "_proxy", None)
    operations._install_proxy()
    try:
        yield
    finally:
        operations._remove_proxy()
        if previous is not None:
            previous._install_proxy()


@contextlib.contextmanager
def _quiet_alembic() -> Iterator[None]:
    """The offline contexts of a capture are an implementation detail: keep their INFO lines out."""
    logger = logging.getLogger("alembic.runtime.migration")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _error_line(exc: BaseException, path: str) -> int | None:
    real = _real(path)
    lineno = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if _real(frame.filename) == real:
            lineno = frame.lineno
    return lineno


_SHARED: list[tuple[MigrationContext, Any]] = []


def _offline_context(recorder: _Recorder) -> tuple[MigrationContext, Any]:
    """The process's offline PostgreSQL context, writing to ``recorder``, and its mock connection.

    ``MigrationContext.configure`` builds a version ``Table`` and an impl each time, the
    largest fixed cost of a capture; offline the context keeps no state between runs of
    a function other than its output buffer and connection, which are reset here.
    """
    if not _SHARED:
        with _quiet_alembic():
            context = MigrationContext.configure(
                dialect_name="postgresql",
                opts={"as_sql": True, "output_buffer": recorder, "literal_binds": True},
            )
        _SHARED.append((context, context.connection))
    context, mock = _SHARED[0]
    context.output_buffer = context.impl.output_buffer = recorder  # type: ignore[assignment]
    context._transaction = None
    context.connection = context.impl.connection = mock
    return context, mock


def capture(script: Script, direction: str) -> Plan:
    """Record what ``script.module.<direction>()`` does, offline; never raises for the revision."""
    path = str(script.path)
    plan = Plan(revision=script.revision, direction=direction, path=path)
    function = getattr(script.module, direction, None)
    if not callable(function):
        plan.missing = True
        return plan
    recorder = _Recorder(path)
    context, mock = _offline_context(recorder)
    bind = _OfflineBind(mock, recorder, context)
    context.connection = context.impl.connection = bind  # type: ignore[assignment]
    operations = Operations(context)
    real_invoke = operations.invoke

    def invoke(operation: alembic_ops.MigrateOperation) -> Any:
        with recorder.step(op_name(operation), operation):
            return real_invoke(operation)

    operations.invoke = invoke  # type: ignore[method-assign]
    try:
        with _installed(operations), context.begin_transaction():
            recorder.in_transaction = True
            function()
    except NeedsDatabase as exc:
        plan.error_lineno = _error_line(exc, path)
        plan.needs_database = f"line {plan.error_lineno}: {exc.what}"
    except NotImplementedError:
        plan.not_implemented = True
    except (sa_exc.NoInspectionAvailable, sa_exc.UnboundExecutionError) as exc:
        plan.error_lineno = _error_line(exc, path)
        plan.needs_database = f"line {plan.error_lineno}: inspects the live database ({exc})"
    except Exception as exc:
        plan.error_lineno = _error_line(exc, path)
        plan.error = f"line {plan.error_lineno}: {type(exc).__name__}: {exc}"
    if recorder.current is not None:  # an exception left a step open
        finish_step(recorder.current)
    plan.steps = recorder.steps
    return plan
