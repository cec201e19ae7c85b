"""Constraint rules: validate constraints without holding locks during the scan."""

from __future__ import annotations

from collections.abc import Iterable

from alembic.operations import ops
from pglast import ast, enums

from alembic_safe.capture.sqlparse import render_node
from alembic_safe.pg.catalog import split_table
from alembic_safe.rules.base import (
    Finding,
    RuleContext,
    Severity,
    StatementRef,
    StatementRule,
    alter_commands,
    call,
    existing_alter_target,
    names,
    norm,
    not_null_check_column,
    register,
    table_call,
    target_table,
    validated_not_null_checks,
)

_AT = enums.AlterTableType


def _added(
    cmd: ast.AlterTableCmd, contype: enums.ConstrType
) -> list[tuple[ast.Constraint, str | None]]:
    """Validated constraints of ``contype`` the command adds, with the new column if inline."""
    found: list[tuple[ast.Constraint, str | None]] = []
    if cmd.subtype == _AT.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
        if cmd.def_.contype == contype and not cmd.def_.skip_validation:
            found.append((cmd.def_, None))
    elif cmd.subtype == _AT.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
        for constraint in cmd.def_.constraints or ():
            if constraint.contype == contype and not constraint.skip_validation:
                found.append((constraint, str(cmd.def_.colname)))
    return found


def _foreign_key_call(
    name: str, table: str, constraint: ast.Constraint, local: list[str], remote: list[str]
) -> str:
    source_schema, source = split_table(table)
    referent_schema = constraint.pktable.schemaname if constraint.pktable is not None else None
    referent = str(constraint.pktable.relname) if constraint.pktable is not None else ""
    return call(
        "op.add_foreign_key_not_valid",
        name,
        source,
        referent,
        local,
        remote,
        source_schema=source_schema,
        referent_schema=referent_schema or None,
    )


@register
class AddForeignKeyValidated(StatementRule):
    """## What it does
    Flags a foreign key added to an existing table without `NOT VALID`
    (`op.create_foreign_key`, `ADD CONSTRAINT ... FOREIGN KEY`, `ADD COLUMN ... REFERENCES`).

    ## Why is this bad?
    Adding a validated foreign key takes SHARE ROW EXCLUSIVE on **both** tables and scans
    the referencing table to check every row: writes to both tables wait for the scan.

    ## What to do instead
    Add it `NOT VALID` (a short lock, no scan; new rows are checked from now on), then
    validate it in a separate transaction (SHARE UPDATE EXCLUSIVE on the referencing
    table, ROW SHARE on the referenced one: reads and writes continue):

    ```python
    op.add_foreign_key_not_valid("fk_orders_user", "orders", "users", ["user_id"], ["id"])
    op.validate_constraint("fk_orders_user", "orders")
    ```

    Index the referencing column too (`op.create_index_concurrently`).

    ## Exemptions
    Tables created earlier in the same revision.

    ## PostgreSQL versions
    All (`NOT VALID` for foreign keys since 9.1).
    """

    id = "add-foreign-key-validated"
    nodes = (ast.AlterTableStmt,)
    severity = Severity.ERROR
    slow = True
    message = 'adding foreign key {name} validates every row of "{table}" while writes to "{table}" and "{referent}" wait'
    suggestion = '{call}, then op.validate_constraint("{name}", {table_py}{schema_kw})'

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        table = existing_alter_target(ref, ctx)
        if table is None:
            return
        for cmd in alter_commands(ref):
            for constraint, column in _added(cmd, enums.ConstrType.CONSTR_FOREIGN):
                op = ref.step.op
                referent = norm(constraint.pktable.relname if constraint.pktable else "")
                local = [column] if column else names(constraint.fk_attrs)
                remote = names(constraint.pk_attrs)
                name = constraint.conname or f"fk_{table}_{'_'.join(local)}_{referent}"
                if isinstance(op, ops.CreateForeignKeyOp):
                    name = str(op.constraint_name or name)
                    local, remote = list(op.local_cols), list(op.remote_cols)
                yield ctx.report(
                    self,
                    ref,
                    table=table,
                    referent=referent,
                    name=name,
                    call=_foreign_key_call(name, table, constraint, local, remote),
                )


@register
class AddCheckConstraintValidated(StatementRule):
    """## What it does
    Flags a CHECK constraint added to an existing table without `NOT VALID`
    (`op.create_check_constraint`, `ADD CONSTRAINT ... CHECK (...)`).

    ## Why is this bad?
    Adding a validated CHECK takes ACCESS EXCLUSIVE and scans the whole table to check
    every row: reads and writes wait for the scan.

    ## What to do instead
    Add it `NOT VALID` (a short ACCESS EXCLUSIVE, no scan), then validate it in a
    separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes continue):

    ```python
    op.add_check_constraint_not_valid("ck_orders_amount", "orders", "amount > 0")
    op.validate_constraint("ck_orders_amount", "orders")
    ```

    ## Exemptions
    Tables created earlier in the same revision.

    ## PostgreSQL versions
    All (`NOT VALID` for CHECK constraints since 9.2).
    """

    id = "add-check-constraint-validated"
    nodes = (ast.AlterTableStmt,)
    severity = Severity.ERROR
    slow = True
    message = 'adding CHECK {name} scans "{table}" under ACCESS EXCLUSIVE: reads and writes wait'
    suggestion = '{call}, then op.validate_constraint("{name}", {table_py}{schema_kw})'

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        table = existing_alter_target(ref, ctx)
        if table is None:
            return
        for cmd in alter_commands(ref):
            for constraint, _column in _added(cmd, enums.ConstrType.CONSTR_CHECK):
                op = ref.step.op
                name = constraint.conname or f"ck_{table}"
                condition = render_node(constraint.raw_expr)
                if isinstance(op, ops.CreateCheckConstraintOp):
                    name = str(op.constraint_name or name)
                    condition = str(op.condition)
                yield ctx.report(
                    self,
                    ref,
                    table=table,
                    name=name,
                    call=table_call(
                        "op.add_check_constraint_not_valid", table, condition, before=(name,)
                    ),
                )


@register
class ValidateInSameTransaction(StatementRule):
    """## What it does
    Flags `VALIDATE CONSTRAINT` run in the same transaction as the `ADD CONSTRAINT ...
    NOT VALID` it validates.

    ## Why is this bad?
    The `NOT VALID` add took ACCESS EXCLUSIVE (CHECK) or SHARE ROW EXCLUSIVE (foreign key)
    and holds it until commit, so the validation scan runs under that lock: it is as
    blocking as adding the constraint validated.

    ## What to do instead
    Validate after a commit: `op.validate_constraint` does, or put the validation in the
    next revision (with `transaction_per_migration = True` in env.py):

    ```python
    op.add_check_constraint_not_valid("ck_orders_amount", "orders", "amount > 0")
    op.validate_constraint("ck_orders_amount", "orders")
    ```

    ## PostgreSQL versions
    All.
    """

    id = "validate-in-same-transaction"
    nodes = (ast.AlterTableStmt,)
    severity = Severity.ERROR
    slow = True
    message = (
        'VALIDATE CONSTRAINT {name} scans "{table}" under the lock its NOT VALID add still holds'
    )
    suggestion = 'op.validate_constraint("{name}", {table_py}{schema_kw}) (it commits first), or validate in the next revision'

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        if ref.safe_op or not ref.in_transaction:
            return
        for cmd in alter_commands(ref):
            if cmd.subtype != _AT.AT_ValidateConstraint:
                continue
            table = target_table(ref)
            if ctx.table_is_new(table, ref):
                continue
            for earlier in ctx.refs[: ref.position]:
                if earlier.transaction != ref.transaction or not earlier.in_transaction:
                    continue
                for add in alter_commands(earlier):
                    if (
                        add.subtype == _AT.AT_AddConstraint
                        and isinstance(add.def_, ast.Constraint)
                        and add.def_.conname == cmd.name
                        and add.def_.skip_validation
                    ):
                        yield ctx.report(self, ref, table=table, name=cmd.name)


@register
class SetNotNull(StatementRule):
    """## What it does
    Flags `SET NOT NULL` on a column of an existing table (`op.alter_column(...,
    nullable=False)`, raw SQL) when no validated `CHECK (column IS NOT NULL)` exists.

    ## Why is this bad?
    `SET NOT NULL` takes ACCESS EXCLUSIVE and scans the whole table to prove there is no
    NULL: reads and writes wait for the scan.

    ## What to do instead
    ```python
    op.add_not_null("users", "email")
    ```

    It adds `CHECK (email IS NOT NULL) NOT VALID` (short lock), validates it in its own
    transaction (SHARE UPDATE EXCLUSIVE: reads and writes continue), runs `SET NOT NULL`
    (short ACCESS EXCLUSIVE, no scan: PostgreSQL uses the validated check), and drops the
    check.

    ## Exemptions
    Tables created earlier in the same revision; a validated `CHECK (column IS NOT NULL)`
    added earlier in the revision, in an earlier revision of the history, or (with
    `--url`) present in the database.

    ## PostgreSQL versions
    The scan is skipped thanks to a validated CHECK on PostgreSQL 12 and later. Before
    12 there is no lock-free way; the finding stays and says so.
    """

    id = "set-not-null"
    nodes = (ast.AlterTableStmt,)
    severity = Severity.ERROR
    slow = True
    message = 'SET NOT NULL on "{table}"."{column}" scans "{table}" under ACCESS EXCLUSIVE: reads and writes wait'
    suggestion = "{call}"

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        if ref.safe_op:
            return
        table = target_table(ref)
        for cmd in alter_commands(ref):
            if cmd.subtype != _AT.AT_SetNotNull:
                continue
            column = str(cmd.name)
            if ctx.table_is_new(table, ref):
                continue
            known = ctx.history.not_null_checks if ctx.history else {}
            checks = validated_not_null_checks(ctx.refs[: ref.position], known)
            has_check = (norm(table), column) in checks or (
                ctx.live is not None and ctx.live.validated_not_null_check(table, column)
            )
            advice = table_call("op.add_not_null", table, column)
            if ctx.postgres_version < 12:
                yield ctx.report(
                    self,
                    ref,
                    table=table,
                    column=column,
                    call=advice,
                    suggestion=f"{advice} keeps writes flowing only on PostgreSQL 12+; "
                    f"on {ctx.postgres_version}, run it in a maintenance window",
                )
            elif not has_check:
                yield ctx.report(
                    self, ref, table=table, column=column, call=advice, key=(norm(table), column)
                )


__all__ = ["not_null_check_column"]
