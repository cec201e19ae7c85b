"""The migration plan: what a revision's ``upgrade()`` or ``downgrade()`` does, as data.

A :class:`Plan` is a list of :class:`Step` objects, one per top-level Alembic operation (or
raw statement), each with the SQL it renders, the tables it touches, whether it runs inside
the migration transaction and the line of the revision file it came from.
:mod:`alembic_safe.capture.recorder` records plans; judgements about them (destructive,
impact, checks) live in :mod:`alembic_safe.analysis`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import singledispatch
from typing import Any

from alembic.operations import ops as alembic_ops
from sqlalchemy import types as sa_types
from sqlalchemy.dialects import postgresql

from alembic_safe.capture import types as _types
from alembic_safe.capture.sqlparse import Statement, normal_name, parse

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
    began_in_transaction: bool = True
    """Whether the migration transaction was open when the step began (before any
    ``COMMIT`` the step sends itself; :attr:`in_transaction` is where its work ran)."""
    statements: tuple[Statement, ...] = ()
    tables: tuple[str, ...] = ()
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


READ_ROWS = "read rows"
"""A revision read query results (``fetchall()``, iteration, ``scalar()``, ``rowcount``...)."""
INSPECTED_SCHEMA = "inspected the schema"
"""A revision asked the live schema (``sa.inspect(conn)``, ``MetaData().reflect(conn)``...)."""
USED_ORM_SESSION = "used an ORM session"
"""A revision queried or flushed an ORM ``Session`` bound to ``op.get_bind()``."""


def used_connection(attribute: str) -> str:
    """The cause for a connection attribute offline capture cannot answer."""
    return f"used the connection's {attribute}"


@dataclass(frozen=True)
class Read:
    """A database read that offline capture answered with a guess ("nothing", "unknown").

    Capture goes on after it, so the statements that follow are recorded; what depends on
    the real answer (a loop over the rows, a branch on what the inspector found) is not.
    """

    line: int | None
    """Line of the revision file that read."""
    cause: str
    """One wording per cause: :data:`READ_ROWS`, :data:`INSPECTED_SCHEMA`,
    :data:`USED_ORM_SESSION` or :func:`used_connection`."""
    detail: str = ""
    """What was read (``fetchall() of SELECT id FROM users``), for the reader."""

    def describe(self) -> str:
        where = f"line {self.line}" if self.line else "an unknown line"
        return f"{where}: {self.cause}" + (f" ({self.detail})" if self.detail else "")


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
    reads: list[Read] = field(default_factory=list)
    """Database reads capture went past with a guessed answer, once per line (the plan
    is then not :attr:`complete`: what depends on the real answers is not known)."""
    error: str | None = None
    """Why capture stopped early for another reason (an exception in the revision)."""
    error_lineno: int | None = None
    measured: str | None = None
    """Set when the steps were executed on a copy (a rehearsal) instead of captured offline."""

    @property
    def complete(self) -> bool:
        """Every step is known: capture ran to the end and guessed no answer."""
        return not (self.needs_database or self.error or self.not_implemented or self.reads)

    @property
    def stopped(self) -> bool:
        """Capture did not reach the end of the function."""
        return bool(self.needs_database or self.error)

    @property
    def sql(self) -> str:
        return "\n".join(chunk for step in self.steps for chunk in step.sql_chunks)

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for step in self.steps for t in step.tables))

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
        if self.reads:
            reads = "; ".join(r.describe() for r in self.reads)
            return f"needs a database: {reads} (capture went on with empty answers)"
        return "complete"


# --------------------------------------------------------------------------- tables of ops


def _qualify(schema: str | None, name: str | None) -> str | None:
    if not name:
        return None
    return f"{schema}.{name}" if schema else name


@singledispatch
def op_tables(op: alembic_ops.MigrateOperation) -> tuple[str, ...]:
    """Tables an Alembic operation touches, as ``schema.table`` or ``table``.

    The default reads ``table_name`` (or ``source_table``) and ``schema``; operations that
    touch other tables register their own answer (``@op_tables.register``), as Alembic's
    renderers do with ``dispatch_for``.
    """
    schema = getattr(op, "schema", None)
    for attr in ("table_name", "source_table"):
        value = getattr(op, attr, None)
        if isinstance(value, str):
            return tuple(n for n in (_qualify(schema, value),) if n)
    return ()


@op_tables.register
def _(op: alembic_ops.CreateForeignKeyOp) -> tuple[str, ...]:
    names = (
        _qualify(op.kw.get("source_schema"), op.source_table),
        _qualify(op.kw.get("referent_schema"), op.referent_table),
    )
    return tuple(n for n in names if n)


@op_tables.register
def _(op: alembic_ops.BulkInsertOp) -> tuple[str, ...]:
    table = op.table
    name = _qualify(getattr(table, "schema", None), getattr(table, "name", None))
    return (name,) if name else ()


def compile_type(type_: Any) -> str | None:
    """A SQLAlchemy type (or type class) as PostgreSQL writes it (``VARCHAR(20)``)."""
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
    new = compile_type(op.modify_type) or "?"
    old = compile_type(op.existing_type)
    table = _qualify(op.schema, op.table_name) or op.table_name
    if old is None:
        return [TypeChange(table, op.column_name, new, None, _types.TypeChange.UNKNOWN, "")]
    kind, reason = _types.classify(old, new)
    return [TypeChange(table, op.column_name, new, old, kind, reason)]


def finish_step(step: Step) -> None:
    """Parse the step's SQL and derive the tables it touches and its type changes."""
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


def settle_new_objects(steps: list[Step]) -> None:
    """Statements that only destroy what the same plan created are not destructive.

    An ``UPDATE`` without ``WHERE`` that sets only columns added (or of a table created)
    earlier in the plan overwrites no existing value; dropping, emptying or deleting from
    a table created earlier, or dropping a column added earlier, loses nothing that existed
    before the revision.  Such statements keep their text and lock but lose their
    :attr:`~alembic_safe.capture.sqlparse.Statement.destructive` reason, so the guard's
    confirmation, the destructive rules and the pages agree that nothing is destroyed.
    """
    created: set[str] = set()
    added: set[tuple[str, str]] = set()
    for step in steps:
        settled = []
        for statement in step.statements:
            settled.append(_settled(statement, created, added))
            created.update(normal_name(t) for t in statement.creates)
            table = normal_name(statement.tables[0]) if statement.tables else ""
            added.update((table, c) for c in statement.added_columns())
        step.statements = tuple(settled)


def _settled(statement: Statement, created: set[str], added: set[tuple[str, str]]) -> Statement:
    if not statement.destructive or not statement.tables:
        return statement
    tables = [normal_name(t) for t in statement.tables]
    table = tables[0]
    if statement.tag == "UPDATE":
        columns = statement.assigned_columns()
        new = table in created or (bool(columns) and all((table, c) in added for c in columns))
    elif statement.tag in {"DELETE", "TRUNCATE", "DROP TABLE"}:
        new = all(t in created for t in tables)
    elif statement.tag == "ALTER TABLE":
        dropped = statement.dropped_columns()
        new = bool(dropped) and (table in created or all((table, c) in added for c in dropped))
    else:
        new = False
    return statement.without_destruction() if new else statement


def op_name(op: alembic_ops.MigrateOperation) -> str:
    """The ``op.<name>`` an operation object was created by (``AddColumnOp`` -> add_column)."""
    explicit = getattr(op, "_alembic_safe_name", None)
    if explicit:
        return str(explicit)
    name = type(op).__name__.removesuffix("Op")
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()
    return _OP_NAMES.get(snake, snake)


_OP_NAMES = {"execute_sql": "execute"}
