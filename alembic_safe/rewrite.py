"""What ``alembic revision --autogenerate`` writes, rewritten into the safe forms.

:func:`process_revision_directives` is built with Alembic's
:class:`~alembic.autogenerate.rewriter.Rewriter`.  On a table that exists before the
revision it turns

* ``create_index`` into ``create_index_concurrently`` and ``drop_index`` into
  ``drop_index_concurrently``;
* ``create_foreign_key`` into ``add_foreign_key_not_valid`` + ``validate_constraint``
  (and ``create_check_constraint`` into its ``NOT VALID`` form + ``validate_constraint``);
* ``create_unique_constraint`` into ``add_unique_constraint_concurrently``;
* ``alter_column(..., nullable=False)`` into ``add_not_null``.

Operations on tables created (or dropped) in the same revision stay as they are: nobody
else uses those tables yet.  Unnamed constraints get the name PostgreSQL would give
them, in the upgrade and in the downgrade, so both can refer to them.

It also

* grants the configured ``app_role`` ``SELECT, INSERT, UPDATE, DELETE`` on each new
  table and ``USAGE, SELECT`` on its serial sequence, and revokes them in the downgrade;
* writes the reverse of the upgrade when a hook left the downgrade empty, and refuses
  to write the file when the upgrade cannot be reversed automatically;
* fills the template's header (``Ticket``, ``Impact``, ``Risks``, ``Post-migration
  tasks``) and its ``preconditions()`` / ``verify()`` functions with the checks derived
  from the operations, through ``template_args`` (see ``templates/safe/script.py.mako``).

The guard (:func:`alembic_safe.guard.run_migrations`) installs it for ``alembic revision``;
a ``process_revision_directives`` passed to ``run_migrations()`` runs first.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, cast

import sqlalchemy as sa
from alembic.autogenerate import render
from alembic.autogenerate.api import AutogenContext
from alembic.autogenerate.rewriter import Rewriter
from alembic.operations import ops
from alembic.runtime.migration import MigrationContext
from alembic.script import Script
from sqlalchemy.dialects import postgresql

from alembic_safe.analysis import derive, destructive, impact, volatility
from alembic_safe.capture import plan, recorder
from alembic_safe.capture import types as _types
from alembic_safe.capture.sqlparse import LOCK_ORDER
from alembic_safe.checks import Check
from alembic_safe.config import Settings, load_settings
from alembic_safe.console import say
from alembic_safe.errors import UnsafeMigrationError
from alembic_safe.operations import _retype, _sql
from alembic_safe.operations import preconditions as pre
from alembic_safe.operations.ops import (
    SAFE_OPERATIONS,
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

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]
Directives = list[ops.MigrationScript]
Hook = Callable[[MigrationContext, Any, Directives], None]
TableKey = tuple[str | None, str]

_TICKET = re.compile(r"(?<![\w-])(?:[A-Z][A-Z0-9]+-\d+|#\d+)\b")
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCE_PRIVILEGES = "USAGE, SELECT"


# --------------------------------------------------------------------------- the scan


@dataclass
class _Script:
    """What the rewriter needs to know about one generated script."""

    fresh: set[TableKey] = field(default_factory=set)
    """Tables created or dropped by the script: their operations stay as they are."""
    created: list[ops.CreateTableOp] = field(default_factory=list)


def _top_ops(containers: Iterable[ops.OpContainer]) -> Iterator[ops.MigrateOperation]:
    for container in containers:
        yield from container.ops


def _scan(script: ops.MigrationScript) -> _Script:
    info = _Script()
    for op in _top_ops([*script.upgrade_ops_list, *script.downgrade_ops_list]):
        if isinstance(op, (ops.CreateTableOp, ops.DropTableOp)):
            info.fresh.add((op.schema, op.table_name))
    for op in _top_ops(script.upgrade_ops_list):
        if isinstance(op, ops.CreateTableOp):
            info.created.append(op)
    return info


# --------------------------------------------------------------------------- rewrites


def _columns_part(columns: Sequence[Any]) -> str:
    return "_".join(str(getattr(c, "name", c)) for c in columns)


def _constraint_key(op: ops.MigrateOperation) -> tuple[Any, ...] | None:
    """What identifies an unnamed constraint in both directions of a script."""
    if isinstance(op, ops.CreateForeignKeyOp):
        return ("fkey", op.kw.get("source_schema"), op.source_table, tuple(op.local_cols))
    if isinstance(op, ops.CreateUniqueConstraintOp):
        return ("key", op.schema, op.table_name, tuple(op.columns))
    if isinstance(op, ops.CreateCheckConstraintOp):
        return ("check", op.schema, op.table_name, str(op.condition))
    return None


def _default_names(script: ops.MigrationScript) -> dict[tuple[Any, ...], str]:
    """Names for unnamed constraints, the way PostgreSQL names them (``orders_user_id_fkey``)."""
    names: dict[tuple[Any, ...], str] = {}
    for op in _walk([*script.upgrade_ops_list, *script.downgrade_ops_list]):
        key = _constraint_key(op)
        if key is None or getattr(op, "constraint_name", None):
            continue
        label, _schema, table, detail = key
        columns = _columns_part(detail) if isinstance(detail, tuple) else None
        names[key] = _sql.object_name(table, columns, label)
    return names


def _name_for(op: ops.AddConstraintOp, names: dict[tuple[Any, ...], str]) -> Any:
    name = getattr(op, "constraint_name", None)
    if name:
        return name
    key = _constraint_key(op)
    assert key is not None
    return names[key]


def _walk(containers: Iterable[ops.OpContainer]) -> Iterator[ops.MigrateOperation]:
    for container in containers:
        for op in container.ops:
            if isinstance(op, ops.OpContainer):
                yield from _walk([op])
            else:
                yield op


def _name_drops(script: ops.MigrationScript, names: dict[tuple[Any, ...], str]) -> None:
    """Give ``drop_constraint(None, ...)`` the name its constraint gets in the other direction."""
    for op in _walk([*script.upgrade_ops_list, *script.downgrade_ops_list]):
        if isinstance(op, ops.DropConstraintOp) and not op.constraint_name and op._reverse:
            key = _constraint_key(op._reverse)
            if key in names:
                op.constraint_name = names[key]


def _rewriter(info: _Script, names: dict[tuple[Any, ...], str]) -> Rewriter:
    writer = Rewriter()

    def existing(schema: str | None, table: str | None) -> bool:
        return table is not None and (schema, table) not in info.fresh

    @writer.rewrites(ops.CreateIndexOp)
    def create_index(context: Any, revision: Any, op: ops.CreateIndexOp) -> Any:
        if isinstance(op, CreateIndexConcurrentlyOp) or not existing(op.schema, op.table_name):
            return op
        return CreateIndexConcurrentlyOp.from_create_index(op)

    @writer.rewrites(ops.DropIndexOp)
    def drop_index(context: Any, revision: Any, op: ops.DropIndexOp) -> Any:
        if isinstance(op, DropIndexConcurrentlyOp) or not existing(op.schema, op.table_name):
            return op
        return DropIndexConcurrentlyOp.from_drop_index(op)

    @writer.rewrites(ops.CreateForeignKeyOp)
    def create_foreign_key(context: Any, revision: Any, op: ops.CreateForeignKeyOp) -> Any:
        schema = op.kw.get("source_schema")
        if isinstance(op, AddForeignKeyNotValidOp) or not existing(schema, op.source_table):
            return op
        name = _name_for(op, names)
        return [
            AddForeignKeyNotValidOp.from_create_foreign_key(op, name),
            ValidateConstraintOp(str(name), op.source_table, schema=schema),
        ]

    @writer.rewrites(ops.CreateCheckConstraintOp)
    def create_check(context: Any, revision: Any, op: ops.CreateCheckConstraintOp) -> Any:
        if isinstance(op, AddCheckConstraintNotValidOp) or not existing(op.schema, op.table_name):
            return op
        name = _name_for(op, names)
        return [
            AddCheckConstraintNotValidOp.from_create_check_constraint(op, name),
            ValidateConstraintOp(str(name), op.table_name, schema=op.schema),
        ]

    @writer.rewrites(ops.CreateUniqueConstraintOp)
    def create_unique(context: Any, revision: Any, op: ops.CreateUniqueConstraintOp) -> Any:
        if isinstance(op, AddUniqueConstraintConcurrentlyOp) or not existing(
            op.schema, op.table_name
        ):
            return op
        name = _name_for(op, names)
        return AddUniqueConstraintConcurrentlyOp.from_create_unique_constraint(op, name)

    @writer.rewrites(ops.AddColumnOp)
    def add_column(context: Any, revision: Any, op: ops.AddColumnOp) -> Any:
        if not existing(op.schema, op.table_name):
            return op
        default = op.column.server_default
        if default is None or not _volatile_default(context, default):
            return op
        return _volatile_column(context, op)

    @writer.rewrites(ops.AlterColumnOp)
    def alter_column(context: Any, revision: Any, op: ops.AlterColumnOp) -> Any:
        if isinstance(op, AlterColumnTypeOnlineOp) or not existing(op.schema, op.table_name):
            return op
        result: list[ops.MigrateOperation] = []
        rest = op
        if op.modify_type is not None and _rewrites_table(op):
            _refuse_if_not_online(context, op)
            result.append(AlterColumnTypeOnlineOp.from_alter_column(op))
            rest = copy.copy(op)
            rest.existing_type = op.modify_type
            rest.modify_type = None
        if rest.modify_nullable is False:
            not_null = AddNotNullOp(
                op.table_name, op.modify_name or op.column_name, schema=op.schema
            )
            rest = copy.copy(rest)
            rest.modify_nullable = None
            rest.existing_nullable = True
            changes = _other_changes(rest)
            return [rest, *result, not_null] if changes else [*result, not_null]
        if not result:
            return op
        return [rest, *result] if _other_changes(rest) else result

    return writer


def _other_changes(op: ops.AlterColumnOp) -> bool:
    return (
        op.modify_type is not None
        or op.modify_name is not None
        or op.modify_server_default is not False
        or op.modify_comment is not False
        or op.modify_nullable is not None
    )


# --------------------------------------------------------------------------- volatile defaults


def _default_sql(default: Any) -> str | None:
    """SQL text of a column's ``server_default`` (None for a plain string constant)."""
    arg = getattr(default, "arg", default)
    if isinstance(arg, str):
        return None  # server_default="x" is the constant 'x'
    if isinstance(arg, sa.sql.ClauseElement):
        return str(arg.compile(dialect=_DIALECT))
    return None


def _volatile_default(context: MigrationContext, default: Any) -> bool:
    """Whether a default gives each row its own value (PostgreSQL then rewrites the table).

    The judgement is :mod:`alembic_safe.analysis.volatility`'s (the linter's and the impact
    page's), asking ``pg_proc`` through autogenerate's connection for functions it does not know.
    """
    from pglast import parse_sql
    from pglast.parser import ParseError

    text_ = _default_sql(default)
    if text_ is None:
        return False
    try:
        tree = parse_sql(f"SELECT {text_}")
    except ParseError:
        return False
    live = None
    if context.connection is not None:
        from alembic_safe.analysis.stats import LiveCatalog

        live = LiveCatalog(context.connection).function_volatility
    return volatility.judge(tree, live).is_volatile


def _primary_key(context: MigrationContext, schema: str | None, table: str) -> str | None:
    """The table's single primary key column, from the database (or the model)."""
    if context.connection is not None:
        columns = sa.inspect(context.connection).get_pk_constraint(table, schema=schema)
        names = list(columns.get("constrained_columns") or ())
        return names[0] if len(names) == 1 else None
    metadata = context.opts.get("target_metadata")
    for candidate in metadata if isinstance(metadata, (list, tuple)) else [metadata]:
        found = getattr(candidate, "tables", {}).get(f"{schema}.{table}" if schema else table)
        if found is not None:
            keys = list(found.primary_key.columns)
            return keys[0].name if len(keys) == 1 else None
    return None


def _volatile_column(context: MigrationContext, op: ops.AddColumnOp) -> Any:
    """``add_column`` with a volatile default, without the rewrite: add it nullable and
    without the default, give new rows the default, backfill the old ones, then NOT NULL."""
    column = op.column
    key = _primary_key(context, op.schema, op.table_name)
    if key is None:
        say(
            f"{op.table_name}.{column.name}: a volatile default rewrites the table, but the "
            "table has no single-column primary key to backfill by; add_column is kept as it is"
        )
        return op
    default = column.server_default
    bare = sa.Column(column.name, column.type, nullable=True, comment=column.comment)
    value = _default_sql(default)
    assert value is not None
    result: list[ops.MigrateOperation] = [
        ops.AddColumnOp(op.table_name, bare, schema=op.schema),
        ops.AlterColumnOp(
            op.table_name,
            column.name,
            schema=op.schema,
            existing_type=column.type,
            existing_nullable=True,
            modify_server_default=default,
        ),
        BackfillOp(
            op.table_name,
            values={column.name: value},
            where=f"{_sql.ident(column.name)} IS NULL",
            key=key,
            schema=op.schema,
        ),
    ]
    if not column.nullable:
        result.append(AddNotNullOp(op.table_name, column.name, schema=op.schema))
    return result


# --------------------------------------------------------------------------- type changes


def _type_text(type_: Any) -> str:
    if isinstance(type_, type):
        type_ = type_()
    return str(type_.compile(dialect=_DIALECT))


def _rewrites_table(op: ops.AlterColumnOp) -> bool:
    """A type change PostgreSQL makes by rewriting the table (:func:`alembic_safe.capture.types.classify`)."""
    if op.existing_type is None or op.modify_type is None:
        return False
    try:
        kind, _ = _types.classify(_type_text(op.existing_type), _type_text(op.modify_type))
    except Exception:  # a type that only compiles against a live dialect: not ours to judge
        return False
    return kind in (_types.TypeChange.REWRITE, _types.TypeChange.NARROWING)


def _refuse_if_not_online(context: MigrationContext, op: ops.AlterColumnOp) -> None:
    """With the database at hand: refuse, naming the recipe, what cannot change online."""
    connection = context.connection
    if connection is None:
        return

    def rows(sql: str) -> list[tuple[Any, ...]]:
        result = connection.exec_driver_sql(sql, execution_options={"no_parameters": True})
        return [tuple(row) for row in result]

    facts = _retype.inspect(rows, op.schema, op.table_name, op.column_name)
    if facts is not None and facts.blockers:
        raise _retype.refusal(facts, _type_text(op.modify_type))


# --------------------------------------------------------------------------- grants


def _serial_sequence(table: sa.Table) -> str | None:
    """The sequence PostgreSQL creates for a SERIAL / BIGSERIAL primary key, if any."""
    column = table.autoincrement_column
    if column is None or column.identity is not None:
        return None  # identity sequences need no grant: INSERT on the table is enough
    if column.default is not None or column.server_default is not None:
        return None
    if not isinstance(column.type, sa.Integer):
        return None
    return _sql.object_name(table.name, column.name, "seq")


def grant_statements(create: ops.CreateTableOp, role: str) -> tuple[list[str], list[str]]:
    """(GRANT statements, REVOKE statements) of ``role`` on a new table and its sequence."""
    table = create.to_table()
    target = _sql.qualified(create.schema, create.table_name)
    who = _sql.ident(role)
    grants = [f"GRANT {TABLE_PRIVILEGES} ON TABLE {target} TO {who}"]
    revokes = [f"REVOKE {TABLE_PRIVILEGES} ON TABLE {target} FROM {who}"]
    sequence = _serial_sequence(table)
    if sequence is not None:
        seq = _sql.qualified(create.schema, sequence)
        grants.append(f"GRANT {SEQUENCE_PRIVILEGES} ON SEQUENCE {seq} TO {who}")
        revokes.insert(0, f"REVOKE {SEQUENCE_PRIVILEGES} ON SEQUENCE {seq} FROM {who}")
    return grants, revokes


def _add_grants(script: ops.MigrationScript, info: _Script, role: str) -> None:
    for upgrade_ops, downgrade_ops in zip(
        script.upgrade_ops_list, script.downgrade_ops_list, strict=True
    ):
        for create in [op for op in upgrade_ops.ops if isinstance(op, ops.CreateTableOp)]:
            grants, revokes = grant_statements(create, role)
            at = upgrade_ops.ops.index(create) + 1
            upgrade_ops.ops[at:at] = [ops.ExecuteSQLOp(sql) for sql in grants]
            drop = next(
                (
                    i
                    for i, op in enumerate(downgrade_ops.ops)
                    if isinstance(op, ops.DropTableOp)
                    and (op.schema, op.table_name) == (create.schema, create.table_name)
                ),
                0,
            )
            downgrade_ops.ops[drop:drop] = [ops.ExecuteSQLOp(sql) for sql in revokes]


# --------------------------------------------------------------------------- downgrade


def _without_no_reverse(container: ops.OpContainer) -> None:
    kept = []
    for op in container.ops:
        if isinstance(op, NoReverseOp):
            continue
        if isinstance(op, ops.OpContainer):
            _without_no_reverse(op)
            if op.is_empty():
                continue
        kept.append(op)
    container.ops[:] = kept


def _repair_downgrade(script: ops.MigrationScript) -> None:
    """An empty downgrade under a non-empty upgrade: write its reverse, or refuse."""
    for upgrade_ops, downgrade_ops in zip(
        script.upgrade_ops_list, script.downgrade_ops_list, strict=True
    ):
        if upgrade_ops.is_empty() or not downgrade_ops.is_empty():
            continue
        try:
            upgrade_ops.reverse_into(downgrade_ops)
        except (NotImplementedError, ValueError) as exc:
            downgrade_ops.ops[:] = []
            blocking = _irreversible(upgrade_ops)
            raise UnsafeMigrationError(
                "alembic-safe refused to write the revision: its downgrade is empty and "
                "the upgrade cannot be reversed automatically.",
                context=[("Cannot reverse", blocking or f"{type(exc).__name__}: {exc}")],
                hint="Write the downgrade in the process_revision_directives hook that "
                "produced these operations, or generate the revision without them and "
                "write both directions by hand.",
            ) from exc
        _without_no_reverse(downgrade_ops)
        if downgrade_ops.is_empty():
            raise UnsafeMigrationError(
                "alembic-safe refused to write the revision: its downgrade is empty and "
                "the upgrade's operations leave nothing to reverse automatically "
                f"({', '.join(_op_name(op) for op in _walk([upgrade_ops]))}).",
                hint="Write the downgrade by hand, or declare the revision irreversible "
                'with irreversible = "<reason>".',
            )
        say("the downgrade was empty; it now reverses the upgrade")


def _op_name(op: ops.MigrateOperation) -> str:
    return "execute" if isinstance(op, ops.ExecuteSQLOp) else plan.op_name(op)


def _irreversible(container: ops.OpContainer) -> str:
    names = []
    for op in _walk([container]):
        try:
            op.reverse()
        except (NotImplementedError, ValueError):
            names.append(_op_name(op))
    return ", ".join(names)


# --------------------------------------------------------------------------- template


class _Generated:
    """A stand-in :class:`~alembic.script.Script` whose upgrade() invokes the generated ops."""

    def __init__(self, rev_id: str, upgrade_ops: Sequence[ops.UpgradeOps]) -> None:
        self.revision = rev_id
        self.path = "<autogenerate>"
        operations = list(_walk(upgrade_ops))

        def upgrade() -> None:
            from alembic import op

            for operation in operations:
                op.invoke(operation)

        self.module = SimpleNamespace(upgrade=upgrade)


def _indent(lines: Sequence[str]) -> str:
    return "\n    ".join(lines) if lines else "pass"


def _requirement_source(checks: Sequence[Check], autogen: AutogenContext) -> list[str]:
    classes: dict[str, type[pre.RequireOp]] = {
        "require_table": pre.RequireTableOp,
        "require_column": pre.RequireColumnOp,
        "require_index": pre.RequireIndexOp,
        "require_constraint": pre.RequireConstraintOp,
    }
    lines = []
    for check in checks:
        requirement = check.requirement
        if requirement is None or requirement.operation not in classes:
            continue
        cls = cast(Any, classes[requirement.operation])
        line = render.render_op_text(autogen, cls(*requirement.args, **dict(requirement.kwargs)))
        if line not in lines:
            lines.append(line)
    return lines


def _docstring_safe(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', "'''")


def _impact(captured: plan.Plan) -> list[str]:
    """A summary line, then one line per step that locks a table (the impact analysis's)."""
    lines = []
    tables: list[str] = []
    outside = 0
    for item in impact.analyse(captured).steps:
        step = item.step
        if step.op is None or not step.tables:
            continue
        tables.extend(step.tables)
        words = getattr(step.op, "locks", None)
        if not isinstance(words, str):
            strongest = max(item.locks, key=lambda use: LOCK_ORDER.index(use.lock), default=None)
            words = f"{strongest.lock}: blocks {strongest.blocks}" if strongest else "no table lock"
        where = ""
        if item.outside_transaction:
            outside += 1
            where = "; outside the migration transaction"
        lines.append(f"- {', '.join(step.tables)}: {step.name} ({words}{where})")
    if not lines:
        return []
    summary = f"{len(lines)} step(s) on {', '.join(dict.fromkeys(tables))}"
    if outside:
        summary += f", {outside} of them outside the migration transaction"
    return [summary, *lines]


def _risks(steps: Sequence[plan.Step]) -> list[str]:
    lines = [f"- {reason}" for step in steps for reason in destructive.step_reasons(step)]
    outside = [s.name for s in steps if not s.in_transaction or not s.transactional]
    if outside and len(outside) < len(steps):
        lines.append(
            f"- not atomic: {', '.join(dict.fromkeys(outside))} commit what ran before "
            "them. If a later step fails, the committed steps stay and the revision is not "
            "recorded, so running it again stops at them: finish or undo them by hand, or "
            "give the non-transactional steps a revision of their own"
        )
    return lines


def template_fields(
    script: ops.MigrationScript, autogen: AutogenContext, settings: Settings
) -> dict[str, str]:
    """The template variables of one generated script (see ``script.py.mako``)."""
    fields: dict[str, str] = {}
    ticket = _TICKET.search(script.message or "")
    if ticket:
        fields["ticket"] = " " + ticket.group(0)
    if not any(not container.is_empty() for container in script.upgrade_ops_list):
        return fields
    captured = recorder.capture(
        cast(Script, _Generated(str(script.rev_id), script.upgrade_ops_list)), "upgrade"
    )
    preconditions, post_checks = derive.derive(captured)
    fields["preconditions"] = _indent(_requirement_source(preconditions, autogen))
    fields["verify"] = _indent(_requirement_source(post_checks, autogen))
    summary = _impact(captured)
    if summary:
        fields["impact"] = _docstring_safe(" " + "\n".join(summary))
    risks = _risks(captured.steps)
    if risks:
        fields["risks"] = _docstring_safe("\n" + "\n".join(risks))
    created = [op for op in _top_ops(script.upgrade_ops_list) if isinstance(op, ops.CreateTableOp)]
    if created and not settings.app_role:
        names = ", ".join(_sql.qualified(op.schema, op.table_name) for op in created)
        fields["tasks"] = (
            f"- [ ] grant the application's role access to {names} "
            "(or set app_role to have the grants generated)"
        )
    return fields


# --------------------------------------------------------------------------- CHECK constraints

CHECK_PLUGIN = "alembic.ext.checkconstraint_byname"
"""Alembic's (opt-in) comparison of named CHECK constraints."""

IncludeObject = Callable[[Any, "str | None", str, bool, Any], bool]


def _type_bound(constraint: Any) -> bool:
    """A CHECK that SQLAlchemy writes for an ``Enum`` or ``Boolean`` column, not the model's own."""
    return bool(getattr(constraint, "_type_bound", False))


def _type_bound_checks(metadata: Any) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """(schema, table, name) of the model's Enum / Boolean CHECKs, and (schema, table, column)
    of their columns (unnamed ones can only be recognised by the column they check)."""
    names, columns = set(), set()
    for candidate in metadata if isinstance(metadata, (list, tuple)) else [metadata]:
        for table in getattr(candidate, "tables", {}).values():
            for constraint in table.constraints:
                if not isinstance(constraint, sa.CheckConstraint) or not _type_bound(constraint):
                    continue
                if isinstance(constraint.name, str) and constraint.name:
                    names.add((table.schema, table.name, str(constraint.name)))
                for column in constraint.columns:
                    columns.add((table.schema, table.name, column.name))
    return names, columns


def _checked_columns(sqltext: Any) -> set[str]:
    from pglast import ast, parse_sql, visitors
    from pglast.parser import ParseError

    found: set[str] = set()

    class Columns(visitors.Visitor):
        def visit_ColumnRef(self, ancestors: Any, node: ast.ColumnRef) -> None:
            last = (node.fields or ())[-1:]
            if last and isinstance(last[0], ast.String):
                found.add(str(last[0].sval))

    try:
        Columns()(parse_sql(f"SELECT {sqltext}"))
    except ParseError:
        return set()
    return found


def compare_check_constraints(
    target_metadata: Any, include_object: IncludeObject | None = None
) -> dict[str, Any]:
    """``context.configure()`` arguments that make autogenerate compare named CHECK constraints.

    Alembic compares them only with the ``alembic.ext.checkconstraint_byname`` plugin,
    and compares them by name: the CHECK constraints SQLAlchemy generates for ``Enum``
    and ``Boolean`` columns (``create_constraint=True``) would show up as added or dropped.
    The returned ``include_object`` leaves those out, in the model and in the database,
    then asks ``include_object`` (yours), if given.  The template's ``env.py`` does::

        alembic_safe.run_migrations(
            context, target_metadata, **rewrite.compare_check_constraints(target_metadata)
        )
    """

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if type_ == "check_constraint":
            if not reflected and _type_bound(obj):
                return False
            if reflected:
                table = getattr(obj, "table", None)
                schema, table_name = getattr(table, "schema", None), getattr(table, "name", "")
                names, columns = _type_bound_checks(target_metadata)
                if (schema, table_name, str(name)) in names:
                    return False
                checked = _checked_columns(getattr(obj, "sqltext", ""))
                if checked and all((schema, table_name, c) in columns for c in checked):
                    return False
        return include_object(obj, name, type_, reflected, compare_to) if include_object else True

    return {
        "autogenerate_plugins": ["alembic.autogenerate.*", CHECK_PLUGIN],
        "include_object": include,
    }


def _unnamed_checks(metadata: Any) -> list[str]:
    """CHECK constraints of the model without a name: autogenerate cannot compare them."""
    found = []
    for candidate in metadata if isinstance(metadata, (list, tuple)) else [metadata]:
        for table in getattr(candidate, "tables", {}).values():
            for constraint in table.constraints:
                if not isinstance(constraint, sa.CheckConstraint) or _type_bound(constraint):
                    continue
                if not isinstance(constraint.name, str) or not constraint.name:
                    found.append(f'"{table.fullname}": CHECK ({constraint.sqltext})')
    return found


def _is_autogenerate(context: MigrationContext) -> bool:
    return bool(getattr(getattr(context.config, "cmd_opts", None), "autogenerate", False))


def report_empty(context: MigrationContext, directives: Directives) -> bool:
    """An autogenerated revision with nothing in it is not written; say so, and why it may be.

    Returns True when the directives were emptied (no file is written).
    """
    if not _is_autogenerate(context) or not directives:
        return False
    if any(not c.is_empty() for script in directives for c in script.upgrade_ops_list):
        return False
    directives[:] = []
    lines = [
        "autogenerate found no difference between the model and the database, so no "
        "revision file was written."
    ]
    unnamed = _unnamed_checks(context.opts.get("target_metadata"))
    if unnamed:
        lines.append(
            "The model has CHECK constraints without a name, which autogenerate cannot "
            "compare (name them, e.g. sa.CheckConstraint(..., name=...)): " + "; ".join(unnamed)
        )
    if CHECK_PLUGIN not in (context.opts.get("autogenerate_plugins") or ()):
        lines.append(
            "Named CHECK constraints are not compared either: configure "
            "**rewrite.compare_check_constraints(target_metadata) (the template's env.py does)."
        )
    lines.append(
        "Autogenerate does not see every change (renames, server defaults unless "
        "compare_server_default=True, Enum values, triggers, functions...); for those, "
        'write the revision by hand with alembic revision -m "...".'
    )
    for line in lines:
        say(line)
    return True


# --------------------------------------------------------------------------- entry points


def _is_check_command(context: MigrationContext) -> bool:
    """``alembic check`` compares models and database: it wants Alembic's own operations."""
    config = context.config
    command = getattr(getattr(config, "cmd_opts", None), "cmd", None)
    function = command[0] if isinstance(command, tuple) and command else None
    return getattr(function, "__name__", "") == "check"


def _lift_out_of_batches(container: ops.OpContainer) -> None:
    """With ``render_as_batch``, keep the safe operations out of the batch blocks.

    Inside ``with op.batch_alter_table(...)`` the batch operations run when the block
    ends, so a safe operation written in the block would run out of order.  The safe
    operations before the table's first batch operation go before the block, the others
    after it.
    """
    result: list[ops.MigrateOperation] = []
    for op in container.ops:
        if not isinstance(op, ops.ModifyTableOps):
            result.append(op)
            continue
        before: list[ops.MigrateOperation] = []
        after: list[ops.MigrateOperation] = []
        batch: list[ops.MigrateOperation] = []
        for inner in op.ops:
            if isinstance(inner, SAFE_OPERATIONS):
                (after if batch else before).append(inner)
            else:
                batch.append(inner)
        op.ops[:] = batch
        result.extend([*before, *([op] if batch else []), *after])
    container.ops[:] = result


def process_revision_directives(
    settings: Settings | None = None, user_hook: Hook | None = None
) -> Hook:
    """The ``process_revision_directives`` hook: ``user_hook`` first, then the safe rewrite.

    The guard installs it for ``alembic revision``; an ``env.py`` that does not use the
    guard can install it itself::

        from alembic_safe import rewrite

        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            process_revision_directives=rewrite.process_revision_directives(),
        )

    :param settings: the alembic-safe settings (``app_role``); by default read from the
     Alembic configuration when the hook runs.
    :param user_hook: another ``process_revision_directives`` to run first.
    """

    def hook(context: MigrationContext, revision: Any, directives: Directives) -> None:
        if user_hook is not None:
            user_hook(context, revision, directives)
        if _is_check_command(context):
            return
        if report_empty(context, directives):
            return
        nonlocal settings
        if settings is None:
            settings = load_settings(context.config)
        for script in directives:
            info = _scan(script)
            names = _default_names(script)
            _name_drops(script, names)
            _rewriter(info, names)(context, revision, [script])
            if settings.app_role:
                _add_grants(script, info, settings.app_role)
            _repair_downgrade(script)
            if context.opts.get("render_as_batch"):
                for container in [*script.upgrade_ops_list, *script.downgrade_ops_list]:
                    _lift_out_of_batches(container)
        template_args = context.opts.get("template_args")
        if isinstance(template_args, dict) and len(directives) == 1:
            autogen = AutogenContext(context, autogenerate=False)
            template_args.update(template_fields(directives[0], autogen, settings))

    return hook


def configure_kwargs(kwargs: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """``context.configure()`` keyword arguments with the rewrite hook installed."""
    user_hook = kwargs.get("process_revision_directives")
    return {
        **kwargs,
        "process_revision_directives": process_revision_directives(settings, user_hook),
    }
