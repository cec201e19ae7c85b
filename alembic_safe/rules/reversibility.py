"""Reversibility rules: a downgrade that exists and undoes what the upgrade did."""

from __future__ import annotations

from collections.abc import Iterable

from pglast import ast, enums

from alembic_safe.analysis.reversibility import reversibility
from alembic_safe.capture.header import irreversible_reason
from alembic_safe.capture.plan import Plan
from alembic_safe.rules.base import (
    Finding,
    Rule,
    RuleContext,
    Severity,
    added_columns,
    alter_commands,
    call,
    norm,
    register,
    target_table,
)

_OT = enums.ObjectType


@register
class MissingDowngrade(Rule):
    """## What it does
    Flags a revision whose `downgrade()` is missing, empty (`pass`, a docstring only),
    raises `NotImplementedError`, or emits nothing, unless the revision declares itself
    irreversible with a reason. A revision whose upgrade does nothing (a merge point)
    needs no downgrade.

    ## Why is this bad?
    When the release has to be rolled back, `alembic downgrade` "succeeds" without
    undoing anything, and the next upgrade fails on objects that already exist. The
    guarded upgrade refuses such a revision before it runs.

    ## What to do instead
    Write the reverse operations, in reverse order:

    ```python
    def downgrade() -> None:
        op.drop_index("ix_users_email", table_name="users")
        op.drop_column("users", "email")
    ```

    or, when the change cannot be undone, say why at module level:

    ```python
    irreversible = "drops the legacy_audit table; restore it from the pre-upgrade backup"
    ```

    ## PostgreSQL versions
    All.
    """

    id = "missing-downgrade"
    severity = Severity.ERROR
    size_sensitive = False
    directions = ("downgrade",)
    message = "revision {revision} {problem}"
    suggestion = 'write a downgrade() that reverses upgrade(), or declare irreversible = "<why it cannot be reversed>"'

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        upgrade = ctx.other_plan
        if upgrade is None:
            return
        declared = getattr(ctx.script.module, "irreversible", None)
        if ctx.plan.steps and ctx.plan.complete and (declared is None or declared is False):
            return  # a downgrade that emits operations: nothing for reversibility() to find
        verdict = reversibility(ctx.script, upgrade, ctx.plan)
        if verdict.ok:
            return
        line = ctx.function_line("downgrade")
        if line == 1:
            line = ctx.function_line("upgrade")
        yield ctx.report(
            self,
            None,
            revision=ctx.revision,
            problem=verdict.problem,
            subject="downgrade",
            line=line,
        )


def _created(plan: Plan) -> dict[tuple[str, str], tuple[str, str]]:
    """Objects a plan creates: (kind, name) -> (table, how to drop it)."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for step in plan.steps:
        for statement in step.statements:
            node = statement.node
            if isinstance(node, (ast.CreateStmt, ast.CreateTableAsStmt)):
                for name in statement.creates:
                    schema, _, bare = name.rpartition(".")
                    drop = call("op.drop_table", bare, schema=schema or None)
                    found[("table", norm(name))] = (norm(name), drop)
            elif isinstance(node, ast.ViewStmt):
                for name in statement.creates:
                    found[("view", norm(name))] = ("", f'op.execute("DROP VIEW {name}")')
            elif isinstance(node, ast.IndexStmt) and node.idxname:
                table = statement.tables[0] if statement.tables else ""
                schema, _, bare = table.rpartition(".")  # an index lives in its table's schema
                name = f"{schema}.{node.idxname}" if schema else node.idxname
                found[("index", norm(name))] = (
                    norm(table),
                    call(
                        "op.drop_index",
                        node.idxname,
                        table_name=bare or None,
                        schema=schema or None,
                    ),
                )
            elif isinstance(node, ast.CreateEnumStmt):
                name = ".".join(n.sval for n in node.typeName if isinstance(n, ast.String))
                found[("type", norm(name))] = ("", f'op.execute("DROP TYPE {name}")')
            elif isinstance(node, ast.CreateSeqStmt) and node.sequence is not None:
                name = str(node.sequence.relname)
                found[("sequence", norm(name))] = ("", f'op.execute("DROP SEQUENCE {name}")')
            if isinstance(node, ast.RenameStmt) and node.relation is not None:
                table = norm(statement.tables[0] if statement.tables else "")
                if node.renameType == _OT.OBJECT_COLUMN:
                    old_key = ("column", f"{table}.{node.subname}")
                    if old_key in found:
                        del found[old_key]
                        found[("column", f"{table}.{node.newname}")] = (
                            table,
                            call("op.drop_column", table, node.newname),
                        )
                elif node.renameType == _OT.OBJECT_TABLE and ("table", table) in found:
                    del found[("table", table)]
                    found[("table", norm(node.newname))] = (
                        norm(node.newname),
                        call("op.drop_table", node.newname),
                    )
            for table, column in added_columns(statement):
                key = ("column", f"{norm(table)}.{column}")
                found[key] = (norm(table), call("op.drop_column", table, column))
    return found


def _dropped(plan: Plan) -> set[tuple[str, str]]:
    kinds = {
        _OT.OBJECT_TABLE: "table",
        _OT.OBJECT_VIEW: "view",
        _OT.OBJECT_MATVIEW: "view",
        _OT.OBJECT_INDEX: "index",
        _OT.OBJECT_TYPE: "type",
        _OT.OBJECT_SEQUENCE: "sequence",
    }
    gone: set[tuple[str, str]] = set()
    for step in plan.steps:
        for statement in step.statements:
            node = statement.node
            if isinstance(node, ast.DropStmt) and node.removeType in kinds:
                for name in statement.actions:
                    gone.add((kinds[node.removeType], norm(name)))
            elif isinstance(node, ast.AlterTableStmt):
                table = norm(statement.tables[0] if statement.tables else "")
                for cmd in node.cmds or ():
                    if cmd.subtype == enums.AlterTableType.AT_DropColumn:
                        gone.add(("column", f"{table}.{cmd.name}"))
            elif isinstance(node, ast.RenameStmt) and node.renameType == _OT.OBJECT_TABLE:
                gone.add(("table", norm(target_table_of(statement))))
    return gone


def target_table_of(statement: object) -> str:
    tables = getattr(statement, "tables", ())
    return str(tables[0]) if tables else ""


@register
class IncompleteDowngrade(Rule):
    """## What it does
    Flags objects `upgrade()` creates (tables, columns, indexes, views, enum types,
    sequences) that `downgrade()` never drops.

    ## Why is this bad?
    After a downgrade the leftovers stay, and the next upgrade fails on "already exists"
    (a classic: `sa.Enum` columns create a PostgreSQL type that `op.drop_table` does not
    drop). A rollback that cannot be re-applied is not a rollback.

    ## What to do instead
    Drop every created object in `downgrade()`, in reverse order:

    ```python
    def downgrade() -> None:
        op.drop_table("orders")
        op.execute("DROP TYPE order_status")
    ```

    ## Exemptions
    Revisions declared `irreversible = "<reason>"`, objects the upgrade itself drops again,
    and plans that could not be captured completely.

    ## PostgreSQL versions
    All.
    """

    id = "incomplete-downgrade"
    severity = Severity.WARNING
    size_sensitive = False
    directions = ("downgrade",)
    message = "downgrade() of revision {revision} does not drop what upgrade() creates: {objects}"
    suggestion = "add to downgrade(): {calls}"

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        upgrade = ctx.other_plan
        downgrade = ctx.plan
        if upgrade is None or irreversible_reason(ctx.script.module) is not None:
            return
        if not (upgrade.complete and downgrade.complete) or not downgrade.steps:
            return
        created = _created(upgrade)
        for gone in _dropped(upgrade):
            created.pop(gone, None)
        dropped = _dropped(downgrade)
        dropped_tables = {name for kind, name in dropped if kind == "table"}
        left = {
            key: value
            for key, value in created.items()
            if key not in dropped and not (value[0] and value[0] in dropped_tables)
        }
        if not left:
            return
        objects = ", ".join(f'{kind} "{name}"' for kind, name in left)
        calls = "; ".join(value[1] for value in left.values())
        yield ctx.report(
            self,
            None,
            revision=ctx.revision,
            objects=objects,
            calls=calls,
            subject=objects,
            line=ctx.function_line("downgrade"),
        )


__all__ = ["alter_commands", "target_table"]
