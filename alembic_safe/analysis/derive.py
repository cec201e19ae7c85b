"""Preconditions and post-checks derived from a plan's operations.

Before ``add_column("users", ...)`` the table must exist and the column must not; after
it, the column must exist.  Objects created or dropped earlier in the same plan are not
checked against the database before the revision (they do not exist yet, or no longer),
and post-checks describe the final state only.  ``if_exists`` / ``if_not_exists``
operations skip the precondition they make unnecessary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import singledispatch

from alembic.operations import ops

from alembic_safe import checks
from alembic_safe.capture.plan import Plan, Step
from alembic_safe.checks import Check
from alembic_safe.operations.ops import AddNotNullOp, BackfillOp, ValidateConstraintOp

Key = tuple[str, ...]


@dataclass
class _State:
    pre: list[Check] = field(default_factory=list)
    final: dict[Key, tuple[bool, Check]] = field(default_factory=dict)
    touched: set[Key] = field(default_factory=set)

    def require(self, key: Key, check: Check, origin: str, parents: tuple[Key, ...] = ()) -> None:
        """Add a precondition unless the plan already changed this object (or its table)."""
        if key in self.touched or any(p in self.touched for p in parents):
            return
        if any(c.description == check.description for c in self.pre):
            return
        self.pre.append(check.with_origin(origin))

    def result(self, key: Key, present: bool, check: Check, origin: str) -> None:
        self.touched.add(key)
        self.final[key] = (present, check.with_origin(origin))


def _t(schema: str | None, table: str) -> Key:
    return ("table", schema or "", table)


def _origin(step: Step) -> str:
    where = f" at line {step.lineno}" if step.lineno else ""
    return f"derived from {step.name}{where}"


def _if(op: ops.MigrateOperation, name: str) -> bool:
    return bool(getattr(op, name, False) or getattr(op, "kw", {}).get(name))


def derive(plan: Plan) -> tuple[list[Check], list[Check]]:
    """Return (preconditions, post-checks) for ``plan``."""
    state = _State()
    for step in plan.steps:
        if step.op is not None:
            derive_op(step.op, state, getattr(step.op, "schema", None), _origin(step))
    return state.pre, _post_checks(state)


@singledispatch
def derive_op(op: ops.MigrateOperation, state: _State, schema: str | None, origin: str) -> None:
    """The checks one operation implies; operations register theirs (``@derive_op.register``).

    The default implies nothing: raw SQL and unknown operations are not checked.
    """


@derive_op.register
def _(op: ops.CreateTableOp, state: _State, schema: str | None, origin: str) -> None:
    key = _t(schema, op.table_name)
    if not _if(op, "if_not_exists"):
        state.require(key, checks.relation_name_free(schema, op.table_name), origin)
    state.result(key, True, checks.table_exists(schema, op.table_name), origin)


@derive_op.register
def _(op: ops.DropTableOp, state: _State, schema: str | None, origin: str) -> None:
    key = _t(schema, op.table_name)
    if not _if(op, "if_exists"):
        state.require(key, checks.table_exists(schema, op.table_name), origin)
    state.result(key, False, checks.table_exists(schema, op.table_name, False), origin)


@derive_op.register
def _(op: ops.RenameTableOp, state: _State, schema: str | None, origin: str) -> None:
    old, new = _t(schema, op.table_name), _t(schema, op.new_table_name)
    state.require(old, checks.table_exists(schema, op.table_name), origin)
    state.require(new, checks.relation_name_free(schema, op.new_table_name), origin)
    state.result(old, False, checks.table_exists(schema, op.table_name, False), origin)
    state.result(new, True, checks.table_exists(schema, op.new_table_name), origin)


@derive_op.register
def _(op: ops.AddColumnOp, state: _State, schema: str | None, origin: str) -> None:
    table = _t(schema, op.table_name)
    key = ("column", schema or "", op.table_name, op.column.name)
    state.require(table, checks.table_exists(schema, op.table_name), origin)
    if not _if(op, "if_not_exists"):
        state.require(
            key,
            checks.column_exists(schema, op.table_name, op.column.name, False),
            origin,
            parents=(table,),
        )
    state.result(key, True, checks.column_exists(schema, op.table_name, op.column.name), origin)


@derive_op.register
def _(op: ops.DropColumnOp, state: _State, schema: str | None, origin: str) -> None:
    table = _t(schema, op.table_name)
    key = ("column", schema or "", op.table_name, op.column_name)
    if not _if(op, "if_exists"):
        state.require(
            key,
            checks.column_exists(schema, op.table_name, op.column_name),
            origin,
            parents=(table,),
        )
    state.result(
        key, False, checks.column_exists(schema, op.table_name, op.column_name, False), origin
    )


@derive_op.register
def _(op: ops.CreateIndexOp, state: _State, schema: str | None, origin: str) -> None:
    table = _t(schema, op.table_name)
    key = ("index", schema or "", op.index_name or "")
    state.require(table, checks.table_exists(schema, op.table_name), origin)
    if op.index_name and not _if(op, "if_not_exists"):
        state.require(key, checks.relation_name_free(schema, op.index_name, kind="index"), origin)
    if op.index_name:
        state.result(key, True, checks.index_exists(schema, op.index_name), origin)


@derive_op.register
def _(op: ops.DropIndexOp, state: _State, schema: str | None, origin: str) -> None:
    key = ("index", schema or "", op.index_name)
    if not _if(op, "if_exists"):
        state.require(key, checks.index_exists(schema, op.index_name), origin)
    state.result(key, False, checks.index_exists(schema, op.index_name, False), origin)


@derive_op.register
def _(op: ops.DropConstraintOp, state: _State, schema: str | None, origin: str) -> None:
    if not isinstance(op.constraint_name, str):
        return
    table = _t(schema, op.table_name)
    key = ("constraint", schema or "", op.table_name, op.constraint_name)
    if not _if(op, "if_exists"):
        state.require(
            key,
            checks.constraint_exists(schema, op.table_name, op.constraint_name),
            origin,
            parents=(table,),
        )
    state.result(
        key,
        False,
        checks.constraint_exists(schema, op.table_name, op.constraint_name, False),
        origin,
    )


@derive_op.register(ValidateConstraintOp)
@derive_op.register(AddNotNullOp)
@derive_op.register(BackfillOp)
def _safe_operation(
    op: ValidateConstraintOp | AddNotNullOp | BackfillOp,
    state: _State,
    schema: str | None,
    origin: str,
) -> None:
    """The safe operations that are not a form of an Alembic operation."""
    table = _t(schema, op.table_name)
    state.require(table, checks.table_exists(schema, op.table_name), origin)
    if isinstance(op, ValidateConstraintOp):
        key = ("constraint", schema or "", op.table_name, op.constraint_name)
        check = checks.constraint_exists(schema, op.table_name, op.constraint_name)
        state.require(key, check, origin, parents=(table,))
        return
    columns = [op.column_name] if isinstance(op, AddNotNullOp) else list(op.values)
    for column in columns:
        key = ("column", schema or "", op.table_name, column)
        check = checks.column_exists(schema, op.table_name, column)
        state.require(key, check, origin, parents=(table,))
    if isinstance(op, AddNotNullOp):
        state.result(
            ("not_null", schema or "", op.table_name, op.column_name),
            True,
            checks.column_not_null(schema, op.table_name, op.column_name, True),
            origin,
        )


@derive_op.register
def _alter_column(op: ops.AlterColumnOp, state: _State, schema: str | None, origin: str) -> None:
    table = _t(schema, op.table_name)
    key = ("column", schema or "", op.table_name, op.column_name)
    state.require(
        key, checks.column_exists(schema, op.table_name, op.column_name), origin, parents=(table,)
    )
    name = op.column_name
    if op.modify_name:
        new_key = ("column", schema or "", op.table_name, op.modify_name)
        state.require(
            new_key,
            checks.column_exists(schema, op.table_name, op.modify_name, False),
            origin,
            parents=(table,),
        )
        state.result(
            key, False, checks.column_exists(schema, op.table_name, op.column_name, False), origin
        )
        state.result(
            new_key, True, checks.column_exists(schema, op.table_name, op.modify_name), origin
        )
        name = op.modify_name
    if op.modify_nullable is not None:
        nn_key = ("not_null", schema or "", op.table_name, name)
        state.result(
            nn_key,
            True,
            checks.column_not_null(schema, op.table_name, name, not op.modify_nullable),
            origin,
        )


@derive_op.register(ops.CreateForeignKeyOp)
@derive_op.register(ops.CreateUniqueConstraintOp)
@derive_op.register(ops.CreateCheckConstraintOp)
@derive_op.register(ops.CreatePrimaryKeyOp)
def _add_constraint(
    op: ops.AddConstraintOp, state: _State, schema: str | None, origin: str
) -> None:
    table_name = getattr(op, "table_name", None) or getattr(op, "source_table", None)
    if not table_name:
        return
    if isinstance(op, ops.CreateForeignKeyOp):  # its schema is source_schema=, not schema=
        schema = op.kw.get("source_schema") or schema
    table = _t(schema, table_name)
    state.require(table, checks.table_exists(schema, table_name), origin)
    if isinstance(op, ops.CreateForeignKeyOp):
        ref_schema = op.kw.get("referent_schema")
        state.require(
            _t(ref_schema, op.referent_table),
            checks.table_exists(ref_schema, op.referent_table),
            origin,
        )
    name = getattr(op, "constraint_name", None)
    if not isinstance(name, str) or not name:
        return
    key = ("constraint", schema or "", table_name, name)
    state.require(
        key, checks.constraint_exists(schema, table_name, name, False), origin, parents=(table,)
    )
    state.result(key, True, checks.constraint_exists(schema, table_name, name), origin)


def _post_checks(state: _State) -> list[Check]:
    dropped_tables = {
        k for k, (present, _) in state.final.items() if k[0] == "table" and not present
    }
    post = []
    for key, (_present, check) in state.final.items():
        if key[0] != "table" and ("table", key[1], key[2]) in dropped_tables:
            continue  # the table is gone, and everything in it
        post.append(check)
    return post
