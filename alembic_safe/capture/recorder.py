"""Offline capture: run a revision's ``upgrade()`` or ``downgrade()`` without a database.

:func:`capture` runs the function under an offline PostgreSQL ``MigrationContext`` whose
``Operations`` object records every top-level :class:`~alembic.operations.ops.MigrateOperation`
with the SQL it renders, the line of the revision file it came from, and whether it ran
inside the migration transaction.  Raw SQL (``op.execute``, ``op.get_bind().execute``) is
parsed with pglast, multi-statement strings included.  Alembic's ``context`` proxy is set up
as in a real offline run (``context.is_offline_mode()`` is true), so revisions that guard a
data fix with it are captured too.

Data migrations need care: offline, ``op.get_bind()`` returns a recording connection that
captures the statements a revision sends and its ``commit()`` calls, but cannot return rows.
When a revision reads query results (or reflects the live schema), capture stops there
and the plan is marked :attr:`~alembic_safe.capture.plan.Plan.needs_database`; everything
before it is kept.

:func:`collect_checks` runs ``preconditions()`` / ``verify()`` the same way and returns the
requirements they declare (``op.require_*``).
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import alembic.context as alembic_context
import alembic.op as alembic_op
from alembic.config import Config
from alembic.operations import Operations
from alembic.operations import ops as alembic_ops
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import Script
from sqlalchemy import exc as sa_exc
from sqlalchemy.sql.elements import TextClause

from alembic_safe.capture.plan import Plan, Step, finish_step, op_name
from alembic_safe.capture.sqlparse import parse
from alembic_safe.checks import COLLECTOR, Check
from alembic_safe.errors import NeedsDatabase
from alembic_safe.tracebacks import line_in, real_path, short


class _Recorder:
    """Output buffer of the offline context: attributes each statement to the current step."""

    def __init__(self, path: str) -> None:
        self.path = real_path(path)
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
            if real_path(frame.f_code.co_filename) == self.path:
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
    """Bind ``alembic.op`` and ``alembic.context`` as an offline run does; restore them after.

    The revision's own ``print()`` goes to standard error, so that what a command prints
    on standard output (``check --format json``) stays parseable.
    """
    previous_op = getattr(alembic_op, "_proxy", None)
    previous_context = getattr(alembic_context, "_proxy", None)
    environment = EnvironmentContext(Config(), None, as_sql=True)  # type: ignore[arg-type]
    environment._migration_context = operations.migration_context
    operations._install_proxy()
    environment._install_proxy()
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        environment._remove_proxy()
        operations._remove_proxy()
        if previous_op is not None:
            previous_op._install_proxy()
        if previous_context is not None:
            previous_context._install_proxy()


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
        plan.error_lineno = line_in(exc, path)
        plan.needs_database = f"line {plan.error_lineno}: {exc.what}"
    except NotImplementedError:
        plan.not_implemented = True
    except (sa_exc.NoInspectionAvailable, sa_exc.UnboundExecutionError) as exc:
        plan.error_lineno = line_in(exc, path)
        plan.needs_database = f"line {plan.error_lineno}: inspects the live database ({exc})"
    except Exception as exc:
        plan.error_lineno = line_in(exc, path)
        plan.error = f"line {plan.error_lineno}: {type(exc).__name__}: {exc}"
    if recorder.current is not None:  # an exception left a step open
        finish_step(recorder.current)
    plan.steps = recorder.steps
    return plan


def collect_checks(script: Script, name: str) -> tuple[list[Check], str | None]:
    """The requirements ``script.module.<name>()`` declares (``preconditions`` or ``verify``).

    Returns (checks, note): the note says why the function could not be read offline
    (it queries the database, for example); the checks collected until then are kept.
    """
    function: Callable[[], Any] | None = getattr(script.module, name, None)
    if not callable(function):
        return [], None
    recorder = _Recorder(str(script.path))
    context, _ = _offline_context(recorder)
    collected: list[Check] = []
    context.opts[COLLECTOR] = collected
    note = None
    try:
        with _installed(Operations(context)):
            function()
    except Exception as exc:  # e.g. it queries the database, which offline cannot answer
        note = f"{name}() needs a live database and is not rendered: {short(exc)}"
    finally:
        context.opts.pop(COLLECTOR, None)
    return [c.with_origin(f"{name}()") for c in collected], note
