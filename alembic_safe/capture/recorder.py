"""Offline capture: run a revision's ``upgrade()`` or ``downgrade()`` without a database.

:func:`capture` runs the function under an offline PostgreSQL ``MigrationContext`` whose
``Operations`` object records every top-level :class:`~alembic.operations.ops.MigrateOperation`
with the SQL it renders, the line of the revision file it came from, and whether it ran
inside the migration transaction.  Operations inside ``batch_alter_table`` are recorded one
by one at their own line (PostgreSQL alters the table in place).  Raw SQL (``op.execute``,
``op.get_bind().execute``) is parsed with pglast, multi-statement strings included.
Alembic's ``context`` proxy is set up as in a real offline run (``context.is_offline_mode()``
is true), so revisions that guard a data fix with it are captured as that run sees them.

Data migrations need care: offline, ``op.get_bind()`` returns a recording connection that
captures the statements a revision sends and its ``commit()`` calls, but cannot return rows.
Capture goes on past a database read wherever the code does not depend on the answer:
query results answer "no rows" (``fetchall()`` is empty, ``scalar()`` is None, ``rowcount``
is 0), ``sa.inspect(conn)`` answers "nothing there" (empty lists, ``has_table`` False), an
ORM ``Session`` bound to the connection finds no objects.  Each such read is kept in
:attr:`~alembic_safe.capture.plan.Plan.reads` (once per line) and the plan is not complete.
Where the code needs a real answer (``Table(..., autoload_with=conn)``, ``.one()``, indexing
into an empty result), capture stops and the plan is marked
:attr:`~alembic_safe.capture.plan.Plan.needs_database`; everything before it is kept.

:func:`collect_checks` runs ``preconditions()`` / ``verify()`` the same way and returns the
requirements they declare (``op.require_*``).  :func:`import_env_plugins` imports the
modules a project's env.py imports for their side effects (operation plugins such as
``op.sync_enum_values``), so that capture knows the operations Alembic would know.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import logging
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import alembic.context as alembic_context
import alembic.op as alembic_op
from alembic.config import Config
from alembic.operations import BatchOperations, Operations
from alembic.operations import ops as alembic_ops
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import Script
from sqlalchemy import event, inspection
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData
from sqlalchemy.sql.elements import TextClause

from alembic_safe.capture.plan import (
    INSPECTED_SCHEMA,
    READ_ROWS,
    USED_ORM_SESSION,
    Plan,
    Read,
    Step,
    finish_step,
    op_name,
    settle_new_objects,
    used_connection,
)
from alembic_safe.capture.sqlparse import parse
from alembic_safe.checks import COLLECTOR, Check
from alembic_safe.errors import NeedsDatabase
from alembic_safe.tracebacks import line_in, real_path, short

if TYPE_CHECKING:
    from sqlalchemy.orm import ORMExecuteState, Session


class _Unanswerable(NeedsDatabase):
    """Capture cannot go on: the code needs an answer only the database has."""

    def __init__(self, cause: str, detail: str = "") -> None:
        self.cause = cause
        self.detail = detail
        super().__init__(f"{cause} ({detail})" if detail else cause)


class _Recorder:
    """Output buffer of the offline context: attributes each statement to the current step."""

    def __init__(self, path: str) -> None:
        self.given = path
        self._real: str | None = None
        self.steps: list[Step] = []
        self.current: Step | None = None
        self.depth = 0
        self.in_transaction = False
        self._placed: set[int] = set()
        self.reads: list[Read] = []
        self._read_lines: set[int | None] = set()

    def read(self, cause: str, detail: str = "") -> None:
        """Note a read answered with a guess; one per line of the revision file."""
        line = self.lineno()
        if line not in self._read_lines:
            self._read_lines.add(line)
            self.reads.append(Read(line, cause, detail[:120]))

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

    @property
    def path(self) -> str:
        """The revision file's real path (resolved on first use: most frames match as given)."""
        if self._real is None:
            self._real = real_path(self.given)
        return self._real

    def lineno(self) -> int | None:
        frame: FrameType | None = sys._getframe(1)
        while frame is not None:
            filename = frame.f_code.co_filename
            if filename == self.given or real_path(filename) == self.path:
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
            began_in_transaction=self.in_transaction,
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


_NO_ROWS: tuple[Any, ...] = ()
_CATALOG = re.compile(r"\b(pg_catalog|information_schema)\.", re.IGNORECASE)


class _OfflineResult:
    """What ``op.get_bind().execute()`` returns offline: no rows, each read noted as a guess.

    The fetch methods answer as for an empty result; what needs a row (``one()``,
    ``inserted_primary_key``...) cannot be answered and stops capture.
    """

    def __init__(self, statement: str, recorder: _Recorder) -> None:
        self._statement = " ".join(statement.split())
        self._recorder = recorder
        catalog = _CATALOG.search(self._statement) and self._statement[:6].upper() == "SELECT"
        self._cause = INSPECTED_SCHEMA if catalog else READ_ROWS
        """A query of the system catalogs (``Inspector.from_engine(conn)`` sends them) is an
        inspection of the schema, like ``sa.inspect(conn)``."""

    def _read(self, what: str) -> None:
        self._recorder.read(self._cause, f"{what} of {self._statement[:80]}")

    def _refuse(self, what: str) -> _Unanswerable:
        return _Unanswerable(self._cause, f"{what} of {self._statement[:80]} needs a real row")

    def fetchall(self) -> list[Any]:
        self._read("fetchall()")
        return []

    def all(self) -> list[Any]:
        self._read("all()")
        return []

    def fetchmany(self, size: int | None = None) -> list[Any]:
        self._read("fetchmany()")
        return []

    def partitions(self, size: int | None = None) -> Iterator[list[Any]]:
        self._read("partitions()")
        return iter(())

    def fetchone(self) -> None:
        self._read("fetchone()")

    def first(self) -> None:
        self._read("first()")

    def one_or_none(self) -> None:
        self._read("one_or_none()")

    def scalar(self) -> None:
        self._read("scalar()")

    def scalar_one_or_none(self) -> None:
        self._read("scalar_one_or_none()")

    def one(self) -> Any:
        raise self._refuse("one()")

    def scalar_one(self) -> Any:
        raise self._refuse("scalar_one()")

    @property
    def rowcount(self) -> int:
        self._read("rowcount")
        return 0

    def keys(self) -> list[str]:
        self._read("keys()")
        return []

    def scalars(self, index: int = 0) -> _OfflineResult:
        return self

    def mappings(self) -> _OfflineResult:
        return self

    def tuples(self) -> _OfflineResult:
        return self

    def unique(self, strategy: Any = None) -> _OfflineResult:
        return self

    def columns(self, *columns: Any) -> _OfflineResult:
        return self

    def yield_per(self, size: int) -> _OfflineResult:
        return self

    def close(self) -> None:
        return None

    def __enter__(self) -> _OfflineResult:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def __iter__(self) -> Iterator[Any]:
        self._read("iteration")
        return iter(_NO_ROWS)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise self._refuse(name)


class _OfflineInspector:
    """What ``sa.inspect(op.get_bind())`` returns offline: a schema with nothing in it.

    Each question is answered with "nothing" (empty lists, ``has_table`` False) and noted
    as a guess; reflecting a table (``Table(..., autoload_with=conn)``) needs its real
    columns and stops capture.
    """

    def __init__(self, bind: _OfflineBind) -> None:
        self.bind = bind
        self.engine = bind
        self.dialect = bind.dialect
        self.info_cache: dict[Any, Any] = {}

    def _guess(self, question: str, answer: Any) -> Any:
        self.bind.recorder.read(INSPECTED_SCHEMA, question)
        return answer

    @contextlib.contextmanager
    def _inspection_context(self) -> Iterator[_OfflineInspector]:
        """MetaData.reflect() and Table(autoload_with=) enter this (as Inspector's own)."""
        yield self

    @property
    def default_schema_name(self) -> str:
        return str(self._guess("default_schema_name", "public"))

    def reflect_table(self, table: Any, *args: Any, **kwargs: Any) -> None:
        raise _Unanswerable(INSPECTED_SCHEMA, f'reflects the columns of "{table.name}"')

    def get_view_definition(self, view_name: str, schema: str | None = None, **_: Any) -> Any:
        raise _Unanswerable(INSPECTED_SCHEMA, f'reads the definition of view "{view_name}"')

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_get_reflection"):  # MetaData.reflect() loads what it found
            raise _Unanswerable(INSPECTED_SCHEMA, "reflects tables into a MetaData")
        if name.startswith("has_"):
            answer: Any = False
        elif name in {"get_pk_constraint"}:
            answer = {"constrained_columns": [], "name": None}
        elif name in {"get_table_comment"}:
            answer = {"text": None}
        elif name.startswith("get_multi_") or name == "get_table_options":
            answer = {}
        elif name.startswith("get_"):
            answer = []
        else:
            raise _Unanswerable(INSPECTED_SCHEMA, f"inspector.{name}")

        def ask(*args: Any, **_: Any) -> Any:
            subject = ", ".join(repr(a) for a in args if isinstance(a, str))
            return self._guess(f"{name}({subject})", type(answer)(answer))

        return ask


class _OfflineBind:
    """The recording stand-in for ``op.get_bind()`` during offline capture."""

    def __init__(self, mock: Any, recorder: _Recorder, context: MigrationContext) -> None:
        self._mock = mock
        self.recorder = recorder
        self._context = context
        self.dialect = mock.dialect
        self.info: dict[Any, Any] = {}
        self.closed = False
        self.invalidated = False

    def execute(self, statement: Any, parameters: Any = None, **_: Any) -> _OfflineResult:
        with self.recorder.step("get_bind().execute", None):
            if parameters:
                if isinstance(parameters, (list, tuple)):
                    raise _Unanswerable(
                        READ_ROWS, "executes a statement with several parameter sets"
                    )
                if isinstance(statement, TextClause):
                    statement = statement.bindparams(**parameters)
                else:
                    statement = statement.params(**parameters)
            try:
                self._context.impl._exec(statement)
            except (sa_exc.CompileError, TypeError) as exc:
                raise NeedsDatabase(f"sends a statement that only renders online ({exc})") from None
        return _OfflineResult(str(statement), self.recorder)

    def scalar(self, statement: Any, parameters: Any = None, **kw: Any) -> Any:
        return self.execute(statement, parameters, **kw).scalar()

    def scalars(self, statement: Any, parameters: Any = None, **kw: Any) -> _OfflineResult:
        return self.execute(statement, parameters, **kw).scalars()

    def exec_driver_sql(self, statement: str, parameters: Any = None, **_: Any) -> _OfflineResult:
        if parameters:
            raise NeedsDatabase("sends driver-level SQL with parameters")
        with self.recorder.step("get_bind().exec_driver_sql", None):
            self._context.impl.static_output(statement.strip() + ";")
        return _OfflineResult(statement, self.recorder)

    def commit(self) -> None:
        with self.recorder.step("get_bind().commit", None):
            self._context.impl.static_output("COMMIT;")

    def rollback(self) -> None:
        with self.recorder.step("get_bind().rollback", None):
            self._context.impl.static_output("ROLLBACK;")

    def in_transaction(self) -> bool:
        return self.recorder.in_transaction

    def execution_options(self, **_: Any) -> _OfflineBind:
        return self

    def connect(self) -> _OfflineBind:
        """Offline, the connection is its own engine (as Alembic's mock connection is)."""
        return self

    def close(self) -> None:
        """Closing the revision's connection is Alembic's business; nothing happens offline."""

    def __enter__(self) -> _OfflineBind:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    @contextlib.contextmanager
    def begin(self) -> Iterator[_OfflineBind]:
        yield self

    @contextlib.contextmanager
    def begin_nested(self) -> Iterator[_OfflineBind]:
        yield self

    def inspector(self) -> _OfflineInspector:
        return _OfflineInspector(self)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_run_ddl_visitor") or name in {"engine", "schema_for_object"}:
            return getattr(self._mock, name)
        if name.startswith("__"):
            raise AttributeError(name)
        raise _Unanswerable(used_connection(name))


# ``sa.inspect(conn)``, ``MetaData().reflect(conn)`` and ``Table(..., autoload_with=conn)``
# ask SQLAlchemy's inspection registry for the connection's inspector.
inspection._inspects(_OfflineBind)(_OfflineBind.inspector)


def _offline_bind(session: Session, arguments: dict[str, Any] | None = None) -> _OfflineBind | None:
    """The offline connection the session runs on, if it is one (``Session.get_bind()``)."""
    try:
        bind: object = session.get_bind(**(arguments or {}))
    except sa_exc.SQLAlchemyError:  # an unbound session: not ours
        return None
    return bind if isinstance(bind, _OfflineBind) else None


def _orm_execute(state: ORMExecuteState) -> Any:
    """An ORM session on the offline connection: queries find nothing, writes are recorded."""
    bind = _offline_bind(state.session, state.bind_arguments)
    if bind is None:
        return None
    statement = state.statement
    if state.is_select or (
        isinstance(statement, TextClause) and any(s.tag == "SELECT" for s in parse(statement.text))
    ):
        bind.recorder.read(USED_ORM_SESSION, "queries find no rows offline")
        return IteratorResult(SimpleResultMetaData([]), iter(_NO_ROWS))
    return bind.execute(statement, state.parameters or None)


def _orm_flush(session: Session, *_: Any) -> None:
    """New or changed objects need the database (generated keys, RETURNING): capture stops."""
    if _offline_bind(session) is not None and (session.new or session.dirty or session.deleted):
        raise _Unanswerable(USED_ORM_SESSION, "flushes objects, which needs the database")


_ORM_LISTENING: list[bool] = []


def _listen_to_orm_sessions() -> None:
    """Answer ORM sessions on the offline connection, once SQLAlchemy's ORM is imported.

    Only a revision that imports ``sqlalchemy.orm`` (itself or through the project's
    models) can open a session; until then the ORM is not imported at all.
    """
    if _ORM_LISTENING or "sqlalchemy.orm" not in sys.modules:
        return
    from sqlalchemy.orm import Session

    event.listen(Session, "do_orm_execute", _orm_execute)
    event.listen(Session, "before_flush", _orm_flush)
    _ORM_LISTENING.append(True)


def _record_steps(operations: Operations, recorder: _Recorder) -> None:
    """Make ``operations`` record each operation as a step, batch operations at their line.

    Alembic queues the operations of a ``batch_alter_table`` block and emits them when the
    block ends; PostgreSQL alters the table in place, so unless the block recreates the
    table each one is emitted as it is called (same order, same SQL), at its own line.
    """
    invoke = operations.invoke
    batch_alter_table = operations.batch_alter_table

    def recorded(operation: alembic_ops.MigrateOperation) -> Any:
        with recorder.step(op_name(operation), operation):
            return invoke(operation)

    @contextlib.contextmanager
    def batch(*args: Any, **kwargs: Any) -> Iterator[BatchOperations]:
        with batch_alter_table(*args, **kwargs) as batch_op:
            impl = batch_op.impl
            if getattr(impl, "recreate", "auto") != "always":
                queue = batch_op.invoke

                def emitted(operation: alembic_ops.MigrateOperation) -> Any:
                    with recorder.step(op_name(operation), operation):
                        result = queue(operation)
                        impl.flush()
                        impl.batch.clear()
                    return result

                batch_op.invoke = emitted  # type: ignore[method-assign]
            yield batch_op

    # instance attributes: Alembic's ``op`` proxy binds what the instance answers
    operations.invoke = recorded  # type: ignore[method-assign]
    operations.batch_alter_table = batch  # type: ignore[method-assign]


_ENVIRONMENT: list[EnvironmentContext] = []


@contextlib.contextmanager
def _installed(operations: Operations) -> Iterator[None]:
    """Bind ``alembic.op`` and ``alembic.context`` as an offline run does; restore them after.

    The revision's own ``print()`` goes to standard error, so that what a command prints
    on standard output (``check --format json``) stays parseable.
    """
    previous_op = getattr(alembic_op, "_proxy", None)
    previous_context = getattr(alembic_context, "_proxy", None)
    if not _ENVIRONMENT:  # one per process: it holds nothing but the context set below
        _ENVIRONMENT.append(EnvironmentContext(Config(), None, as_sql=True))  # type: ignore[arg-type]
    environment = _ENVIRONMENT[0]
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


def _env_side_effect_imports(env_py: Path) -> list[str]:
    """Modules env.py imports at top level and never names again (imported for effect)."""
    try:
        tree = ast.parse(env_py.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return []
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    used |= {
        n.value.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
    }
    modules = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                if bound not in used:
                    modules.append(alias.name)
    return modules


_IMPORTED_ENVS: dict[str, list[str]] = {}


def import_env_plugins(script_location: str | Path) -> list[str]:
    """Import what the project's env.py imports for its side effects; return the modules.

    A project registers third-party operations (``op.sync_enum_values``...) by importing
    their module in env.py (``import alembic_autogenerate_enums``); capture never runs
    env.py, so it imports those modules itself, once per process.  Only plain
    ``import x`` statements at module level whose name env.py never uses are imported;
    one that fails to import is skipped (Alembic would fail on it too).
    """
    env_py = Path(script_location) / "env.py"
    key = str(env_py)
    if key not in _IMPORTED_ENVS:
        done = []
        for module in _env_side_effect_imports(env_py):
            if module.split(".")[0] in {"alembic", "sqlalchemy", "alembic_safe"}:
                continue
            try:
                with contextlib.redirect_stdout(sys.stderr):
                    importlib.import_module(module)
            except Exception:  # noqa: S112 - an env.py import that fails is Alembic's to report
                continue
            done.append(module)
        _IMPORTED_ENVS[key] = done
    return list(_IMPORTED_ENVS[key])


_ANSWER_ERRORS = (
    TypeError,
    LookupError,
    ValueError,
    AttributeError,
    StopIteration,
    ZeroDivisionError,
    sa_exc.NoResultFound,
    sa_exc.MultipleResultsFound,
    sa_exc.InvalidRequestError,
)
"""What code raises when it uses an empty answer as a real one (``None[0]``, ``d["x"]``)."""


_ADDRESS = re.compile(r"<([^<>]*?) object at 0x[0-9a-fA-F]+>")
_UNNAMED_DROP = re.compile(r"Can't emit DROP CONSTRAINT for constraint (\w+)\(")


def _described(exc: BaseException) -> str:
    """``Type: message`` without memory addresses, so that reports compare between runs."""
    text = _ADDRESS.sub(r"<\1>", str(exc))
    unnamed = _UNNAMED_DROP.search(text) if isinstance(exc, sa_exc.CompileError) else None
    if unnamed is not None:
        return (
            f"drop_constraint() of a {unnamed.group(1)} without a name: PostgreSQL cannot "
            "drop it, so this function fails when it runs too"
        )
    return f"{type(exc).__name__}: {text}"


def _same_statement(path: str, first: int | None, second: int | None) -> bool:
    """Both lines belong to the same innermost statement of the revision file."""
    if first is None or second is None:
        return False
    if first == second:
        return True
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return False
    spans = [
        (node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.stmt) and not isinstance(node, ast.FunctionDef | ast.ClassDef)
    ]
    inner = [s for s in spans if s[0] <= first <= s[1]]
    if not inner:
        return False
    start, end = min(inner, key=lambda s: s[1] - s[0])
    return start <= second <= end


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
    _listen_to_orm_sessions()
    bind = _OfflineBind(mock, recorder, context)
    context.connection = context.impl.connection = bind  # type: ignore[assignment]
    operations = Operations(context)
    _record_steps(operations, recorder)
    try:
        with _installed(operations), context.begin_transaction():
            recorder.in_transaction = True
            function()
    except _Unanswerable as exc:
        plan.error_lineno = line_in(exc, path)
        plan.needs_database = f"line {plan.error_lineno}: {exc.what}"
    except NeedsDatabase as exc:
        plan.error_lineno = line_in(exc, path)
        plan.needs_database = f"line {plan.error_lineno}: {exc.what}"
    except NotImplementedError:
        plan.not_implemented = True
    except (sa_exc.NoInspectionAvailable, sa_exc.UnboundExecutionError) as exc:
        plan.error_lineno = line_in(exc, path)
        plan.needs_database = f"line {plan.error_lineno}: {INSPECTED_SCHEMA} ({short(exc)})"
    except _ANSWER_ERRORS as exc:
        plan.error_lineno = line_in(exc, path)
        if recorder.reads:
            guessed = recorder.reads[-1]
            if _same_statement(path, plan.error_lineno, guessed.line):
                plan.error_lineno = guessed.line  # one finding for ``execute(...).fetchone()[0]``
            plan.needs_database = (
                f"line {plan.error_lineno}: depends on the answer guessed at "
                f"{guessed.describe()} ({type(exc).__name__}: {short(exc, 1)})"
            )
        else:
            plan.error = f"line {plan.error_lineno}: {type(exc).__name__}: {exc}"
    except Exception as exc:
        plan.error_lineno = line_in(exc, path)
        plan.error = f"line {plan.error_lineno}: {_described(exc)}"
    if recorder.current is not None:  # an exception left a step open
        finish_step(recorder.current)
    plan.steps = recorder.steps
    plan.reads = recorder.reads
    settle_new_objects(plan.steps)
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
