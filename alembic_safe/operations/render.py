"""How ``alembic revision --autogenerate`` writes the safe and precondition operations.

Each renderer returns the Python source of one ``op.<name>(...)`` call, in the style of
Alembic's own renderers (names through ``op.f()`` when a naming convention made them,
default arguments left out).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from alembic.autogenerate.api import AutogenContext
from alembic.autogenerate.render import (
    _get_index_rendered_expressions,
    _ident,
    _render_gen_name,
    _render_potential_expr,
    _repr_type,
    renderers,
)

from alembic_safe.operations import preconditions as pre
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

_IMPLIED = {"postgresql_concurrently", "postgresql_not_valid"}
"""Dialect options the safe operation sets itself; never written out."""


def _prefix(autogen_context: AutogenContext) -> str:
    return str(autogen_context.opts.get("alembic_module_prefix") or "op.")


def _call(
    autogen_context: AutogenContext,
    name: str,
    args: Iterable[str],
    kwargs: Iterable[tuple[str, str]] = (),
) -> str:
    parts = list(args) + [f"{key}={value}" for key, value in kwargs]
    return f"{_prefix(autogen_context)}{name}({', '.join(parts)})"


def _name(autogen_context: AutogenContext, name: Any) -> str:
    return repr(_render_gen_name(autogen_context, name))


def _schema(schema: str | None) -> list[tuple[str, str]]:
    return [("schema", repr(_ident(schema)))] if schema else []


def _dialect_kwargs(
    autogen_context: AutogenContext, items: Iterable[tuple[str, Any]]
) -> list[tuple[str, str]]:
    return [
        (key, _render_potential_expr(value, autogen_context))
        for key, value in items
        if key not in _IMPLIED and value is not None
    ]


@renderers.dispatch_for(CreateIndexConcurrentlyOp)
def _create_index_concurrently(
    autogen_context: AutogenContext, op: CreateIndexConcurrentlyOp
) -> str:
    index = op.to_index()
    assert index.table is not None
    kwargs: list[tuple[str, str]] = []
    if index.unique:
        kwargs.append(("unique", "True"))
    kwargs += _schema(index.table.schema)
    if op.if_not_exists is False:
        kwargs.append(("if_not_exists", "False"))
    kwargs += _dialect_kwargs(autogen_context, index.dialect_kwargs.items())
    columns = ", ".join(_get_index_rendered_expressions(index, autogen_context))
    return _call(
        autogen_context,
        "create_index_concurrently",
        [_name(autogen_context, op.index_name), repr(_ident(op.table_name)), f"[{columns}]"],
        kwargs,
    )


@renderers.dispatch_for(DropIndexConcurrentlyOp)
def _drop_index_concurrently(autogen_context: AutogenContext, op: DropIndexConcurrentlyOp) -> str:
    args = [_name(autogen_context, op.index_name)]
    if op.table_name:
        args.append(repr(_ident(op.table_name)))
    kwargs = _schema(op.schema)
    if op.if_exists is False:
        kwargs.append(("if_exists", "False"))
    return _call(autogen_context, "drop_index_concurrently", args, kwargs)


@renderers.dispatch_for(AddForeignKeyNotValidOp)
def _add_foreign_key_not_valid(autogen_context: AutogenContext, op: AddForeignKeyNotValidOp) -> str:
    args = [
        _name(autogen_context, op.constraint_name),
        repr(_ident(op.source_table)),
        repr(_ident(op.referent_table)),
        repr([_ident(c) for c in op.local_cols]),
        repr([_ident(c) for c in op.remote_cols]),
    ]
    named = ("onupdate", "ondelete", "deferrable", "initially", "match")
    kwargs = [(k, repr(op.kw[k])) for k in named if op.kw.get(k) is not None]
    for key in ("source_schema", "referent_schema"):
        if op.kw.get(key):
            kwargs.append((key, repr(_ident(op.kw[key]))))
    constraint = op.to_constraint()
    kwargs += _dialect_kwargs(autogen_context, constraint.dialect_kwargs.items())
    return _call(autogen_context, "add_foreign_key_not_valid", args, kwargs)


@renderers.dispatch_for(AddCheckConstraintNotValidOp)
def _add_check_constraint_not_valid(
    autogen_context: AutogenContext, op: AddCheckConstraintNotValidOp
) -> str:
    constraint = op.to_constraint()
    args = [
        _name(autogen_context, op.constraint_name),
        repr(_ident(op.table_name)),
        _render_potential_expr(constraint.sqltext, autogen_context, wrap_in_element=False),
    ]
    kwargs = _schema(op.schema) + _dialect_kwargs(
        autogen_context, constraint.dialect_kwargs.items()
    )
    return _call(autogen_context, "add_check_constraint_not_valid", args, kwargs)


@renderers.dispatch_for(ValidateConstraintOp)
def _validate_constraint(autogen_context: AutogenContext, op: ValidateConstraintOp) -> str:
    args = [_name(autogen_context, op.constraint_name), repr(_ident(op.table_name))]
    return _call(autogen_context, "validate_constraint", args, _schema(op.schema))


@renderers.dispatch_for(AddNotNullOp)
def _add_not_null(autogen_context: AutogenContext, op: AddNotNullOp) -> str:
    args = [repr(_ident(op.table_name)), repr(_ident(op.column_name))]
    return _call(autogen_context, "add_not_null", args, _schema(op.schema))


@renderers.dispatch_for(AddUniqueConstraintConcurrentlyOp)
def _add_unique_constraint_concurrently(
    autogen_context: AutogenContext, op: AddUniqueConstraintConcurrentlyOp
) -> str:
    args = [
        _name(autogen_context, op.constraint_name),
        repr(_ident(op.table_name)),
        repr([_ident(str(c)) for c in op.columns]),
    ]
    kwargs = _schema(op.schema)
    for key in ("deferrable", "initially"):
        if op.kw.get(key) is not None:
            kwargs.append((key, repr(op.kw[key])))
    return _call(autogen_context, "add_unique_constraint_concurrently", args, kwargs)


@renderers.dispatch_for(BackfillOp)
def _backfill(autogen_context: AutogenContext, op: BackfillOp) -> str:
    values = ", ".join(
        f"{column!r}: {value!r}"
        if isinstance(value, str)
        else f"{column!r}: {_render_potential_expr(value, autogen_context)}"
        for column, value in op.values.items()
    )
    kwargs = [("set", "{" + values + "}")]
    if op.where is not None:
        kwargs.append(("where", repr(op.where)))
    if op.batch_size != 1000:
        kwargs.append(("batch_size", repr(op.batch_size)))
    if op.key != "id":
        kwargs.append(("key", repr(op.key)))
    kwargs += _schema(op.schema)
    if op.pause:
        kwargs.append(("pause", repr(op.pause)))
    if op.batch_time is not None:
        kwargs.append(("batch_time", repr(op.batch_time)))
    return _call(autogen_context, "backfill", [repr(_ident(op.table_name))], kwargs)


@renderers.dispatch_for(AlterColumnTypeOnlineOp)
def _alter_column_type_online(autogen_context: AutogenContext, op: AlterColumnTypeOnlineOp) -> str:
    assert op.modify_type is not None
    args = [
        repr(_ident(op.table_name)),
        repr(_ident(op.column_name)),
        _repr_type(op.modify_type, autogen_context),
    ]
    kwargs: list[tuple[str, str]] = []
    if op.existing_type is not None:
        kwargs.append(("existing_type", _repr_type(op.existing_type, autogen_context)))
    if op.using is not None:
        kwargs.append(("using", repr(op.using)))
    if op.key is not None:
        kwargs.append(("key", repr(op.key)))
    kwargs += _schema(op.schema)
    if op.existing_nullable is not None:
        kwargs.append(("existing_nullable", repr(op.existing_nullable)))
    return _call(autogen_context, "alter_column_type_online", args, kwargs)


@renderers.dispatch_for(NoReverseOp)
def _no_reverse(autogen_context: AutogenContext, op: NoReverseOp) -> str:
    return f"# {op.note}"


# --------------------------------------------------------------------------- preconditions


def _flag(name: str, value: Any, default: Any) -> list[tuple[str, str]]:
    return [] if value == default else [(name, repr(value))]


@renderers.dispatch_for(pre.RequireTableOp)
def _require_table(autogen_context: AutogenContext, op: pre.RequireTableOp) -> str:
    kwargs = _flag("exists", op.exists, True) + _schema(op.schema)
    return _call(autogen_context, "require_table", [repr(op.table_name)], kwargs)


@renderers.dispatch_for(pre.RequireColumnOp)
def _require_column(autogen_context: AutogenContext, op: pre.RequireColumnOp) -> str:
    kwargs = _flag("exists", op.exists, True) + _flag("nullable", op.nullable, None)
    return _call(
        autogen_context,
        "require_column",
        [repr(op.table_name), repr(op.column_name)],
        kwargs + _schema(op.schema),
    )


@renderers.dispatch_for(pre.RequireIndexOp)
def _require_index(autogen_context: AutogenContext, op: pre.RequireIndexOp) -> str:
    kwargs = _flag("exists", op.exists, True) + _schema(op.schema)
    return _call(autogen_context, "require_index", [repr(op.index_name)], kwargs)


@renderers.dispatch_for(pre.RequireConstraintOp)
def _require_constraint(autogen_context: AutogenContext, op: pre.RequireConstraintOp) -> str:
    kwargs = _flag("exists", op.exists, True) + _schema(op.schema)
    return _call(
        autogen_context,
        "require_constraint",
        [repr(op.table_name), repr(op.constraint_name)],
        kwargs,
    )


@renderers.dispatch_for(pre.RequireSqlOp)
def _require_sql(autogen_context: AutogenContext, op: pre.RequireSqlOp) -> str:
    kwargs = _flag("equals", op.equals, None) + _flag("message", op.message, None)
    return _call(autogen_context, "require_sql", [repr(op.query)], kwargs)
