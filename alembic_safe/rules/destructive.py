"""Destructive rules: statements that delete data or objects other code depends on.

Which statements destroy data is decided once, in :mod:`alembic_safe.capture.sqlparse`
(``Statement.destructive``) and :mod:`alembic_safe.capture.plan` (narrowing type changes): the
guarded upgrade asks for confirmation of exactly these steps, and these rules report them
with the rule id that names the hazard.
"""

from __future__ import annotations

from collections.abc import Iterable

from pglast import ast, enums, visitors

from alembic_safe.analysis import deps
from alembic_safe.capture.sqlparse import render_node
from alembic_safe.rules.base import (
    Finding,
    Rule,
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


def _kind(ref: StatementRef) -> str:
    node = ref.node
    if isinstance(node, ast.DropStmt) and node.removeType == enums.ObjectType.OBJECT_TABLE:
        return "drop-table"
    if isinstance(node, ast.AlterTableStmt):
        return "drop-column"
    if isinstance(node, ast.TruncateStmt):
        return "truncate-table"
    if isinstance(node, ast.DeleteStmt):
        return "delete-without-where"
    if isinstance(node, ast.UpdateStmt):
        return "update-without-where"
    return "destructive-statement"


class _Destructive(StatementRule):
    severity = Severity.ERROR
    destructive = True
    size_sensitive = False

    def applies(self, ref: StatementRef, ctx: RuleContext) -> bool:
        if not ref.statement.destructive or _kind(ref) != self.id:
            return False
        tables = ref.statement.tables or ()
        return not (tables and all(ctx.table_is_new(t, ref) for t in tables))

    def dependents(self, ref: StatementRef, ctx: RuleContext) -> str:
        return ""

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        if not self.applies(ref, ctx):
            return
        reason = str(ref.statement.destructive)
        extra = self.dependents(ref, ctx) if ctx.live is not None else ""
        table = ref.statement.tables[0] if ref.statement.tables else None
        yield ctx.report(
            self,
            ref,
            table=table,
            reason=reason + (f"; {extra}" if extra else ""),
            **self.values(ref),
        )

    def values(self, ref: StatementRef) -> dict[str, str]:
        return {}


@register
class DropTable(_Destructive):
    """## What it does
    Flags `DROP TABLE` (`op.drop_table`, raw SQL) of a table the revision did not create.

    ## Why is this bad?
    Every row is gone at commit; only a backup brings it back. Application code still
    running (the previous release during a rolling deploy, workers, reports) fails on the
    missing table. The drop takes ACCESS EXCLUSIVE on the table and on the tables its
    foreign keys point to. With `--url` the finding names the views and foreign keys that
    depend on the table.

    ## What to do instead
    Expand and contract: stop every read and write in one release, drop the table in a
    later revision, and confirm it at upgrade time (`alembic -x confirm=<rev> upgrade
    head`; the guarded upgrade takes a backup first). When the drop is intended, say why
    next to it:

    ```python
    op.drop_table("legacy_audit")  # alembic-safe: ignore[drop-table] unused since v42, archived in ticket #512
    ```

    ## Exemptions
    Tables created earlier in the same revision.

    ## PostgreSQL versions
    All.
    """

    id = "drop-table"
    nodes = (ast.DropStmt,)
    message = "{reason}"
    suggestion = "stop all use of the table in a release first, then drop it in a later revision and confirm it at upgrade time"

    def dependents(self, ref: StatementRef, ctx: RuleContext) -> str:
        assert ctx.live is not None
        parts = [deps.summary(ctx.live.dependents(t)) for t in ref.statement.tables]
        return "; ".join(p for p in parts if p)


@register
class DropColumn(_Destructive):
    """## What it does
    Flags `DROP COLUMN` (`op.drop_column`, raw SQL) of a column the revision did not add.

    ## Why is this bad?
    The data in the column is gone at commit. SQLAlchemy selects every mapped column, so
    application code that still maps it (the previous release during a rolling deploy)
    fails on every query of the table. Indexes, constraints and (with CASCADE) views on
    the column are dropped with it; with `--url` the finding names them.

    ## What to do instead
    Remove the column from the model (or mark it `deferred`) and deploy first; drop it in a
    later revision, and drop its indexes concurrently before:

    ```python
    op.drop_index_concurrently("ix_users_legacy_flag", table_name="users")
    op.drop_column("users", "legacy_flag")  # alembic-safe: ignore[drop-column] unmapped since v42
    ```

    ## Exemptions
    Columns added and tables created earlier in the same revision.

    ## PostgreSQL versions
    All.
    """

    id = "drop-column"
    nodes = (ast.AlterTableStmt,)
    message = "{reason}"
    suggestion = (
        "remove {columns} from the model and deploy first, then drop in a later revision: {call}"
    )

    def applies(self, ref: StatementRef, ctx: RuleContext) -> bool:
        if not super().applies(ref, ctx):
            return False
        table = target_table(ref)
        dropped = self._dropped(ref)
        return not dropped or not all(ctx.column_is_new(table, c, ref) for c in dropped)

    def _dropped(self, ref: StatementRef) -> list[str]:
        return [
            str(cmd.name)
            for cmd in alter_commands(ref)
            if cmd.subtype == enums.AlterTableType.AT_DropColumn
        ]

    def values(self, ref: StatementRef) -> dict[str, str]:
        table = target_table(ref)
        dropped = self._dropped(ref)
        return {
            "columns": ", ".join(f'"{c}"' for c in dropped),
            "call": "; ".join(table_call("op.drop_column", table, c) for c in dropped),
        }

    def dependents(self, ref: StatementRef, ctx: RuleContext) -> str:
        assert ctx.live is not None
        table = target_table(ref)
        parts = []
        for column in self._dropped(ref):
            text = deps.summary(ctx.live.dependents(table, column))
            if text:
                parts.append(f'"{column}": {text}')
        return "; ".join(parts)


@register
class TruncateTable(_Destructive):
    """## What it does
    Flags `TRUNCATE` of a table the revision did not create.

    ## Why is this bad?
    Every row is deleted at once, under ACCESS EXCLUSIVE. `CASCADE` also empties every
    table whose foreign keys point at it, recursively.

    ## What to do instead
    Delete the rows you mean, with a WHERE, in batches outside the migration transaction;
    or keep the old table and create a new one. Never `CASCADE`. When emptying the table
    is intended, say why:

    ```python
    op.execute("TRUNCATE import_staging")  # alembic-safe: ignore[truncate-table] staging data is re-imported nightly
    ```

    ## Exemptions
    Tables created earlier in the same revision.

    ## PostgreSQL versions
    All.
    """

    id = "truncate-table"
    nodes = (ast.TruncateStmt,)
    message = "{reason}"
    suggestion = "delete the rows you mean with a WHERE, in batches; never TRUNCATE ... CASCADE in a migration"


@register
class DeleteWithoutWhere(_Destructive):
    """## What it does
    Flags `DELETE` without a `WHERE` clause on a table the revision did not create.

    ## Why is this bad?
    Every row is deleted, in one transaction that row-locks the whole table, writes WAL
    for every row and holds back vacuum until it commits.

    ## What to do instead
    Name the rows with a WHERE and delete in batches that commit as they go, outside the
    migration transaction:

    ```python
    with op.get_context().autocommit_block():
        op.execute("DELETE FROM sessions WHERE expires_at < now() - interval '30 days'")
    ```

    ## Exemptions
    Tables created earlier in the same revision.

    ## PostgreSQL versions
    All.
    """

    id = "delete-without-where"
    nodes = (ast.DeleteStmt,)
    slow = True
    message = "{reason}"
    suggestion = "add a WHERE naming the rows to delete and run it in batches outside the migration transaction"


@register
class UpdateWithoutWhere(_Destructive):
    """## What it does
    Flags `UPDATE` without a `WHERE` clause on a table the revision did not create.

    ## Why is this bad?
    Every row is overwritten (the old values are gone) in one transaction that row-locks
    the whole table: concurrent writes to any row wait until the migration commits, and
    the table doubles in size until vacuum catches up.

    ## What to do instead
    Backfill in batches that commit as they go, with a WHERE that makes it resumable:

    ```python
    op.backfill("users", set={"locale": "'en'"}, where="locale IS NULL", batch_size=10_000)
    ```

    ## Exemptions
    Tables created earlier in the same revision, and an `UPDATE` that sets only columns
    the revision added before it: nothing is overwritten, so it is not destructive (the
    guarded upgrade does not ask to confirm it), but it is still a full-table write inside
    the migration transaction, which `backfill-in-transaction` reports.

    ## PostgreSQL versions
    All.
    """

    id = "update-without-where"
    nodes = (ast.UpdateStmt,)
    slow = True
    message = "{reason}"
    suggestion = "{call}"

    def values(self, ref: StatementRef) -> dict[str, str]:
        node = ref.node
        assignments = {
            str(t.name): render_node(t.val)
            for t in node.targetList or ()
            if getattr(t, "name", None)
        }
        where = " AND ".join(f"{c} IS DISTINCT FROM {v}" for c, v in assignments.items())
        return {
            "call": table_call(
                "op.backfill",
                target_table(ref),
                set=assignments,
                where=where or "...",
                batch_size=10_000,
            )
        }


@register
class DestructiveStatement(_Destructive):
    """## What it does
    Flags the other statements that destroy data: `DROP SCHEMA ... CASCADE`,
    `DROP SEQUENCE` (its current value), `DROP DATABASE`, `DROP TYPE/DOMAIN ... CASCADE`
    (which drops the columns of that type), and any other `DROP ... CASCADE` (an index,
    a view, a function), which drops the constraints, foreign keys and views that depend
    on it. With `--url` the finding names them.

    ## Why is this bad?
    The objects and the data in them are gone at commit, and code that uses them fails.

    ## What to do instead
    Stop using the object in a release first, drop it in a later revision, and confirm it
    at upgrade time (`alembic -x confirm=<rev> upgrade head`). Avoid `CASCADE`: drop what
    depends on the object explicitly, so the revision says what it removes.

    ```python
    op.execute("DROP SEQUENCE legacy_invoice_seq")  # alembic-safe: ignore[destructive-statement] numbering moved to invoices.number
    ```

    ## PostgreSQL versions
    All.
    """

    id = "destructive-statement"
    message = "{reason}"

    def applies(self, ref: StatementRef, ctx: RuleContext) -> bool:
        dropped = ref.statement.actions
        if dropped and all(ctx.table_is_new(name, ref) for name in dropped):
            return False
        return super().applies(ref, ctx)

    suggestion = "stop using it in a release first, drop it in a later revision, and drop dependents explicitly instead of CASCADE"

    def dependents(self, ref: StatementRef, ctx: RuleContext) -> str:
        assert ctx.live is not None
        node = ref.node
        if not isinstance(node, ast.DropStmt) or node.removeType != enums.ObjectType.OBJECT_INDEX:
            return ""
        found = [d for index in ref.statement.actions for d in ctx.live.index_dependents(index)]
        return f"it takes {', '.join(d.describe() for d in found)} with it" if found else ""


@register
class DropIndexUsedByConstraint(Rule):
    """## What it does
    With `--url`: flags `DROP INDEX` (without `CASCADE`) of an index that implements a
    constraint (primary key, unique, exclusion) or that foreign keys of other tables rely on.

    ## Why is this bad?
    PostgreSQL refuses the drop ("cannot drop index because constraint requires it"),
    so the migration fails in production. Adding `CASCADE` makes it succeed by dropping the
    constraint, and with it the uniqueness or referential guarantee: that form is a
    destructive statement (`destructive-statement`), which the guarded upgrade asks to confirm.

    ## What to do instead
    Drop the constraint itself (its index goes with it), after dropping the foreign keys
    that depend on it, each in its own step:

    ```python
    op.drop_constraint("fk_orders_user", "orders", type_="foreignkey")
    op.drop_constraint("uq_users_email", "users", type_="unique")
    ```

    ## PostgreSQL versions
    All. Offline the catalog is unknown: run `alembic-safe check --url`.
    """

    id = "drop-index-used-by-constraint"
    severity = Severity.ERROR
    size_sensitive = False
    message = 'DROP INDEX "{index}" fails: {what} needs the index'
    suggestion = (
        "drop the constraint instead (op.drop_constraint), after the foreign keys that depend on it"
    )

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        if ctx.live is None:
            return
        for ref in ctx.refs:
            node = ref.node
            if (
                not isinstance(node, ast.DropStmt)
                or node.removeType != enums.ObjectType.OBJECT_INDEX
                or node.behavior == enums.DropBehavior.DROP_CASCADE
            ):
                continue  # with CASCADE it is destructive-statement, named with its dependents
            for index in ref.statement.actions:
                if ctx.table_is_new(index, ref):
                    continue
                found = [d for d in ctx.live.index_dependents(index) if d.blocks]
                if found:
                    what = ", ".join(d.describe() for d in found)
                    yield ctx.report(self, ref, index=index, what=what)


def _function_name(node: object) -> str:
    names = getattr(node, "objname", None) or getattr(node, "funcname", None) or ()
    return ".".join(str(n.sval) for n in names if isinstance(n, ast.String))


class _CalledFunctions(visitors.Visitor):
    """Names of the functions an expression tree calls."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_FuncCall(self, ancestors: object, node: ast.FuncCall) -> None:
        self.names.add(_function_name(node))


def _users_in_revision(ctx: RuleContext, before: StatementRef) -> dict[str, list[str]]:
    """function -> objects created earlier in this plan that call it (and still exist)."""
    users: dict[str, dict[tuple[str, str], str]] = {}
    for ref in ctx.refs[: before.position]:
        node = ref.node
        table = norm(target_table(ref))
        if isinstance(node, ast.CreateTrigStmt):
            key = ("trigger", f"{table}.{node.trigname}")
            what = f'trigger "{node.trigname}" on "{target_table(ref)}"'
            users.setdefault(norm(_function_name(node)), {})[key] = what
        elif isinstance(node, (ast.IndexStmt, ast.CreateStmt, ast.AlterTableStmt, ast.ViewStmt)):
            called = _CalledFunctions()
            called(node)
            made = {"IndexStmt": "index", "ViewStmt": "view"}.get(type(node).__name__, "table")
            name = ref.statement.creates[0] if ref.statement.creates else target_table(ref)
            for function in called.names:
                users.setdefault(norm(function), {})[(made, norm(name))] = f'{made} "{name}"'
        elif isinstance(node, ast.DropStmt):
            kind = _DROPPED_KINDS.get(node.removeType)
            for dropped in ref.statement.actions:
                gone = (kind or "", norm(dropped))
                for found in users.values():
                    found.pop(gone, None)
                    if kind == "table":  # its triggers, indexes and defaults go with it
                        for key in [k for k in found if k[1].startswith(f"{norm(dropped)}.")]:
                            found.pop(key)
    return {name: list(found.values()) for name, found in users.items() if found}


_DROPPED_KINDS = {
    enums.ObjectType.OBJECT_TRIGGER: "trigger",
    enums.ObjectType.OBJECT_INDEX: "index",
    enums.ObjectType.OBJECT_VIEW: "view",
    enums.ObjectType.OBJECT_TABLE: "table",
}


@register
class DropFunctionInUse(Rule):
    """## What it does
    Flags `DROP FUNCTION` (without `CASCADE`) of a function that other objects use: a
    trigger that executes it, an index, a column default, a check constraint or a view that
    calls it. Offline it sees the objects the same revision created before the drop; with
    `--url` it reads every dependent from `pg_depend`.

    ## Why is this bad?
    PostgreSQL refuses the drop ("cannot drop function ... because other objects depend
    on it"), so the migration fails in production even though it passed where those
    objects did not exist. Adding `CASCADE` makes it succeed by dropping the triggers,
    indexes, defaults and views with it, silently: that form is `destructive-statement`.
    A function's own body is not tracked by PostgreSQL: functions that call this one fail
    only when they next run.

    ## What to do instead
    Drop (or re-point) the dependents first, each explicitly, then the function:

    ```python
    op.execute("DROP TRIGGER users_search_update ON users")
    op.execute("DROP FUNCTION users_search_trigger()")
    ```

    ## PostgreSQL versions
    All.
    """

    id = "drop-function-in-use"
    severity = Severity.ERROR
    size_sensitive = False
    message = 'DROP FUNCTION "{function}" fails: {users} use it'
    suggestion = "drop or change what uses the function first, explicitly, then drop the function"

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for ref in ctx.refs:
            node = ref.node
            if (
                not isinstance(node, ast.DropStmt)
                or node.removeType != enums.ObjectType.OBJECT_FUNCTION
                or node.behavior == enums.DropBehavior.DROP_CASCADE
            ):
                continue
            local = _users_in_revision(ctx, ref)
            for obj in node.objects or ():
                function = _function_name(obj)
                users = list(local.get(norm(function), []))
                if ctx.live is not None:
                    users += [u for u in ctx.live.function_dependents(function) if u not in users]
                if users:
                    shown = ", ".join(users[:5]) + (" and more" if len(users) > 5 else "")
                    yield ctx.report(self, ref, function=function, users=shown)
