"""Compatibility rules: changes that break application code still running during the deploy."""

from __future__ import annotations

from collections.abc import Iterable

from alembic.operations import ops
from pglast import ast, enums

from alembic_safe.rules.base import (
    Finding,
    RuleContext,
    Severity,
    StatementRef,
    StatementRule,
    alter_commands,
    norm,
    register,
    table_call,
    target_table,
)


def _rename(ref: StatementRef, kind: enums.ObjectType) -> ast.RenameStmt | None:
    node = ref.node
    if isinstance(node, ast.RenameStmt) and node.renameType == kind and node.relation is not None:
        return node
    return None


def _dependents(ctx: RuleContext, table: str, column: str | None = None) -> str:
    if ctx.live is None:
        return ""
    found = [d for d in ctx.live.dependents(table, column) if d.kind != "default"]
    blocking = [d.describe() for d in found if d.blocks]
    if not blocking:
        return ""
    return f"; used by {', '.join(blocking[:6])}" + (" and more" if len(blocking) > 6 else "")


@register
class RenameTable(StatementRule):
    """## What it does
    Flags renaming a table (`op.rename_table`, `ALTER TABLE ... RENAME TO`).

    ## Why is this bad?
    The application code still running during the deploy (the previous release, workers,
    reports) queries the old name and fails from the moment the migration commits. The
    rename itself takes a short ACCESS EXCLUSIVE lock. Views and functions follow the
    rename (they reference the table by OID), so with `--url` the finding names them.

    ## What to do instead
    Rename, and keep the old name working through an updatable view until no code uses
    it (drop the view in a later revision):

    ```python
    op.rename_table("customers", "clients")
    op.execute("CREATE VIEW customers AS SELECT * FROM clients")
    ```

    Or expand and contract: create the new table, write to both, backfill, switch reads,
    then drop the old one.

    ## Exemptions
    Tables created earlier in the same revision.

    ## PostgreSQL versions
    All (simple views are updatable since 9.3).
    """

    id = "rename-table"
    nodes = (ast.RenameStmt,)
    severity = Severity.ERROR
    size_sensitive = False
    message = 'renaming "{table}" to "{new}" breaks running code that still uses "{table}"{used_by}'
    suggestion = '{call}, then op.execute("CREATE VIEW {table} AS SELECT * FROM {new}") until no code uses the old name'

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        node = _rename(ref, enums.ObjectType.OBJECT_TABLE)
        if node is None:
            return
        table = target_table(ref)
        if ctx.table_is_new(table, ref):
            return
        yield ctx.report(
            self,
            ref,
            table=table,
            new=node.newname,
            call=table_call("op.rename_table", table, node.newname),
            used_by=_dependents(ctx, table),
        )


@register
class RenameColumn(StatementRule):
    """## What it does
    Flags renaming a column (`op.alter_column(..., new_column_name=...)`,
    `ALTER TABLE ... RENAME COLUMN`).

    ## Why is this bad?
    SQLAlchemy selects every mapped column by name, so the code still running during the
    deploy fails on every query of the table from the moment the migration commits. The
    rename itself takes a short ACCESS EXCLUSIVE lock.

    ## What to do instead
    Expand and contract over several releases: add the new column, write to both (in the
    application or a trigger), backfill, read from the new one, stop writing the old one,
    then drop it:

    ```python
    op.add_column("users", sa.Column("full_name", sa.Text(), nullable=True))
    op.backfill("users", set={"full_name": "name"}, where="full_name IS NULL", batch_size=10_000)
    ```

    ## Exemptions
    Tables created and columns added earlier in the same revision.

    ## PostgreSQL versions
    All.
    """

    id = "rename-column"
    nodes = (ast.RenameStmt,)
    severity = Severity.ERROR
    size_sensitive = False
    message = 'renaming "{table}"."{column}" to "{new}" breaks running code that still uses "{column}"{used_by}'
    suggestion = 'add "{new}", write to both, {backfill}, switch reads, then drop "{column}" in a later revision'

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        node = _rename(ref, enums.ObjectType.OBJECT_COLUMN)
        if node is None:
            return
        table = target_table(ref)
        column = str(node.subname)
        if ctx.table_is_new(table, ref) or ctx.column_is_new(table, column, ref):
            return
        yield ctx.report(
            self,
            ref,
            table=table,
            column=column,
            new=node.newname,
            backfill=table_call(
                "op.backfill",
                table,
                set={node.newname: column},
                where=f"{node.newname} IS NULL",
                batch_size=10000,
            ),
            used_by=_dependents(ctx, table, column),
        )


@register
class DropNotNull(StatementRule):
    """## What it does
    Flags dropping `NOT NULL` from a column of an existing table (`op.alter_column(...,
    nullable=True)`, `ALTER TABLE ... ALTER COLUMN ... DROP NOT NULL`).

    ## Why is this bad?
    Nothing waits on a lock (it is a catalog change), but it breaks compatibility: the
    code still running during the deploy (the previous release, workers, reports) reads
    the column assuming it always has a value. As soon as the new code writes a NULL,
    that code fails or misbehaves (a `None` where it expects a string, a sum that turns
    NULL). A rollback of the application alone is then not safe either.

    ## What to do instead
    Expand and contract: first release code that handles NULL in the column everywhere
    it reads it; once no running code assumes a value, drop `NOT NULL` in a later
    revision, and only then let the code write NULL:

    ```python
    # release 1: the application tolerates NULL in users.phone
    # release 2 (this revision):
    op.alter_column("users", "phone", existing_type=sa.Text(), nullable=True)  # alembic-safe: ignore[drop-not-null] readers handle NULL since v41
    ```

    ## Exemptions
    Tables created and columns added earlier in the same revision; `downgrade()` (it
    restores what the previous release expects).

    ## PostgreSQL versions
    All.
    """

    id = "drop-not-null"
    nodes = (ast.AlterTableStmt,)
    severity = Severity.WARNING
    size_sensitive = False
    message = 'dropping NOT NULL on "{table}"."{column}" lets new code write NULLs that the code still running does not expect'
    suggestion = 'release code that handles NULL in "{column}" first, then drop NOT NULL in a later revision: {call}'

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        table = target_table(ref)
        if ref.safe_op or ctx.table_is_new(table, ref):
            return
        for cmd in alter_commands(ref):
            if cmd.subtype != enums.AlterTableType.AT_DropNotNull:
                continue
            column = str(cmd.name)
            if ctx.column_is_new(table, column, ref):
                continue
            yield ctx.report(
                self,
                ref,
                table=table,
                column=column,
                call=table_call("op.alter_column", table, column, nullable=True),
            )


_UNIQUE_KINDS = {"unique": "unique constraint", "primary": "primary key"}
"""``op.drop_constraint(type_=...)`` -> the kind as the catalog names it (``LiveCatalog``)."""


def _dropped_constraint(ref: StatementRef, ctx: RuleContext) -> Iterable[tuple[str, str, str]]:
    """(table, constraint, kind) for each unique or primary key constraint the statement drops.

    The kind comes from ``op.drop_constraint(type_=...)`` or, with ``--url``, the catalog.
    """
    op = ref.step.op
    table = target_table(ref)
    for cmd in alter_commands(ref):
        if cmd.subtype != enums.AlterTableType.AT_DropConstraint or not cmd.name:
            continue
        kind = None
        if isinstance(op, ops.DropConstraintOp) and op.constraint_type in _UNIQUE_KINDS:
            kind = _UNIQUE_KINDS[str(op.constraint_type)]
        elif ctx.live is not None:
            kind = ctx.live.constraint_kind(table, str(cmd.name))
        if kind in {*_UNIQUE_KINDS.values(), "exclusion constraint"}:
            yield table, str(cmd.name), str(kind)


def _replaced(ref: StatementRef, ctx: RuleContext, table: str) -> bool:
    """The same revision adds a unique key to the table, before the drop or after it."""
    for other in ctx.refs:
        node = other.node
        if other is ref or norm(target_table(other)) != norm(table):
            continue
        if isinstance(node, ast.IndexStmt) and node.unique:
            return True
        for cmd in alter_commands(other):
            constraint = cmd.def_
            if (
                cmd.subtype == enums.AlterTableType.AT_AddConstraint
                and isinstance(constraint, ast.Constraint)
                and constraint.contype
                in {enums.ConstrType.CONSTR_UNIQUE, enums.ConstrType.CONSTR_PRIMARY}
            ):
                return True
    return False


@register
class DropUniqueConstraint(StatementRule):
    """## What it does
    Flags dropping a unique constraint or primary key of an existing table
    (`op.drop_constraint(..., type_="unique")` or `type_="primary"`; with `--url`, any
    `DROP CONSTRAINT` the catalog shows to be one) when the revision does not add a
    replacement unique key to the table.

    ## Why is this bad?
    Code relies on uniqueness: `INSERT ... ON CONFLICT (...)` fails with "there is no
    unique or exclusion constraint matching the ON CONFLICT specification", lookups that
    expect one row get several, and while the previous release still runs it can write the
    duplicates the constraint used to refuse. The drop also removes the constraint's
    index, so queries that used it scan the table.

    ## What to do instead
    Expand and contract: release code that no longer needs the uniqueness (no `ON
    CONFLICT` on these columns, no single-row lookups), then drop the constraint in a later
    revision. To change the key's columns, add the new unique index concurrently first:

    ```python
    op.add_unique_constraint_concurrently("uq_users_org_email", "users", ["org_id", "email"])
    op.drop_constraint("uq_users_email", "users", type_="unique")
    ```

    ## Exemptions
    Tables created earlier in the same revision; a revision that adds a unique
    constraint, primary key or unique index (a partial one included) to the same table,
    before the drop or after it (a replacement); `downgrade()`.

    ## PostgreSQL versions
    All.
    """

    id = "drop-unique-constraint"
    nodes = (ast.AlterTableStmt,)
    severity = Severity.WARNING
    size_sensitive = False
    message = 'dropping {kind} "{name}" of "{table}" breaks code that relies on it (INSERT ... ON CONFLICT, single-row lookups) and lets duplicates in'
    suggestion = "release code that no longer relies on the uniqueness first, then drop it in a later revision; to change its columns, add the new unique key before dropping this one"

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        if ref.safe_op:
            return
        for table, name, kind in _dropped_constraint(ref, ctx):
            if ctx.table_is_new(table, ref) or _replaced(ref, ctx, table):
                continue
            yield ctx.report(self, ref, table=table, name=name, kind=kind)


_JSON = {"json", "pg_catalog.json"}


@register
class AddColumnJson(StatementRule):
    """## What it does
    Flags a `json` column added to an existing table (`sa.JSON()`, `postgresql.JSON()`,
    `ADD COLUMN ... json`).

    ## Why is this bad?
    `json` has no equality operator. Queries of the table that compare whole rows or
    columns, `SELECT DISTINCT ...`, `UNION`, `GROUP BY` over all columns, start failing
    with "could not identify an equality operator for type json" as soon as the column
    exists, in the code that is already running.

    ## What to do instead
    Use `jsonb`, which has equality, indexing and is stored parsed:

    ```python
    op.add_column("events", sa.Column("payload", postgresql.JSONB(), nullable=True))
    ```

    ## Exemptions
    Tables created earlier in the same revision.

    ## PostgreSQL versions
    All.
    """

    id = "add-column-json"
    nodes = (ast.AlterTableStmt,)
    severity = Severity.WARNING
    size_sensitive = False
    message = 'adding json column "{table}"."{column}" breaks SELECT DISTINCT, UNION and GROUP BY over "{table}" (json has no equality operator)'
    suggestion = (
        'op.add_column({table_py}, sa.Column("{column}", postgresql.JSONB(), ...){schema_kw})'
    )

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        table = target_table(ref)
        if ref.safe_op or ctx.table_is_new(table, ref):
            return
        for cmd in alter_commands(ref):
            column = cmd.def_
            if cmd.subtype != enums.AlterTableType.AT_AddColumn or not isinstance(
                column, ast.ColumnDef
            ):
                continue
            type_name = ".".join(
                str(n.sval) for n in column.typeName.names or () if isinstance(n, ast.String)
            ).lower()
            if type_name in _JSON:
                yield ctx.report(self, ref, table=table, column=str(column.colname))
