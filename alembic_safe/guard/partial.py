"""What of a revision is committed when it stops part-way, and how a re-run finishes it.

Most revisions run in one transaction: when they fail, nothing of them stays.  A revision
with a step outside the transaction (``op.create_index_concurrently``, ``op.backfill``, any
``autocommit_block()``) is different: Alembic commits everything before that step, the step
commits as it goes, and only what follows it is rolled back.  A :class:`Ledger` watches one
run of a revision and knows, per operation (``op.*`` call), whether it is

- ``committed``: finished, and all of it committed;
- ``partly committed``: stopped while it ran outside the transaction (a concurrent index
  build, some batches of a backfill): what it did so far stays;
- ``rolled back``: it ran in the transaction that was rolled back (or failed before it
  changed anything);
- ``not run``;
- ``committed earlier``: a re-run skipped it, because an earlier run committed it.

It learns this from the connection itself (SQLAlchemy's ``after_cursor_execute``,
``commit`` and ``rollback`` events, and the ``AUTOCOMMIT`` isolation level of
``autocommit_block()``) and from the operations the revision invokes (``op.*`` calls, in
order).  The guard writes the ledger into the history table as it changes (a revision that
is killed leaves a ``running`` row that says what was committed), and a re-run reads it back
(:class:`Resume`): operations committed by the earlier run are skipped when the plan still
has them unchanged (same operation, same SQL) and the catalog shows their effect, and the
derived preconditions are those of the operations that still have to run.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Any

import alembic.op as alembic_op
from alembic.operations import Operations
from alembic.operations import ops as alembic_ops
from sqlalchemy import event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from alembic_safe import checks
from alembic_safe.analysis import derive
from alembic_safe.capture.plan import Plan, Step, op_name
from alembic_safe.checks import Check, quote_ident
from alembic_safe.errors import chain
from alembic_safe.pg.catalog import split_table
from alembic_safe.tracebacks import real_path

COMMITTED = "committed"
PARTLY = "partly committed"
ROLLED_BACK = "rolled back"
NOT_RUN = "not run"
EARLIER = "committed earlier"
DONE = {COMMITTED, EARLIER}
"""States whose work is in the database for good."""


def digest(step: Step | None) -> str:
    """What identifies a planned operation across runs: its name and the SQL it renders."""
    if step is None:
        return ""
    return hashlib.sha256(f"{step.name}\n{step.sql}".encode()).hexdigest()[:16]


def planned_operations(plan: Plan) -> list[Step]:
    """The steps of ``plan`` made by ``op.*`` calls, in the order the revision invokes them."""
    return [step for step in plan.steps if step.op is not None]


@dataclass
class StepRun:
    """One operation of one run of a revision."""

    number: int
    """1-based position among the revision's operations."""
    name: str
    line: int | None
    digest: str
    sql: str = ""
    """The first statement of its planned SQL, for messages."""
    state: str = NOT_RUN
    finished: bool = False
    open_work: bool = False
    """Statements in the transaction that is neither committed nor rolled back yet."""
    committed_work: bool = False
    """Statements committed: autocommit ones, or in a transaction that committed."""

    def describe(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        what = f": {self.sql}" if self.sql else ""
        return f"step {self.number} {self.name}{where}{what}"

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "line": self.line,
            "digest": self.digest,
            "state": self.state,
        }


@dataclass
class Resume:
    """What an earlier, unfinished run of the same revision committed (from the history)."""

    history_id: int
    started: str
    outcome: str
    committed: dict[int, dict[str, Any]]
    """Operation number -> its recorded step, for the operations it committed."""
    raw: bool = False
    """Whether it committed SQL sent through ``op.get_bind()`` (which no re-run can skip)."""

    @classmethod
    def from_history(
        cls, history_id: int, started: str, outcome: str, progress: dict[str, Any] | None
    ) -> Resume | None:
        if not progress:
            return None
        done = {
            int(step["number"]): step
            for step in progress.get("steps", ())
            if step.get("state") in DONE
        }
        raw = bool(progress.get("raw_committed"))
        if not done and not raw:
            return None
        return cls(history_id, started, outcome, done, raw)


def _first_statement(step: Step | None) -> str:
    if step is None or not step.statements:
        return ""
    work = [s for s in step.statements if not s.transaction_control] or list(step.statements)
    first = " ".join(work[0].text.split())
    return first if len(first) <= 120 else first[:117] + "..."


class Ledger:
    """Watches one run of a revision (see the module docstring)."""

    def __init__(
        self,
        plan: Plan,
        connection: Connection,
        *,
        resume: Resume | None = None,
        on_change: Callable[[Ledger], None] | None = None,
    ) -> None:
        self.plan = plan
        self.connection = connection
        self.resume = resume
        self.on_change = on_change
        self.planned = planned_operations(plan)
        self.steps: list[StepRun] = []
        self.current: StepRun | None = None
        self.depth = 0
        self.raw_open = False
        self.raw_committed = False
        self.dirty = False
        self.diverged = False
        """The run invoked operations the plan does not have in that order."""
        self.skipped: list[StepRun] = []
        self._path = real_path(plan.path)

    # ------------------------------------------------------------------ what to run
    def skippable(self) -> list[int]:
        """Numbers of the operations an earlier run committed that this run will skip."""
        if self.resume is None:
            return []
        found = []
        for number, recorded in sorted(self.resume.committed.items()):
            planned = self.planned[number - 1] if number <= len(self.planned) else None
            if planned is not None and recorded.get("digest") == digest(planned):
                found.append(number)
        return found

    def preconditions(self, skip: Sequence[int]) -> list[Check]:
        """Derived preconditions of the operations this run will really execute."""
        skipped = {id(self.planned[n - 1]) for n in skip if n <= len(self.planned)}
        keep = [s for s in self.plan.steps if id(s) not in skipped]
        sub = Plan(self.plan.revision, self.plan.direction, self.plan.path, steps=keep)
        return derive.derive(sub)[0]

    def effect_present(self, number: int) -> bool:
        """Whether the catalog shows what operation ``number`` does (its derived post-checks)."""
        step = self.planned[number - 1]
        one = Plan(self.plan.revision, self.plan.direction, self.plan.path, steps=[step])
        post = derive.derive(one)[1]
        return not checks.evaluate(self.connection, post)

    # ------------------------------------------------------------------ watching
    @contextlib.contextmanager
    def watching(self, skip: Sequence[int] = ()) -> Iterator[None]:
        """Observe the revision's function while it runs (and skip operations in ``skip``)."""
        operations = getattr(alembic_op, "_proxy", None)
        skipping = set(skip)
        listeners: list[tuple[str, Callable[..., None]]] = [
            ("after_cursor_execute", self._statement),
            ("commit", self._commit),
            ("rollback", self._rollback),
        ]
        for name, function in listeners:
            event.listen(self.connection, name, function)
        real_invoke = operations.invoke if isinstance(operations, Operations) else None

        def invoke(operation: alembic_ops.MigrateOperation) -> Any:
            assert real_invoke is not None
            if self.depth:
                return real_invoke(operation)
            step = self._begin(operation)
            if step.number in skipping:
                step.state = EARLIER
                self.skipped.append(step)
                self.current = None
                self.dirty = True  # a run killed later must still know it was committed
                self._flush()
                return None
            self.depth += 1
            try:
                result = real_invoke(operation)
            finally:
                self.depth -= 1
                self.current = None
            step.finished = True
            self._flush()
            return result

        if isinstance(operations, Operations):
            operations.invoke = invoke  # type: ignore[method-assign]
        try:
            yield
        finally:
            if isinstance(operations, Operations):
                with contextlib.suppress(AttributeError):
                    del operations.invoke
            for name, function in listeners:
                with contextlib.suppress(sa_exc.InvalidRequestError):
                    event.remove(self.connection, name, function)

    def _line(self) -> int | None:
        frame: FrameType | None = sys._getframe(2)
        while frame is not None:
            if real_path(frame.f_code.co_filename) == self._path:
                return frame.f_lineno
            frame = frame.f_back
        return None

    def _begin(self, operation: alembic_ops.MigrateOperation) -> StepRun:
        self._flush()
        number = len(self.steps) + 1
        planned = self.planned[number - 1] if number <= len(self.planned) else None
        name = op_name(operation)
        if planned is None or planned.name != name:
            self.diverged = True
            planned = None
        step = StepRun(number, name, self._line(), digest(planned), _first_statement(planned))
        self.steps.append(step)
        self.current = step
        return step

    def _statement(self, conn: Connection, *_: Any) -> None:
        autocommit = conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
        step = self.current
        if step is None:
            if autocommit:
                self.dirty = self.dirty or not self.raw_committed
                self.raw_committed = True
            else:
                self.raw_open = True
        elif autocommit:
            step.committed_work = True
        else:
            step.open_work = True
        self._flush()  # after a commit: the history learns at once what is committed

    def _commit(self, conn: Connection) -> None:
        for step in self.steps:
            if step.open_work:
                step.open_work = False
                step.committed_work = True
        if self.raw_open:
            self.raw_open = False
            self.raw_committed = True
        self.dirty = True

    def _rollback(self, conn: Connection) -> None:
        for step in self.steps:
            step.open_work = False
        self.raw_open = False

    # ------------------------------------------------------------------ the outcome
    def settle(self, succeeded: bool) -> None:
        """Give every operation its final state once the run is over."""
        for step in self.steps:
            step.state = (
                COMMITTED if succeeded and step.state != EARLIER else state_if_stopped(step)
            )
            step.open_work = False
        self.raw_open = False

    def not_run(self) -> list[StepRun]:
        """The planned operations this run never reached."""
        started = len(self.steps)
        return [
            StepRun(n, s.name, s.lineno, digest(s), _first_statement(s))
            for n, s in enumerate(self.planned, 1)
            if n > started
        ]

    @property
    def committed(self) -> list[StepRun]:
        return [s for s in self.steps if s.state in DONE or s.state == PARTLY]

    @property
    def anything_committed(self) -> bool:
        """Whether this run (or the earlier one it resumed) left anything in the database."""
        return bool(self.committed) or self.raw_committed

    def progress(self) -> dict[str, Any]:
        """The ledger as the history table keeps it (``progress``): what stays if it stops now."""
        states: dict[int, dict[str, Any]] = {}
        for number, earlier in (self.resume.committed if self.resume else {}).items():
            states[number] = {**earlier, "state": EARLIER}  # until this run reaches it
        for step in self.steps:
            recorded = step.to_json()
            recorded["state"] = step.state if step.state != NOT_RUN else state_if_stopped(step)
            states[step.number] = recorded
        return {
            "backend_pid": backend_pid(self.connection),
            "steps": [states[number] for number in sorted(states)],
            "raw_committed": self.raw_committed,
        }

    def _flush(self) -> None:
        if self.dirty and self.on_change is not None:
            self.dirty = False
            self.on_change(self)


def state_if_stopped(step: StepRun) -> str:
    """The state of ``step`` if the run stopped now (its open transaction rolled back)."""
    if step.state == EARLIER:
        return EARLIER
    if step.open_work or not step.finished:
        return PARTLY if step.committed_work else ROLLED_BACK
    return COMMITTED


def backend_pid(connection: Connection) -> int | None:
    info = getattr(connection, "info", None)
    value = info.get("alembic_safe.backend_pid") if isinstance(info, dict) else None
    return int(value) if isinstance(value, int) else None


def remember_backend_pid(connection: Connection) -> int | None:
    """Note the server process of ``connection`` (a killed run's row names it)."""
    try:
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    except sa_exc.DBAPIError:
        return None
    if isinstance(pid, int):
        connection.info["alembic_safe.backend_pid"] = pid
    return pid if isinstance(pid, int) else None


def summary(steps: Sequence[StepRun | dict[str, Any]]) -> list[tuple[str, str]]:
    """Context blocks (title, lines) by state, for messages: Committed, Rolled back, Not run."""
    groups: dict[str, list[str]] = {}
    for step in steps:
        if isinstance(step, StepRun):
            state, line = step.state, step.describe()
        else:
            where = f" (line {step['line']})" if step.get("line") else ""
            state, line = str(step.get("state")), f"step {step['number']} {step['name']}{where}"
        groups.setdefault(state, []).append(line)
    titles = (
        (EARLIER, "Committed by the earlier run"),
        (COMMITTED, "Committed"),
        (PARTLY, "Stopped part-way outside the transaction (what it did so far stays)"),
        (ROLLED_BACK, "Rolled back"),
        (NOT_RUN, "Not run"),
    )
    return [(title, "\n".join(groups[state])) for state, title in titles if groups.get(state)]


@dataclass(frozen=True)
class InvalidIndex:
    schema: str
    name: str

    def qualified(self) -> str:
        return f"{quote_ident(self.schema)}.{quote_ident(self.name)}"


def index_names(plan: Plan) -> list[tuple[str | None, str]]:
    """(schema, index) of every index ``plan`` builds concurrently (named in its SQL)."""
    found: list[tuple[str | None, str]] = []
    for step in plan.steps:
        for statement in step.statements:
            if statement.kind != "IndexStmt" or statement.transactional:
                continue
            table_schema = split_table(statement.tables[0])[0] if statement.tables else None
            for name in statement.creates:
                schema, index = split_table(name)
                found.append((schema or table_schema, index))
    return list(dict.fromkeys(found))


def invalid_indexes(connection: Connection, plan: Plan) -> list[InvalidIndex]:
    """The indexes ``plan`` builds concurrently that exist and are INVALID (a failed build)."""
    found = []
    for schema, name in index_names(plan):
        qualified = f"{quote_ident(schema)}.{quote_ident(name)}" if schema else quote_ident(name)
        row = connection.execute(
            text(
                "SELECT n.nspname, c.relname FROM pg_catalog.pg_index i"
                " JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
                " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                " WHERE i.indexrelid = to_regclass(:name) AND NOT i.indisvalid"
            ),
            {"name": qualified},
        ).first()
        if row is not None:
            found.append(InvalidIndex(str(row[0]), str(row[1])))
    return found


def drop_invalid_indexes(
    connection: Connection, plan: Plan, lock_timeout: str = "5s"
) -> tuple[list[str], list[str]]:
    """Drop the INVALID indexes a stopped build of ``plan`` left; (dropped, not dropped).

    Runs each ``DROP INDEX CONCURRENTLY`` in autocommit with a bounded lock wait; an index
    that another session still holds stays, and is named.
    """
    dropped: list[str] = []
    kept: list[str] = []
    found = invalid_indexes(connection, plan)
    connection.commit()
    for index in found:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        try:
            connection.execute(
                text("SELECT set_config('lock_timeout', :v, false)"), {"v": lock_timeout}
            )
            connection.execute(text(f"DROP INDEX CONCURRENTLY IF EXISTS {index.qualified()}"))
            dropped.append(f"{index.schema}.{index.name}")
        except sa_exc.DBAPIError:
            kept.append(f"{index.schema}.{index.name}")
        finally:
            connection.commit()
            connection.execution_options(isolation_level=_default_isolation(connection))
    return dropped, kept


def _default_isolation(connection: Connection) -> str:
    level = connection.dialect.default_isolation_level
    return str(level) if level else "READ COMMITTED"


def interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` is, or was caused by, an interrupt (Ctrl-C: KeyboardInterrupt).

    An interrupt in the middle of a statement makes SQLAlchemy invalidate the connection,
    and cleanup code that then touches it raises ``PendingRollbackError`` with the interrupt
    as its context; the run was still interrupted.
    """
    return any(isinstance(current, KeyboardInterrupt) for current in chain(exc))


def recorded_steps(progress: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The steps of a history row's ``progress``, for messages."""
    return list((progress or {}).get("steps", ()))
