"""Compatibility rules: changes that break application code still running during the deploy."""

from __future__ import annotations

from collections.abc import Iterable

from pglast import ast, enums

from alembic_safe.rules.base import (
    Finding,
    RuleContext,
    Severity,
    StatementRef,
    StatementRule,
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
