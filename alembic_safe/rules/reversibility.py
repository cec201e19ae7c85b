"""Reversibility rules: a downgrade that exists and undoes what the upgrade did."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pglast import ast, enums

from alembic_safe.analysis.reversibility import reversibility
from alembic_safe.capture.header import irreversible_reason
from alembic_safe.capture.plan import Plan
from alembic_safe.capture.sqlparse import qualified
from alembic_safe.pg.catalog import split_table
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
    table_call,
    target_table,
)

_OT = enums.ObjectType


@register
class MissingDowngrade(Rule):
    """## What it does
    Flags a revision whose `downgrade()` does not reverse its `upgrade()`: it is missing,
    empty (`pass`, a docstring, comments only), raises `NotImplementedError`, or emits
    nothing. What is required depends on what the upgrade changes (the one policy, in
    `alembic_safe.analysis.reversibility`, which the guarded upgrade follows too):

    - **a schema change** (tables, columns, indexes, constraints, types, functions,
      triggers): a real downgrade, or `irreversible = "<reason>"` at module level. A
      comment beside `pass` is not enough;
    - **nothing that can be undone** (`VALIDATE CONSTRAINT`, `ANALYZE`, `VACUUM`, `SET`,
      `REINDEX`, `CLUSTER`, `REFRESH MATERIALIZED VIEW`, or no statement: a merge point):
      an empty downgrade is right and passes;
    - **data only** (`INSERT`, `UPDATE`, `DELETE`, `SELECT`, `bulk_insert`): an empty
      downgrade passes when it says why, in a comment or docstring beside it, or with
      `irreversible = "<reason>"`; the reason is shown as the revision's irreversibility.
      An upgrade that reads the database counts as a data change at least (offline, what
      the answers feed is not seen); when capture stopped before its end, it counts as a
      schema change.

    A downgrade that only raises an exception with a message (`raise RuntimeError("Cannot
    undelete data")`) declares the revision irreversible with that message.

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

    For a data fix that has nothing to restore, say why beside the empty downgrade:

    ```python
    def downgrade() -> None:
        pass  # the duplicates are deleted for good; restore them from the pre-upgrade backup
    ```

    or, when any change cannot be undone, say why at module level:

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
        advice = None
        if verdict.data_only:
            advice = (
                "the upgrade changes data only: write why nothing is restored beside the empty "
                'downgrade (pass  # <reason>), or declare irreversible = "<reason>"'
            )
        yield ctx.report(
            self,
            None,
            revision=ctx.revision,
            problem=verdict.problem,
            subject="downgrade",
            line=line,
            suggestion=advice,
        )


@dataclass(frozen=True)
class _Created:
    """An object a plan creates: its table, the columns it is on, and how to drop it."""

    table: str
    drop: str
    columns: tuple[str, ...] = ()


def _created(plan: Plan) -> dict[tuple[str, str], _Created]:
    """Objects a plan creates, by (kind, schema-qualified name)."""
    found: dict[tuple[str, str], _Created] = {}
    renamed_away: set[str] = set()  # types that existed before the plan (a swap re-creates them)
    for step in plan.steps:
        for statement in step.statements:
            node = statement.node
            if isinstance(node, ast.RenameStmt) and node.renameType == _OT.OBJECT_TYPE:
                old_name = ".".join(n.sval for n in node.object or () if isinstance(n, ast.String))
                renamed_away.add(norm(old_name))
            if isinstance(node, (ast.CreateStmt, ast.CreateTableAsStmt)):
                for name in statement.creates:
                    found[("table", norm(name))] = _Created(
                        norm(name), table_call("op.drop_table", name)
                    )
            elif isinstance(node, ast.ViewStmt):
                for name in statement.creates:
                    found[("view", norm(name))] = _Created("", f'op.execute("DROP VIEW {name}")')
            elif isinstance(node, ast.IndexStmt) and node.idxname:
                table = statement.tables[0] if statement.tables else ""
                schema, bare_table = split_table(table)
                index = f"{schema}.{node.idxname}" if schema else str(node.idxname)
                columns = tuple(
                    str(p.name)
                    for p in node.indexParams or ()
                    if isinstance(p, ast.IndexElem) and p.name
                )
                found[("index", norm(index))] = _Created(
                    norm(table),
                    call(
                        "op.drop_index",
                        node.idxname,
                        table_name=bare_table or None,
                        schema=schema,
                    ),
                    columns,
                )
            elif isinstance(node, ast.CreateEnumStmt):
                name = ".".join(n.sval for n in node.typeName if isinstance(n, ast.String))
                if norm(name) not in renamed_away:
                    found[("type", norm(name))] = _Created("", f'op.execute("DROP TYPE {name}")')
            elif isinstance(node, ast.CreateSeqStmt) and node.sequence is not None:
                name = qualified(node.sequence)
                found[("sequence", norm(name))] = _Created(
                    "", f'op.execute("DROP SEQUENCE {name}")'
                )
            if isinstance(node, ast.RenameStmt) and node.relation is not None:
                _renamed(node, statement, found)
            if isinstance(node, ast.AlterTableStmt):
                _indexes_taken_by_constraints(node, statement, found)
            for table, column in added_columns(statement):
                key = ("column", f"{norm(table)}.{column}")
                found[key] = _Created(norm(table), table_call("op.drop_column", table, column))
    return found


def _renamed(node: Any, statement: Any, found: dict[tuple[str, str], _Created]) -> None:
    table = norm(statement.tables[0] if statement.tables else "")
    if node.renameType == _OT.OBJECT_COLUMN:
        old_key = ("column", f"{table}.{node.subname}")
        if old_key in found:
            del found[old_key]
            found[("column", f"{table}.{node.newname}")] = _Created(
                table, table_call("op.drop_column", table, node.newname)
            )
    elif node.renameType == _OT.OBJECT_TABLE and ("table", table) in found:
        del found[("table", table)]
        schema, _ = split_table(table)
        new = norm(f"{schema}.{node.newname}" if schema else node.newname)
        found[("table", new)] = _Created(new, table_call("op.drop_table", new))


def _indexes_taken_by_constraints(
    node: Any, statement: Any, found: dict[tuple[str, str], _Created]
) -> None:
    """``ADD CONSTRAINT ... USING INDEX ix``: the index becomes the constraint's (and is
    dropped with it)."""
    schema, _ = split_table(statement.tables[0] if statement.tables else "")
    for cmd in node.cmds or ():
        constraint = cmd.def_
        if (
            cmd.subtype == enums.AlterTableType.AT_AddConstraint
            and isinstance(constraint, ast.Constraint)
            and constraint.indexname
        ):
            index = f"{schema}.{constraint.indexname}" if schema else constraint.indexname
            found.pop(("index", norm(index)), None)


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
    indexes on a column the downgrade drops (they go with it), an index the upgrade turns
    into a constraint (`ADD CONSTRAINT ... USING INDEX`), an enum type the upgrade re-creates
    under the name of the one it renamed away (a type swap), and plans that could not be
    captured completely.

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
        dropped_columns = {name for kind, name in dropped if kind == "column"}
        left = {
            key: value
            for key, value in created.items()
            if key not in dropped
            and not (value.table and value.table in dropped_tables)
            and not any(f"{value.table}.{c}" in dropped_columns for c in value.columns)
        }
        if not left:
            return
        objects = ", ".join(f'{kind} "{name}"' for kind, name in left)
        calls = "; ".join(value.drop for value in left.values())
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
