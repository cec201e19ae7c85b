"""What a revision does to a running database: tables, locks, rewrites and scans, downtime.

:func:`analyse` reads a captured :class:`~alembic_safe.capture.plan.Plan` (no database needed) and,
when given, live table statistics from :func:`live_stats`.  Per step it names the lock
each statement takes and what that lock blocks (:data:`alembic_safe.capture.sqlparse.BLOCKS`),
whether the statement rewrites the table or reads every row of it, and one plain line
saying what the step changes.  From those it decides whether the revision needs downtime:

- **no**: every lock on an existing table lets reads and writes continue;
- **brief**: a lock that blocks reads or writes is held for a catalog change only (or on a
  table known to be small); it still waits for transactions already running on the table,
  which ``lock_timeout`` bounds;
- **yes**: a lock that blocks reads or writes is held while the table is rewritten or read
  in full (or every row is updated), and the table is not known to be small;
- **unknown**: the offline capture could not see every step (see ``Plan.status()``).

Tables created earlier in the same revision do not count: nobody uses them yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import singledispatch
from typing import Any

from alembic.operations import ops
from pglast import ast, enums
from sqlalchemy.engine import Connection

from alembic_safe.analysis import volatility
from alembic_safe.analysis.stats import (
    SMALL_TABLE_ROWS,
    LiveCatalog,
    TableStats,
    format_bytes,
    format_rows,
)
from alembic_safe.capture import types as _types
from alembic_safe.capture.plan import Plan, Step, compile_type
from alembic_safe.capture.sqlparse import (
    ACCESS_EXCLUSIVE,
    ALTER_WORDS,
    BLOCKS,
    EXCLUSIVE,
    SHARE,
    SHARE_ROW_EXCLUSIVE,
    Statement,
    qualified,
)
from alembic_safe.operations.ops import AddNotNullOp, BackfillOp, ValidateConstraintOp

BLOCKING_LOCKS = (SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE)
"""Lock modes that block writes (and, for ACCESS EXCLUSIVE, reads) on the table."""


class Downtime(str, Enum):
    NO = "no"
    BRIEF = "brief"
    YES = "yes"
    UNKNOWN = "unknown"


_DOWNTIME_ORDER = (Downtime.NO, Downtime.BRIEF, Downtime.UNKNOWN, Downtime.YES)


# --------------------------------------------------------------------------- statistics


def live_stats(connection: Connection, tables: Iterable[str]) -> dict[str, TableStats]:
    """Row estimates and sizes of ``tables`` from the catalog (:class:`~alembic_safe.analysis.stats.LiveCatalog`)."""
    catalog = LiveCatalog(connection)
    found: dict[str, TableStats] = {}
    for name in dict.fromkeys(t for t in tables if t):
        stats = catalog.table(name)
        if stats is not None:
            found[name] = stats
    return found


def rows_text(stats: TableStats) -> str:
    if not stats.exists:
        return "table not found in the database"
    if stats.rows is None:
        return "unknown (never analyzed; run ANALYZE)"
    return f"~{format_rows(stats.rows)}"


def size_text(stats: TableStats) -> str:
    if not stats.exists or stats.total_bytes is None:
        return "—"
    return format_bytes(stats.total_bytes)


# --------------------------------------------------------------------------- per statement


@dataclass(frozen=True)
class Cost:
    """Work proportional to a table's size that a statement does."""

    kind: str
    """``rewrite`` (table copied), ``scan`` (every row read), ``rows`` (rows changed), ``note``."""
    table: str
    what: str


@dataclass(frozen=True)
class LockUse:
    """One statement's table lock."""

    lock: str
    tables: tuple[str, ...]
    statement: str
    """The command tag (``ALTER TABLE``)."""

    @property
    def blocks(self) -> str:
        return BLOCKS.get(self.lock, "unknown")

    @property
    def blocking(self) -> bool:
        return self.lock in BLOCKING_LOCKS


def _type_name(type_name: Any) -> str:
    names = [n.sval for n in getattr(type_name, "names", None) or () if isinstance(n, ast.String)]
    return str(names[-1]).lower() if names else ""


def _add_column_costs(table: str, column: Any) -> list[Cost]:
    costs = []
    name = column.colname
    if _type_name(column.typeName) in {"serial", "bigserial", "smallserial", "serial4", "serial8"}:
        costs.append(Cost("rewrite", table, f'adds serial column "{name}": every row gets a value'))
    has_default = False
    for constraint in column.constraints or ():
        if constraint.contype == enums.ConstrType.CONSTR_DEFAULT:
            has_default = True
            verdict = volatility.judge(constraint.raw_expr)
            if verdict.is_volatile:
                called = ", ".join(f"{f}()" for f in dict.fromkeys(verdict.volatile))
                costs.append(
                    Cost(
                        "rewrite",
                        table,
                        f'adds column "{name}" with a volatile default ({called}):'
                        " the table is rewritten to store a value in every row",
                    )
                )
            elif verdict.unknown:
                called = ", ".join(f"{f}()" for f in dict.fromkeys(verdict.unknown))
                costs.append(
                    Cost(
                        "rewrite",
                        table,
                        f'adds column "{name}" with a default that calls {called}: if that is '
                        "VOLATILE, the table is rewritten (run with --url to know)",
                    )
                )
        elif constraint.contype == enums.ConstrType.CONSTR_IDENTITY:
            costs.append(
                Cost("rewrite", table, f'adds identity column "{name}": every row gets a value')
            )
        elif constraint.contype == enums.ConstrType.CONSTR_GENERATED:
            costs.append(
                Cost("rewrite", table, f'adds stored generated column "{name}": rewrites the table')
            )
        elif constraint.contype in (
            enums.ConstrType.CONSTR_PRIMARY,
            enums.ConstrType.CONSTR_UNIQUE,
        ):
            costs.append(Cost("scan", table, f'builds an index for new column "{name}"'))
    for constraint in column.constraints or ():
        if constraint.contype == enums.ConstrType.CONSTR_NOTNULL and not has_default:
            costs.append(
                Cost(
                    "note",
                    table,
                    f'adds NOT NULL column "{name}" without a default: fails if the table has rows',
                )
            )
    return costs


def statement_costs(statement: Statement, step: Step | None = None) -> list[Cost]:
    """Rewrites, full scans and row changes of one statement on existing tables."""
    node = statement.node
    costs: list[Cost] = []
    if isinstance(node, ast.AlterTableStmt):
        table = qualified(node.relation)
        AT = enums.AlterTableType
        for cmd in node.cmds or ():
            subtype = cmd.subtype
            if subtype == AT.AT_AlterColumnType:
                costs.extend(_type_change_cost(table, str(cmd.name), step))
            elif subtype == AT.AT_SetNotNull:
                costs.append(
                    Cost(
                        "scan",
                        table,
                        f'SET NOT NULL on "{cmd.name}" reads every row (unless a validated '
                        f'CHECK ("{cmd.name}" IS NOT NULL) exists, PostgreSQL 12+)',
                    )
                )
            elif subtype == AT.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
                costs.extend(_constraint_cost(table, cmd.def_))
            elif subtype == AT.AT_ValidateConstraint:
                costs.append(
                    Cost("scan", table, f'VALIDATE CONSTRAINT "{cmd.name}" reads every row')
                )
            elif subtype == AT.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
                costs.extend(_add_column_costs(table, cmd.def_))
            elif subtype in (AT.AT_SetTableSpace, AT.AT_SetLogged, AT.AT_SetUnLogged):
                word = subtype.name.removeprefix("AT_")
                costs.append(Cost("rewrite", table, f"{word} rewrites the table"))
    elif isinstance(node, ast.IndexStmt):
        table = qualified(node.relation)
        name = node.idxname or "(unnamed)"
        if node.concurrent:
            costs.append(
                Cost("scan", table, f'builds index "{name}" concurrently (reads the table twice)')
            )
        else:
            costs.append(Cost("scan", table, f'builds index "{name}" (reads every row)'))
    elif isinstance(node, (ast.UpdateStmt, ast.DeleteStmt)):
        table = qualified(node.relation)
        verb = "updates" if isinstance(node, ast.UpdateStmt) else "deletes"
        if statement.has_where:
            costs.append(Cost("rows", table, f"{verb} the rows matching its WHERE clause"))
        else:
            costs.append(Cost("rows", table, f"{verb} every row"))
    elif isinstance(node, ast.VacuumStmt) and statement.tag == "VACUUM FULL":
        costs.extend(Cost("rewrite", t, "VACUUM FULL rewrites the table") for t in statement.tables)
    elif isinstance(node, ast.ClusterStmt):
        costs.extend(Cost("rewrite", t, "CLUSTER rewrites the table") for t in statement.tables)
    elif isinstance(node, ast.RefreshMatViewStmt):
        costs.extend(
            Cost("rewrite", t, "REFRESH MATERIALIZED VIEW recomputes it") for t in statement.tables
        )
    return costs


def _type_change_cost(table: str, column: str, step: Step | None) -> list[Cost]:
    change = None
    for candidate in step.type_changes if step is not None else ():
        if candidate.column == column:
            change = candidate
    if change is None or change.kind is _types.TypeChange.UNKNOWN:
        return [
            Cost(
                "rewrite",
                table,
                f'changes the type of "{column}": may rewrite the table (old type not stated; '
                "give existing_type= to know)",
            )
        ]
    if change.kind in (_types.TypeChange.SAME, _types.TypeChange.METADATA):
        return []
    what = f'changes "{column}" from {change.old_type} to {change.new_type}: rewrites the table'
    if change.kind is _types.TypeChange.NARROWING:
        what += f" and may fail or cut values ({change.reason})"
    return [Cost("rewrite", table, what)]


def _constraint_cost(table: str, constraint: Any) -> list[Cost]:
    kind = constraint.contype
    name = constraint.conname or "(unnamed)"
    C = enums.ConstrType
    if kind == C.CONSTR_FOREIGN:
        if constraint.skip_validation:
            return []
        referenced = qualified(constraint.pktable)
        return [
            Cost(
                "scan",
                table,
                f'validates foreign key "{name}": reads every row and looks each up in "{referenced}"',
            )
        ]
    if kind == C.CONSTR_CHECK:
        if constraint.skip_validation:
            return []
        return [Cost("scan", table, f'validates check constraint "{name}": reads every row')]
    if kind in (C.CONSTR_PRIMARY, C.CONSTR_UNIQUE, C.CONSTR_EXCLUSION):
        if constraint.indexname:
            return []  # USING INDEX: the index already exists
        return [Cost("scan", table, f'builds the index of constraint "{name}" (reads every row)')]
    return []


def table_actions(statement: Statement) -> list[tuple[str, str]]:
    """(table, what happens to it) for one statement, in plain words."""
    node = statement.node
    result: list[tuple[str, str]] = []
    if isinstance(node, ast.AlterTableStmt):
        table = qualified(node.relation)
        for cmd in node.cmds or ():
            if (
                isinstance(cmd.def_, ast.Constraint)
                and cmd.def_.contype == enums.ConstrType.CONSTR_FOREIGN
            ):
                referenced = qualified(cmd.def_.pktable)
                not_valid = " (NOT VALID)" if cmd.def_.skip_validation else ""
                name = cmd.def_.conname or "(unnamed)"
                result.append((table, f'add foreign key "{name}" to "{referenced}"{not_valid}'))
                result.append((referenced, f'referenced by new foreign key "{name}" of "{table}"'))
                continue
            if isinstance(cmd.def_, ast.Constraint) and cmd.def_.conname:
                kind = str(getattr(cmd.def_.contype, "name", "")).removeprefix("CONSTR_").lower()
                result.append((table, f'add {kind} constraint "{cmd.def_.conname}"'))
                continue
            word = ALTER_WORDS.get(cmd.subtype, cmd.subtype.name.removeprefix("AT_")).lower()
            target = cmd.name or getattr(cmd.def_, "colname", None)
            result.append((table, f'{word} "{target}"' if target else word))
        return result
    if isinstance(node, ast.IndexStmt):
        table = qualified(node.relation)
        concurrently = " concurrently" if node.concurrent else ""
        unique = "unique " if node.unique else ""
        return [(table, f'create {unique}index "{node.idxname or "(unnamed)"}"{concurrently}')]
    if isinstance(node, ast.CreateStmt):
        created = statement.creates[0] if statement.creates else ""
        result.append((created, "create table"))
        result.extend(
            (t, f'referenced by a foreign key of new table "{created}"') for t in statement.tables
        )
        return result
    if isinstance(node, ast.DropStmt):
        word = statement.tag.removeprefix("DROP ").lower()
        if word == "table":
            return [(t, "drop table (every row is deleted)") for t in statement.tables]
        if word == "index":
            return [(t, f'drop index "{t}"') for t in statement.tables]
        return [(t, f"drop {word}") for t in statement.tables]
    if isinstance(node, ast.UpdateStmt):
        return [
            (t, "update rows" if statement.has_where else "update every row")
            for t in statement.tables
        ]
    if isinstance(node, ast.DeleteStmt):
        return [
            (t, "delete rows" if statement.has_where else "delete every row")
            for t in statement.tables
        ]
    if isinstance(node, ast.InsertStmt):
        return [(t, "insert rows") for t in statement.tables]
    if isinstance(node, ast.TruncateStmt):
        return [(t, "truncate (every row is deleted)") for t in statement.tables]
    if isinstance(node, ast.RenameStmt):
        detail = statement.actions[0] if statement.actions else ""
        what = statement.tag.removeprefix("RENAME ").lower()
        return [(t, f"rename {what} {detail}".strip()) for t in statement.tables]
    return [(t, statement.tag.lower()) for t in statement.tables]


# --------------------------------------------------------------------------- per step


def _column_type(column: Any) -> str:
    return compile_type(getattr(column, "type", None)) or "?"


def _default_text(value: Any) -> str:
    arg = getattr(value, "arg", value)
    return str(getattr(arg, "text", arg))


def _columns(values: Sequence[Any] | None) -> str:
    return ", ".join(str(getattr(c, "name", c)) for c in values or ())


def _q(schema: str | None, name: str | None) -> str:
    return f"{schema}.{name}" if schema else str(name)


def describe_step(step: Step) -> str:
    """One plain line saying what a step changes."""
    op = step.op
    line = describe_op(op) if op is not None else None
    if line is None:
        line = _describe_sql(step)
    return line


@singledispatch
def describe_op(op: ops.MigrateOperation) -> str | None:
    """One line on what an operation changes; operations register theirs.

    The default (None) makes :func:`describe_step` describe the step's SQL instead.
    """
    return None


@describe_op.register
def _(op: ops.AddColumnOp) -> str:
    column = op.column
    extra = []
    if not column.nullable:
        extra.append("NOT NULL")
    if column.server_default is not None:
        extra.append(f"default {_default_text(column.server_default)}")
    details = ", ".join(extra) if extra else "nullable"
    return f"Add column `{_q(op.schema, op.table_name)}.{column.name}` {_column_type(column)}, {details}"


@describe_op.register
def _(op: ops.DropColumnOp) -> str:
    return f"Drop column `{_q(op.schema, op.table_name)}.{op.column_name}` (its data is deleted)"


@describe_op.register
def _(op: ops.CreateTableOp) -> str:
    names = [c.name for c in op.columns if hasattr(c, "name") and hasattr(c, "type")]
    return f"Create table `{_q(op.schema, op.table_name)}` ({', '.join(names)})"


@describe_op.register
def _(op: ops.DropTableOp) -> str:
    return f"Drop table `{_q(op.schema, op.table_name)}` and every row in it"


@describe_op.register
def _(op: ops.RenameTableOp) -> str:
    return f"Rename table `{_q(op.schema, op.table_name)}` to `{op.new_table_name}`"


@describe_op.register
def _(op: ops.CreateIndexOp) -> str:
    unique = "unique " if op.unique else ""
    columns = ", ".join(str(getattr(c, "text", c)) for c in op.columns)
    concurrently = ", concurrently" if op.kw.get("postgresql_concurrently") else ""
    return f"Create {unique}index `{op.index_name}` on `{_q(op.schema, op.table_name)}` ({columns}){concurrently}"


@describe_op.register
def _(op: ops.DropIndexOp) -> str:
    concurrently = ", concurrently" if op.kw.get("postgresql_concurrently") else ""
    return f"Drop index `{_q(op.schema, op.index_name)}`{concurrently}"


@describe_op.register
def _(op: ops.CreateForeignKeyOp) -> str:
    not_valid = ", NOT VALID" if op.kw.get("postgresql_not_valid") else ""
    source = _q(op.kw.get("source_schema"), op.source_table)
    referent = _q(op.kw.get("referent_schema"), op.referent_table)
    return (
        f"Add foreign key `{op.constraint_name}` on `{source}` ({_columns(op.local_cols)}) "
        f"referencing `{referent}` ({_columns(op.remote_cols)}){not_valid}"
    )


@describe_op.register
def _(op: ops.CreateUniqueConstraintOp) -> str:
    return f"Add unique constraint `{op.constraint_name}` on `{_q(op.schema, op.table_name)}` ({_columns(op.columns)})"


@describe_op.register
def _(op: ops.CreatePrimaryKeyOp) -> str:
    return f"Add primary key `{op.constraint_name}` on `{_q(op.schema, op.table_name)}` ({_columns(op.columns)})"


@describe_op.register
def _(op: ops.CreateCheckConstraintOp) -> str:
    return f"Add check constraint `{op.constraint_name}` on `{_q(op.schema, op.table_name)}`: {_default_text(op.condition)}"


@describe_op.register
def _(op: ops.DropConstraintOp) -> str:
    return f"Drop constraint `{op.constraint_name}` from `{_q(op.schema, op.table_name)}`"


@describe_op.register
def _(op: ops.BulkInsertOp) -> str:
    table = getattr(op.table, "name", "?")
    return f"Insert {len(op.rows)} row(s) into `{table}`"


@describe_op.register
def _(op: ValidateConstraintOp) -> str:
    return (
        f"Validate constraint `{op.constraint_name}` on `{_q(op.schema, op.table_name)}` "
        "(reads every row under SHARE UPDATE EXCLUSIVE: reads and writes continue)"
    )


@describe_op.register
def _(op: AddNotNullOp) -> str:
    return (
        f"Set NOT NULL on `{_q(op.schema, op.table_name)}.{op.column_name}` through a "
        "validated CHECK (no full scan under ACCESS EXCLUSIVE)"
    )


@describe_op.register
def _(op: BackfillOp) -> str:
    columns = ", ".join(f"`{name}`" for name in op.values)
    where = f" where {op.where}" if op.where else ""
    return (
        f"Backfill {columns} of `{_q(op.schema, op.table_name)}`{where}, in batches of "
        f"{op.batch_size} rows that commit as they go"
    )


@describe_op.register
def _describe_alter_column(op: ops.AlterColumnOp) -> str:
    schema = op.schema
    parts = []
    if op.modify_type is not None:
        old = compile_type(op.existing_type)
        new = compile_type(op.modify_type)
        parts.append(f"type {old} → {new}" if old else f"type → {new}")
    if op.modify_nullable is not None:
        parts.append("set NOT NULL" if not op.modify_nullable else "drop NOT NULL")
    if op.modify_server_default is not False:
        parts.append(
            "drop default"
            if op.modify_server_default is None
            else f"default {_default_text(op.modify_server_default)}"
        )
    if op.modify_name:
        parts.append(f"rename to `{op.modify_name}`")
    if op.modify_comment is not False:
        parts.append("change comment")
    return f"Alter column `{_q(schema, op.table_name)}.{op.column_name}`: {', '.join(parts) or 'no change'}"


def _describe_sql(step: Step) -> str:
    if not step.statements:
        return f"`{step.name}` (no SQL captured)"
    first = " ".join(step.statements[0].text.split())
    if len(first) > 100:
        first = first[:97] + "..."
    more = f" (+{len(step.statements) - 1} more statement(s))" if len(step.statements) > 1 else ""
    label = (
        "Run SQL"
        if step.name in {"execute", "sql"} or step.name.startswith(("sql:", "get_bind"))
        else f"`{step.name}`"
    )
    return f"{label}: `{first}`{more}"


# --------------------------------------------------------------------------- per revision


@dataclass
class StepImpact:
    step: Step
    change: str
    locks: list[LockUse] = field(default_factory=list)
    costs: list[Cost] = field(default_factory=list)

    @property
    def outside_transaction(self) -> bool:
        return not self.step.in_transaction or not self.step.transactional


@dataclass
class TableImpact:
    name: str
    actions: list[str] = field(default_factory=list)
    created: bool = False
    stats: TableStats | None = None

    def rows_text(self, have_stats: bool) -> str:
        if self.created:
            return "new table"
        if not have_stats:
            return "unknown (run with --url)"
        return rows_text(self.stats) if self.stats else "unknown"

    def size_text(self, have_stats: bool) -> str:
        if self.created:
            return "—"
        if not have_stats:
            return "unknown"
        return size_text(self.stats) if self.stats else "—"


@dataclass
class Impact:
    plan: Plan
    steps: list[StepImpact]
    tables: dict[str, TableImpact]
    downtime: Downtime
    downtime_reasons: list[str]
    have_stats: bool

    @property
    def costs(self) -> list[tuple[StepImpact, Cost]]:
        return [(s, c) for s in self.steps for c in s.costs]


def tables_of(plan: Plan) -> list[str]:
    """Every existing or new table a plan touches, in order of first use."""
    names: list[str] = []
    for step in plan.steps:
        for statement in step.statements:
            for table, _ in table_actions(statement):
                names.append(table)
        names.extend(step.tables)
    return list(dict.fromkeys(n for n in names if n))


def analyse(plan: Plan, stats: dict[str, TableStats] | None = None) -> Impact:
    """Tables, locks, costs and downtime of ``plan``; ``stats`` from :func:`live_stats`."""
    have_stats = stats is not None
    stats = stats or {}
    created: set[str] = set()
    tables: dict[str, TableImpact] = {}
    steps: list[StepImpact] = []
    level = Downtime.NO
    reasons: list[str] = []

    def table(name: str) -> TableImpact:
        if name not in tables:
            tables[name] = TableImpact(name, stats=stats.get(name))
        return tables[name]

    def raise_level(new: Downtime, reason: str) -> None:
        nonlocal level
        if _DOWNTIME_ORDER.index(new) > _DOWNTIME_ORDER.index(level):
            level = new
        line = f"{new.value}: {reason}"
        if line not in reasons:
            reasons.append(line)

    for step in plan.steps:
        impact = StepImpact(step, describe_step(step))
        where = f"step {step.index + 1}" + (f" (line {step.lineno})" if step.lineno else "")
        for statement in step.statements:
            for name, action in table_actions(statement):
                entry = table(name)
                if action not in entry.actions:
                    entry.actions.append(action)
            new_here = set(statement.creates)
            if isinstance(statement.node, ast.CreateStmt):
                for name in statement.creates:
                    table(name).created = True
            existing = tuple(t for t in statement.tables if t not in created)
            costs = [c for c in statement_costs(statement, step) if c.table not in created]
            impact.costs.extend(costs)
            if statement.lock and existing:
                use = LockUse(statement.lock, existing, statement.tag)
                impact.locks.append(use)
                _judge(
                    use,
                    costs,
                    stats=stats,
                    have_stats=have_stats,
                    where=where,
                    raise_level=raise_level,
                )
            created |= new_here
        steps.append(impact)
    if not plan.complete:
        raise_level(Downtime.UNKNOWN, f"the offline capture is incomplete ({plan.status()})")
    if level is Downtime.NO and not reasons:
        reasons.append("no: no step takes a lock that blocks reads or writes of an existing table")
    return Impact(plan, steps, tables, level, reasons, have_stats)


def _judge(
    use: LockUse,
    costs: list[Cost],
    *,
    stats: dict[str, TableStats],
    have_stats: bool,
    where: str,
    raise_level: Any,
) -> None:
    heavy = [c for c in costs if c.kind in {"rewrite", "scan"}]
    every_row = [c for c in costs if c.kind == "rows" and "every row" in c.what]
    some_rows = [c for c in costs if c.kind == "rows" and "every row" not in c.what]
    tables = ", ".join(f'"{t}"' for t in use.tables)
    size = _size_words(use.tables, stats, have_stats)
    if use.blocking:
        blocked = "reads and writes" if use.lock == ACCESS_EXCLUSIVE else "writes"
        if heavy:
            small = _all_small(use.tables, stats)
            what = heavy[0].what
            if small:
                raise_level(
                    Downtime.BRIEF,
                    f"{where} holds {use.lock} on {tables} ({blocked} blocked) while it {what}; {size}",
                )
            else:
                raise_level(
                    Downtime.YES,
                    f"{where} holds {use.lock} on {tables} ({blocked} blocked) while it {what}; {size}",
                )
        else:
            raise_level(
                Downtime.BRIEF,
                f"{where} takes {use.lock} on {tables} ({blocked} blocked) for a catalog change; "
                "it waits for transactions already using the table (bounded by lock_timeout)",
            )
    elif every_row:
        small = _all_small(use.tables, stats)
        level = Downtime.BRIEF if small else Downtime.YES
        raise_level(
            level,
            f"{where} {every_row[0].what} of {tables} in one transaction: concurrent writes to those "
            f"rows wait until it commits; {size}",
        )
    elif some_rows:
        raise_level(
            Downtime.BRIEF,
            f"{where} {some_rows[0].what} in {tables}: concurrent writes to those rows wait until it commits",
        )
    elif heavy:
        pass  # SHARE UPDATE EXCLUSIVE and weaker: reads and writes continue while it works


def _all_small(tables: Sequence[str], stats: dict[str, TableStats]) -> bool:
    if not tables:
        return False
    for name in tables:
        found = stats.get(name)
        if found is None or not found.is_small(SMALL_TABLE_ROWS):
            return False
    return True


def _size_words(tables: Sequence[str], stats: dict[str, TableStats], have_stats: bool) -> str:
    if not have_stats:
        return "table size unknown (run with --url)"
    parts = []
    for name in tables:
        found = stats.get(name)
        parts.append(f'"{name}" {rows_text(found) if found else "unknown"} rows')
    return ", ".join(parts)
