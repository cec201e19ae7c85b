"""Locking rules: explicit locks, table rewrites by maintenance commands, long transactions."""

from __future__ import annotations

from collections.abc import Iterable

from pglast import ast

from alembic_safe.capture.sqlparse import BLOCKS, LOCK_ORDER, SHARE, render_node
from alembic_safe.rules.base import (
    Finding,
    Rule,
    RuleContext,
    Severity,
    StatementRef,
    StatementRule,
    constant_columns,
    norm,
    register,
    table_call,
    target_table,
)


@register
class LockTable(StatementRule):
    """## What it does
    Flags an explicit `LOCK TABLE` in SHARE mode or stronger on an existing table.

    ## Why is this bad?
    The lock is held until the migration commits, so everything the mode conflicts with
    waits for the rest of the revision: SHARE and SHARE ROW EXCLUSIVE block writes,
    EXCLUSIVE blocks writes and `SELECT ... FOR UPDATE`, ACCESS EXCLUSIVE blocks reads
    too. While it waits for the lock, it also queues every later query behind it.

    ## What to do instead
    Remove it: each statement takes the lock it needs, and the guarded upgrade bounds
    every wait with `lock_timeout` and retries. If a data fix needs a stable table, do it
    in batches instead:

    ```python
    op.backfill("orders", set={"status": "'archived'"}, where="created_at < '2020-01-01'", batch_size=10_000)
    ```

    ## Exemptions
    Tables created earlier in the same revision; ACCESS SHARE, ROW SHARE and ROW EXCLUSIVE
    modes.

    ## PostgreSQL versions
    All.
    """

    id = "lock-table"
    nodes = (ast.LockStmt,)
    severity = Severity.WARNING
    slow = True
    message = 'LOCK TABLE "{table}" IN {mode} MODE blocks {blocks} until the migration commits'
    suggestion = (
        "remove the explicit lock: statements take the locks they need, bounded by lock_timeout"
    )

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        if not isinstance(ref.node, ast.LockStmt) or ref.statement.lock is None:
            return
        mode = ref.statement.lock
        if LOCK_ORDER.index(mode) < LOCK_ORDER.index(SHARE):
            return
        for table in ref.statement.tables:
            if ctx.table_is_new(table, ref):
                continue
            yield ctx.report(self, ref, table=table, mode=mode, blocks=BLOCKS[mode])


@register
class VacuumFull(StatementRule):
    """## What it does
    Flags `VACUUM FULL` in a migration.

    ## Why is this bad?
    `VACUUM FULL` rewrites the whole table and its indexes under ACCESS EXCLUSIVE: reads
    and writes wait for the rewrite. It also cannot run in a transaction block.

    ## What to do instead
    Leave space reclamation to autovacuum, or run an online tool outside the migration
    (`pg_repack`, `pg_squeeze`). On PostgreSQL 19+, `REPACK (CONCURRENTLY)`:

    ```python
    with op.get_context().autocommit_block():
        op.execute("REPACK (CONCURRENTLY) big_table")
    ```

    ## PostgreSQL versions
    All; `REPACK (CONCURRENTLY)` needs 19.
    """

    id = "vacuum-full"
    nodes = (ast.VacuumStmt,)
    severity = Severity.ERROR
    slow = True
    message = 'VACUUM FULL rewrites "{table}" under ACCESS EXCLUSIVE: reads and writes wait'
    suggestion = "run pg_repack or pg_squeeze outside the migration (REPACK (CONCURRENTLY) on PostgreSQL 19+)"

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        if ref.statement.tag != "VACUUM FULL":
            return
        tables = [t for t in ref.statement.tables if not ctx.table_is_new(t, ref)]
        if ref.statement.tables and not tables:
            return
        for table in tables or ["every table"]:
            yield ctx.report(self, ref, table=table if tables else None)


@register
class ClusterTable(StatementRule):
    """## What it does
    Flags `CLUSTER` in a migration.

    ## Why is this bad?
    `CLUSTER` rewrites the table in index order and rebuilds every index under ACCESS
    EXCLUSIVE: reads and writes wait for the rewrite.

    ## What to do instead
    Use `pg_repack --order-by` outside the migration, or on PostgreSQL 19+
    `REPACK (CONCURRENTLY) ... USING INDEX`:

    ```python
    with op.get_context().autocommit_block():
        op.execute("REPACK (CONCURRENTLY) events USING INDEX ix_events_created_at")
    ```

    ## Exemptions
    Tables created earlier in the same revision.

    ## PostgreSQL versions
    All; `REPACK` needs 19.
    """

    id = "cluster-table"
    nodes = (ast.ClusterStmt,)
    severity = Severity.ERROR
    slow = True
    message = 'CLUSTER rewrites "{table}" under ACCESS EXCLUSIVE: reads and writes wait'
    suggestion = (
        "run pg_repack --order-by outside the migration (REPACK (CONCURRENTLY) on PostgreSQL 19+)"
    )

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        if not isinstance(ref.node, ast.ClusterStmt):
            return
        table = target_table(ref)
        if table and ctx.table_is_new(table, ref):
            return
        yield ctx.report(self, ref, table=table or "every clustered table")


@register
class BackfillInTransaction(StatementRule):
    """## What it does
    Flags a data backfill of an existing table inside the migration transaction: an
    `UPDATE` or `DELETE` whose WHERE is not a lookup of a few keys, and an `UPDATE`
    without WHERE of a column the same revision has just added (it overwrites nothing, but
    writes every row).

    ## Why is this bad?
    Every matched row stays row-locked until the whole revision commits: concurrent writes
    to those rows wait, and any DDL earlier in the transaction (the `ADD COLUMN` itself)
    keeps its table lock for the duration of the backfill. One big transaction also bloats
    the table and holds back vacuum.

    ## What to do instead
    Backfill in batches that commit as they go (resumable, with progress):

    ```python
    op.backfill("users", set={"locale": "'en'"}, where="locale IS NULL", batch_size=10_000)
    ```

    ## Exemptions
    Tables created earlier in the same revision; lookups by key: `WHERE key = constant`
    and `WHERE key IN (constants)` where `key` is the table's primary key (all of its
    columns for a composite key) or, with `--url`, a primary key or unique constraint or
    unique index of the live table. Offline the primary keys are those the history
    created (`create_table`, `create_primary_key`); a filter on another column with a
    constant (`WHERE state = 'deleted'`) is a backfill. With `--url`, small tables are
    info.

    ## PostgreSQL versions
    All.
    """

    id = "backfill-in-transaction"
    nodes = (ast.UpdateStmt, ast.DeleteStmt)
    severity = Severity.WARNING
    slow = True
    message = '{tag} of "{table}" inside the migration transaction keeps every matched row locked until the revision commits'
    suggestion = "{call}"

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        node = ref.node
        if not isinstance(node, (ast.UpdateStmt, ast.DeleteStmt)):
            return
        if ref.safe_op or not ref.in_transaction:
            return
        if not ref.statement.has_where and ref.statement.destructive:
            return  # update-without-where / delete-without-where: it overwrites existing rows
        table = target_table(ref)
        if ctx.table_is_new(table, ref):
            return
        if ref.statement.has_where and ctx.is_key_lookup(table, node.whereClause):
            return
        assignments = {
            str(t.name): render_node(t.val)
            for t in getattr(node, "targetList", None) or ()
            if getattr(t, "name", None)
        }
        if ref.statement.has_where:
            where = render_node(node.whereClause)
        else:  # a just-added column: the rows still NULL are the ones left to do
            where = " AND ".join(f"{c} IS NULL" for c in assignments)
        if isinstance(node, ast.UpdateStmt):
            advice = table_call(
                "op.backfill", table, set=assignments, where=where, batch_size=10000
            )
        else:
            advice = (
                "delete in batches outside the transaction: with op.get_context().autocommit_block(): "
                f"repeat DELETE ... WHERE ctid IN (SELECT ctid FROM {table} WHERE {where} LIMIT 10000)"
            )
        lookup = constant_columns(node.whereClause) if ref.statement.has_where else set()
        key = ("lookup", norm(table), *sorted(lookup)) if lookup else ()
        yield ctx.report(self, ref, table=table, tag=ref.statement.tag, call=advice, key=key)


@register
class SlowStepsSameTable(Rule):
    """## What it does
    Flags a table that gets two or more slow steps (a rewrite, a validating scan, an index
    build, a backfill) in the same transaction.

    ## Why is this bad?
    The first step's lock is held until the transaction commits, so the waits add up:
    with an index build and a `SET NOT NULL` on the same table, writes wait for both, and
    reads wait from the first ACCESS EXCLUSIVE on. A lock timeout on the second step
    throws away the work of the first.

    ## What to do instead
    Make each step lock-friendly with the safe operations (they commit between their
    phases), or give each slow step its own transaction: one step per revision with
    `transaction_per_migration=True` in env.py, or an autocommit block:

    ```python
    op.create_index_concurrently("ix_users_email", "users", ["email"])
    op.add_not_null("users", "email")
    ```

    ## PostgreSQL versions
    All.
    """

    id = "slow-steps-same-table"
    severity = Severity.WARNING
    size_sensitive = False
    order = 10
    message = '"{table}" gets {count} slow steps in one transaction ({lines}): its lock is held from the first until commit'
    suggestion = "use the safe operations, or give each slow step its own transaction"

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        groups: dict[tuple[int, str], list[StatementRef]] = {}
        settings = ctx.settings
        turned_off = set(settings.rules_ignore) | {
            rule for rule, level in settings.rules_severity.items() if level == "off"
        }
        for raised in list(ctx.raised):
            ref = raised.ref
            if not raised.slow or raised.finding.severity is Severity.INFO:
                continue
            if raised.rule.id in turned_off:
                continue
            if ref is None or not ref.in_transaction or not raised.table:
                continue
            steps = groups.setdefault((ref.transaction, raised.table), [])
            if all(s.position != ref.position for s in steps):
                steps.append(ref)
        for (_txn, table), refs in groups.items():
            if len(refs) < 2:
                continue
            refs.sort(key=lambda r: r.position)
            numbers = list(dict.fromkeys(str(ctx.line_of(r.step)) for r in refs))
            lines = ("lines " if len(numbers) > 1 else "line ") + ", ".join(numbers)
            yield ctx.report(
                self,
                refs[-1],
                table=table,
                count=len(refs),
                lines=lines,
                subject=f"{table} {len(refs)}",
            )


@register
class CommitInMigration(Rule):
    """## What it does
    Flags a transaction statement a revision sends itself inside the migration
    transaction: `COMMIT`, `ROLLBACK`, `END` or `BEGIN` in `op.execute(...)`, and
    `op.get_bind().commit()` / `.rollback()` (also when a helper or plugin sends them).

    ## Why is this bad?
    Alembic runs the revision in one transaction so that a failure undoes all of it. A
    `COMMIT` in the middle makes everything before it permanent: when a later statement
    fails, the database is left half migrated and `alembic_version` still names the
    previous revision, so the next `alembic upgrade` runs the first half again. What
    follows runs outside the transaction Alembic opened, without the guard's
    `lock_timeout`. A `ROLLBACK` silently throws away the statements before it.

    ## What to do instead
    Let Alembic manage the transaction. A statement that must run outside a transaction
    block goes into an autocommit block, which Alembic closes and reopens correctly:

    ```python
    with op.get_context().autocommit_block():
        op.execute("ALTER TYPE order_status ADD VALUE 'refunded'")
    ```

    For long data migrations, `op.backfill` commits between batches on its own.

    ## Exemptions
    Statements inside `autocommit_block()`; alembic-safe's own operations.

    ## PostgreSQL versions
    All. (`ALTER TYPE ... ADD VALUE` runs inside a transaction block since PostgreSQL 12.)
    """

    id = "commit-in-migration"
    severity = Severity.WARNING
    size_sensitive = False
    directions = ("upgrade", "downgrade")
    message = "{tag} inside the migration transaction: {effect}"
    suggestion = "remove it; run what needs its own transaction in `with op.get_context().autocommit_block():`"

    _EFFECTS = {
        "COMMIT": "what ran before it stays applied if a later step fails",
        "END": "what ran before it stays applied if a later step fails",
        "ROLLBACK": "it silently undoes what ran before it",
        "ABORT": "it silently undoes what ran before it",
        "BEGIN": "PostgreSQL ignores it with a warning; the revision expects a transaction it does not have",
        "START": "PostgreSQL ignores it with a warning; the revision expects a transaction it does not have",
    }

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        from alembic_safe.operations.ops import SAFE_OPERATIONS

        for step in ctx.plan.steps:
            inside = step.began_in_transaction
            for statement in step.statements:
                control = statement.transaction_control
                if control is None:
                    continue
                if inside and not isinstance(step.op, SAFE_OPERATIONS):
                    yield ctx.report(
                        self,
                        None,
                        tag=control,
                        effect=self._EFFECTS.get(control, "it ends the migration transaction"),
                        line=ctx.line_of(step),
                        subject=f"{control} {step.index}",
                    )
                inside = control in {"BEGIN", "START"}
