"""Column rules: adding columns and changing their types without rewriting the table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pglast import ast, enums

from alembic_safe.analysis import volatility
from alembic_safe.capture import types as _types
from alembic_safe.capture.sqlparse import render_node
from alembic_safe.pg.catalog import split_table
from alembic_safe.rules.base import (
    Finding,
    RuleContext,
    Severity,
    StatementRef,
    StatementRule,
    alter_commands,
    py,
    register,
    table_call,
    target_table,
)

_AT = enums.AlterTableType
_C = enums.ConstrType

SERIAL_TYPES = frozenset({"serial", "bigserial", "smallserial", "serial2", "serial4", "serial8"})


def _type_name(column: ast.ColumnDef) -> str:
    parts = [n.sval for n in column.typeName.names if isinstance(n, ast.String)]
    return parts[-1].lower() if parts else ""


def _added_columns(ref: StatementRef) -> Iterator[ast.ColumnDef]:
    for cmd in alter_commands(ref):
        if cmd.subtype == _AT.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
            yield cmd.def_


def _constraint(column: ast.ColumnDef, contype: enums.ConstrType) -> ast.Constraint | None:
    for constraint in column.constraints or ():
        if constraint.contype == contype:
            return constraint  # type: ignore[no-any-return]
    return None


@register
class AddColumnNotNullNoDefault(StatementRule):
    """## What it does
    Flags a `NOT NULL` column without a default added to an existing table
    (`op.add_column(..., sa.Column(..., nullable=False))` with no `server_default`).

    ## Why is this bad?
    PostgreSQL has no value to put in the existing rows, so the `ALTER TABLE` fails as
    soon as the table has one row. Where it succeeds (an empty table in development), it
    still breaks every INSERT of the application code already running, which does not
    know the column.

    ## What to do instead
    Add the column nullable, fill it, then make it NOT NULL without a long lock:

    ```python
    op.add_column("users", sa.Column("locale", sa.Text(), nullable=True))
    op.backfill("users", set={"locale": "'en'"}, where="locale IS NULL", batch_size=10_000)
    op.add_not_null("users", "locale")
    ```

    Or give it a constant `server_default` (no rewrite on PostgreSQL 11+).

    ## Exemptions
    Tables created earlier in the same revision.

    ## PostgreSQL versions
    All.
    """

    id = "add-column-not-null-no-default"
    nodes = (ast.AlterTableStmt,)
    severity = Severity.ERROR
    size_sensitive = False
    message = 'adding NOT NULL column "{table}"."{column}" without a default fails when "{table}" has rows and breaks INSERTs of running code'
    suggestion = (
        'op.add_column({table_py}, sa.Column("{column}", ..., nullable=True){schema_kw}), then '
        'op.backfill({table_py}, set={{"{column}": ...}}, where="{column} IS NULL", batch_size=10_000{schema_kw}), then '
        "{not_null}"
    )

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        table = target_table(ref)
        if ref.safe_op or ctx.table_is_new(table, ref):
            return
        for column in _added_columns(ref):
            if _constraint(column, _C.CONSTR_NOTNULL) is None and not column.is_not_null:
                continue
            if any(
                _constraint(column, kind) is not None
                for kind in (_C.CONSTR_DEFAULT, _C.CONSTR_IDENTITY, _C.CONSTR_GENERATED)
            ):
                continue
            if _type_name(column) in SERIAL_TYPES:
                continue
            name = str(column.colname)
            yield ctx.report(
                self,
                ref,
                table=table,
                column=name,
                not_null=table_call("op.add_not_null", table, name),
            )


@register
class AddColumnVolatileDefault(StatementRule):
    """## What it does
    Flags columns added to an existing table that PostgreSQL must fill row by row: a
    volatile default (`gen_random_uuid()`, `random()`, `clock_timestamp()`, `nextval()`),
    `serial`/`bigserial` types, identity columns (`sa.Identity()`) and stored generated
    columns (`sa.Computed(..., persisted=True)`). Before PostgreSQL 11, any default.

    ## Why is this bad?
    The `ALTER TABLE` rewrites the whole table (and rebuilds its indexes) under ACCESS
    EXCLUSIVE: reads and writes wait for the rewrite. A constant or STABLE default
    (`now()`, `'active'`) is stored once in the catalog on PostgreSQL 11+ and is fine.

    ## What to do instead
    Add the column without the default, set the default for new rows, and fill the
    existing rows in batches that commit as they go:

    ```python
    op.add_column("users", sa.Column("token", sa.Uuid(), nullable=True))
    op.alter_column("users", "token", server_default=sa.text("gen_random_uuid()"))
    op.backfill("users", set={"token": "gen_random_uuid()"}, where="token IS NULL", batch_size=10_000)
    ```

    For identity or serial keys: a nullable `bigint` column with a sequence default,
    backfilled the same way, then `op.add_not_null`.

    ## Exemptions
    Tables created earlier in the same revision. With `--url`, a function's volatility is
    read from `pg_proc`; offline, an unknown function is a warning.

    ## PostgreSQL versions
    11 and later: only volatile defaults, identity, serial and stored generated columns
    rewrite. Before 11, every non-NULL default rewrites. PostgreSQL 18's VIRTUAL generated
    columns do not rewrite.
    """

    id = "add-column-volatile-default"
    nodes = (ast.AlterTableStmt,)
    severity = Severity.ERROR
    slow = True
    message = 'adding "{table}"."{column}" {why}: the table is rewritten under ACCESS EXCLUSIVE, reads and writes wait'
    suggestion = (
        'op.add_column({table_py}, sa.Column("{column}", ..., nullable=True){schema_kw}), then '
        'op.alter_column({table_py}, "{column}", server_default=sa.text({default}){schema_kw}), then '
        'op.backfill({table_py}, set={{"{column}": {default}}}, where="{column} IS NULL", batch_size=10_000{schema_kw})'
    )

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        table = target_table(ref)
        if ref.safe_op or ctx.table_is_new(table, ref):
            return
        for column in _added_columns(ref):
            verdict = self._why(column, ctx)
            if verdict is None:
                continue
            why, default, level = verdict
            name = str(column.colname)
            schema, bare = split_table(table)
            on = py(bare)
            kw = f", schema={py(schema)}" if schema else ""
            advice = None
            if why.startswith("as a stored generated column"):
                advice = (
                    f'op.add_column({on}, sa.Column("{name}", ..., nullable=True){kw}), then '
                    f'op.backfill({on}, set={{"{name}": "{default}"}}, where="{name} IS NULL", '
                    f"batch_size=10_000{kw}), kept current by a trigger (or a VIRTUAL generated "
                    "column on PostgreSQL 18+)"
                )
            elif default == "nextval(...)":
                advice = (
                    f'op.add_column({on}, sa.Column("{name}", sa.BigInteger(), nullable=True){kw}), '
                    f"attach a sequence with op.alter_column(server_default=...), "
                    f'op.backfill({on}, set={{"{name}": "nextval(...)"}}, where="{name} IS NULL", '
                    f"batch_size=10_000{kw}), then {table_call('op.add_not_null', table, name)}"
                )
            yield ctx.report(
                self,
                ref,
                table=table,
                column=name,
                why=why,
                default=f'"{default}"',
                severity=level,
                suggestion="{advice}" if advice else None,
                advice=advice or "",
            )

    def _why(self, column: ast.ColumnDef, ctx: RuleContext) -> tuple[str, str, Severity] | None:
        type_name = _type_name(column)
        if type_name in SERIAL_TYPES:
            return f"as {type_name} fills every row from a sequence", "nextval(...)", self.severity
        identity = _constraint(column, _C.CONSTR_IDENTITY)
        if identity is not None:
            return "as an identity column fills every row", "nextval(...)", self.severity
        generated = _constraint(column, _C.CONSTR_GENERATED)
        if generated is not None and getattr(generated, "generated_kind", "s") != "v":
            expr = render_node(generated.raw_expr)
            return (
                f"as a stored generated column computes ({expr}) for every row",
                expr,
                self.severity,
            )
        default = _constraint(column, _C.CONSTR_DEFAULT)
        if default is None or default.raw_expr is None:
            return None
        expr = render_node(default.raw_expr)
        if isinstance(default.raw_expr, ast.A_Const) and default.raw_expr.isnull:
            return None
        if ctx.postgres_version < 11:
            return (
                f"with DEFAULT {expr} (PostgreSQL {ctx.postgres_version} writes every default)",
                expr,
                self.severity,
            )
        live = ctx.live.function_volatility if ctx.live is not None else None
        verdict = volatility.judge(default.raw_expr, live)
        if verdict.is_volatile:
            return f"with volatile DEFAULT {expr}", expr, self.severity
        unknown = verdict.unknown
        if unknown:
            return (
                f"with DEFAULT {expr} (if {', '.join(unknown)} is VOLATILE, as offline it cannot be told)",
                expr,
                Severity.WARNING,
            )
        return None


def _type_changes(
    ref: StatementRef, ctx: RuleContext
) -> Iterator[tuple[str, str, str | None, str | None, _types.TypeChange, str]]:
    """(table, column, new, old, kind, reason) for each ALTER COLUMN TYPE of the statement."""
    table = target_table(ref)
    from_op = {c.column: c for c in ref.step.type_changes if c.old_type is not None}
    for cmd in alter_commands(ref):
        if cmd.subtype != _AT.AT_AlterColumnType or not isinstance(cmd.def_, ast.ColumnDef):
            continue
        column = str(cmd.name)
        known = from_op.get(column)
        old = known.old_type if known is not None else None
        new = known.new_type if known is not None else render_node(cmd.def_.typeName)
        raw_using = cmd.def_.raw_default
        if old is None and ctx.live is not None:
            old = ctx.live.column_type(table, column)
        converts = raw_using is not None and not _plain_cast(raw_using, column, new)
        if old is None and converts:
            reason = f"USING {render_node(raw_using)} computes a new value for every row"
            yield table, column, new, None, _types.TypeChange.REWRITE, reason
            continue
        if old is None:
            yield table, column, new, None, _types.TypeChange.UNKNOWN, ""
            continue
        kind, reason = _types.classify(old, new)
        if converts and kind in {_types.TypeChange.SAME, _types.TypeChange.METADATA}:
            using = render_node(raw_using)
            kind, reason = _types.TypeChange.REWRITE, f"USING {using} is computed for every row"
        yield table, column, new, old, kind, reason


def _plain_cast(using: Any, column: str, new_type: str) -> bool:
    """``USING column`` or ``USING column::<new type>``: no conversion beyond the type change.

    PostgreSQL then skips the rewrite exactly when it would without ``USING`` (a
    binary-coercible change such as ``numeric(10,2)`` -> ``numeric(11,2)``); any other
    expression (a function, a cast through another type, arithmetic) rewrites the table.
    """
    if isinstance(using, ast.TypeCast):
        cast_to = _types.parse_type(render_node(using.typeName))
        if cast_to != _types.parse_type(new_type):
            return False
        using = using.arg
    if not isinstance(using, ast.ColumnRef) or not using.fields:
        return False
    last = using.fields[-1]
    return isinstance(last, ast.String) and str(last.sval) == column


@register
class AlterColumnType(StatementRule):
    """## What it does
    Flags a column type change that rewrites the table (`int` -> `bigint`, `text` ->
    `jsonb`, a `USING` conversion) and, offline, one whose old type is unknown. Changes
    PostgreSQL makes in the catalog only are recognised and pass: `varchar(n)` ->
    `varchar(m >= n)`, `varchar` -> `text`, `numeric(p, s)` -> `numeric(p' >= p, s)`,
    unconstrained `numeric`, `cidr` -> `inet`, more fractional-second precision.

    ## Why is this bad?
    A rewrite copies every row and rebuilds every index of the table under ACCESS
    EXCLUSIVE: reads and writes wait for minutes on a large table. The conversion can also
    fail half way on a value that does not cast.

    ## What to do instead
    Expand and contract: add a column of the new type, fill it in batches, switch the
    application to it, then drop the old column in a later revision:

    ```python
    op.add_column("orders", sa.Column("amount_new", sa.BigInteger(), nullable=True))
    op.backfill("orders", set={"amount_new": "amount"}, where="amount_new IS NULL", batch_size=10_000)
    ```

    Offline the old type is known only when the revision states it: pass
    `existing_type=` to `op.alter_column`, or run `alembic-safe check --url`, which reads
    the live column type. A `USING` expression that converts the values (a function, a
    cast through another type: `USING to_json(value)`, `USING value::text::int`) rewrites
    the table whatever the old type, and is an error offline too; `USING column::<new
    type>` converts nothing more than the type change itself, so it is judged like the
    change without `USING` (a rewrite unless binary coercible, "may rewrite" while the old
    type is unknown).

    ## Exemptions
    Tables created earlier in the same revision (a column added earlier does not count:
    the rewrite copies every row of the table); changes that are narrowing are reported
    by `narrow-column-type` instead.

    ## PostgreSQL versions
    All. `timestamp` <-> `timestamptz` skips the rewrite on 12+ only when the session
    TimeZone is UTC; it is reported as a rewrite.
    """

    id = "alter-column-type"
    nodes = (ast.AlterTableStmt,)
    severity = Severity.ERROR
    slow = True
    message = 'changing "{table}"."{column}" {change} rewrites "{table}" and its indexes under ACCESS EXCLUSIVE: reads and writes wait ({reason})'
    suggestion = (
        'op.add_column({table_py}, sa.Column("{column}_new", ..., nullable=True){schema_kw}), '
        'op.backfill({table_py}, set={{"{column}_new": "{column}"}}, where="{column}_new IS NULL", batch_size=10_000{schema_kw}), '
        "switch the application, then drop the old column in a later revision"
    )

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        if ref.safe_op:
            return
        for table, column, new, old, kind, reason in _type_changes(ref, ctx):
            if ctx.table_is_new(table, ref):
                continue  # a column added in this revision still has every row to rewrite
            if kind is _types.TypeChange.UNKNOWN:
                yield ctx.report(
                    self,
                    ref,
                    table=table,
                    column=column,
                    severity=Severity.WARNING,
                    slow=False,
                    message='changing "{table}"."{column}" to {new} may rewrite "{table}" under ACCESS EXCLUSIVE; the old type is not known offline',
                    suggestion="pass existing_type= to op.alter_column (or run check with --url) so the change can be classified",
                    new=new,
                )
            elif kind is _types.TypeChange.REWRITE:
                yield ctx.report(
                    self,
                    ref,
                    table=table,
                    column=column,
                    change=f"from {old} to {new}" if old else f"to {new}",
                    reason=reason,
                )


@register
class NarrowColumnType(StatementRule):
    """## What it does
    Flags a type change that can lose or reject data: shorter `varchar`, `text` ->
    `varchar(n)`, `bigint` -> `int`, fewer `numeric` decimals or digits, less
    fractional-second precision, `float8` -> `float4`.

    ## Why is this bad?
    Values are cut, rounded or rejected. Rounding is silent data loss; rejection fails the
    migration half way on production data that development did not have. The change also
    scans or rewrites the table under ACCESS EXCLUSIVE. The guarded upgrade asks for
    confirmation of these steps.

    ## What to do instead
    Decide what happens to each value that does not fit, then migrate explicitly: add a
    column of the new type, fill it with the conversion you chose, check nothing was lost,
    and swap:

    ```python
    op.add_column("users", sa.Column("name_short", sa.String(50), nullable=True))
    op.backfill("users", set={"name_short": "left(name, 50)"}, where="name_short IS NULL", batch_size=10_000)
    ```

    ## Exemptions
    Tables created and columns added earlier in the same revision: they hold no data yet.

    ## PostgreSQL versions
    All. Offline the old type must be stated (`existing_type=`); with `--url` it is read
    from the database.
    """

    id = "narrow-column-type"
    nodes = (ast.AlterTableStmt,)
    severity = Severity.ERROR
    destructive = True
    size_sensitive = False
    slow = True
    message = 'changing "{table}"."{column}" from {old} to {new} can lose data: {reason}'
    suggestion = 'add "{column}_new" of the new type, op.backfill it with an explicit conversion, verify, then swap'

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        for table, column, new, old, kind, reason in _type_changes(ref, ctx):
            if kind is not _types.TypeChange.NARROWING or ctx.table_is_new(table, ref):
                continue
            if ctx.column_is_new(table, column, ref):
                continue
            yield ctx.report(self, ref, table=table, column=column, old=old, new=new, reason=reason)
