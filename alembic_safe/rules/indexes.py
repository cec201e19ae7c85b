"""Index rules: build, drop and rebuild indexes without blocking the table."""

from __future__ import annotations

from collections.abc import Iterable

from alembic.operations import ops
from pglast import ast, enums

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
    op_columns,
    register,
    table_call,
    target_table,
)


def _index_call(ref: StatementRef) -> str:
    op = ref.step.op
    node = ref.node
    if isinstance(op, ops.CreateIndexOp):
        return call(
            "op.create_index_concurrently",
            op.index_name,
            op.table_name,
            op_columns(op.columns),
            unique=True if op.unique else None,
            schema=op.schema,
        )
    return table_call(
        "op.create_index_concurrently",
        target_table(ref),
        names(node.indexParams),
        before=(node.idxname or "ix_name",),
        unique=True if node.unique else None,
    )


@register
class CreateIndexNonConcurrently(StatementRule):
    """## What it does
    Flags `CREATE INDEX` (Alembic `op.create_index`, or raw SQL) without `CONCURRENTLY` on a
    table that existed before the revision.

    ## Why is this bad?
    A plain `CREATE INDEX` takes a SHARE lock on the table for the whole build: every
    INSERT, UPDATE and DELETE waits until the table has been scanned and the index sorted
    and written, which takes minutes on a large table. Reads continue.

    ## What to do instead
    Build it concurrently (SHARE UPDATE EXCLUSIVE: reads and writes continue).
    `op.create_index_concurrently` runs outside the migration transaction and drops the
    INVALID index a failed build leaves behind:

    ```python
    op.create_index_concurrently("ix_users_email", "users", ["email"])
    ```

    With plain Alembic: `with op.get_context().autocommit_block(): op.create_index(...,
    postgresql_concurrently=True)`.

    ## Exemptions
    Indexes on a table created earlier in the same revision. With `--url`, a small
    table (at most 10,000 estimated rows) is reported as info.

    ## PostgreSQL versions
    All. `CONCURRENTLY` exists since 8.2. A partitioned table's parent index cannot be
    built concurrently: build it `ON ONLY` the parent, concurrently on each partition,
    then `ATTACH PARTITION` each.
    """

    id = "create-index-non-concurrently"
    nodes = (ast.IndexStmt,)
    severity = Severity.ERROR
    slow = True
    message = 'CREATE INDEX on "{table}" blocks writes to "{table}" until the index is built'
    suggestion = "{call}"

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        node = ref.node
        if not isinstance(node, ast.IndexStmt) or node.concurrent or ref.safe_op:
            return
        table = target_table(ref)
        if ctx.table_is_new(table, ref):
            return
        yield ctx.report(self, ref, table=table, call=_index_call(ref))


@register
class DropIndexNonConcurrently(StatementRule):
    """## What it does
    Flags `DROP INDEX` without `CONCURRENTLY` of an index the revision did not create.

    ## Why is this bad?
    `DROP INDEX` takes an ACCESS EXCLUSIVE lock on the index's table. The drop itself is
    quick, but the lock request waits behind every running query on the table, and every
    query that arrives after it (reads included) waits behind the request.

    ## What to do instead
    Drop it concurrently (SHARE UPDATE EXCLUSIVE), outside the migration transaction:

    ```python
    op.drop_index_concurrently("ix_users_email", table_name="users")
    ```

    ## Exemptions
    Indexes created earlier in the same revision, and indexes whose table the same
    transaction drops afterwards (or one of whose columns it drops, when the history
    created the index): that statement takes the same ACCESS EXCLUSIVE lock anyway, and
    the index goes with it.

    ## PostgreSQL versions
    All (`DROP INDEX CONCURRENTLY` since 9.2). It cannot drop an index that implements a
    constraint: drop the constraint instead.
    """

    id = "drop-index-non-concurrently"
    nodes = (ast.DropStmt,)
    severity = Severity.WARNING
    message = 'DROP INDEX "{index}" takes ACCESS EXCLUSIVE on its table: queries queue behind it'
    suggestion = "{call}"

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        node = ref.node
        if not isinstance(node, ast.DropStmt) or ref.safe_op:
            return
        if node.removeType != enums.ObjectType.OBJECT_INDEX or node.concurrent:
            return
        op = ref.step.op
        for index in ref.statement.actions:
            if ctx.table_is_new(index, ref):
                continue
            table, columns = _index_table(index, op, ctx)
            if table and _dropped_later(ref, ctx, table, columns):
                continue  # the table's ACCESS EXCLUSIVE lock is taken in this transaction anyway
            later = _columns_dropped_later(ref, ctx, table) if table and not columns else ()
            key = ("drop-index", norm(index), *later) if later else ()
            if isinstance(op, ops.DropIndexOp):
                advice = call(
                    "op.drop_index_concurrently",
                    op.index_name,
                    table_name=op.table_name,
                    schema=op.schema,
                )
            else:
                schema, name = split_table(index)
                advice = call("op.drop_index_concurrently", name, schema=schema)
            yield ctx.report(self, ref, table=table or None, index=index, call=advice, key=key)


def _index_table(index: str, op: object, ctx: RuleContext) -> tuple[str, tuple[str, ...]]:
    """The table (schema-qualified) and plain columns of an index, as far as they are known."""
    known = ctx.history.indexes.get(norm(index)) if ctx.history else None
    columns = known[1] if known is not None else ()
    if isinstance(op, ops.DropIndexOp) and op.table_name:
        schema = op.schema
        return (f"{schema}.{op.table_name}" if schema else op.table_name), columns
    return (known[0] if known is not None else ""), columns


def _columns_dropped_later(ref: StatementRef, ctx: RuleContext, table: str) -> tuple[str, ...]:
    """Columns of ``table`` the same transaction drops after ``ref`` (for a history that
    knows the index's columns when this stretch of it is linted on its own)."""
    return tuple(
        column
        for later in ctx.refs[ref.position + 1 :]
        if later.transaction == ref.transaction
        and later.in_transaction
        and norm(target_table(later)) == norm(table)
        for column in later.statement.dropped_columns()
    )


def _dropped_later(
    ref: StatementRef, ctx: RuleContext, table: str, columns: tuple[str, ...]
) -> bool:
    """The same transaction drops ``table`` (or one of the index's columns) after ``ref``."""
    for later in ctx.refs[ref.position + 1 :]:
        if later.transaction != ref.transaction or not later.in_transaction:
            continue
        node = later.node
        if isinstance(node, ast.DropStmt) and node.removeType == enums.ObjectType.OBJECT_TABLE:
            if any(norm(name) == norm(table) for name in later.statement.actions):
                return True
        elif (
            columns
            and norm(target_table(later)) == norm(table)
            and set(later.statement.dropped_columns()) & set(columns)
        ):
            return True
    return False


@register
class ReindexNonConcurrently(StatementRule):
    """## What it does
    Flags `REINDEX` without `CONCURRENTLY`.

    ## Why is this bad?
    `REINDEX` locks the table against writes (SHARE) and each index against reads that
    use it (ACCESS EXCLUSIVE) while it rebuilds, which takes as long as building the
    index from scratch.

    ## What to do instead
    Rebuild concurrently (SHARE UPDATE EXCLUSIVE), outside the migration transaction:

    ```python
    with op.get_context().autocommit_block():
        op.execute("REINDEX INDEX CONCURRENTLY ix_users_email")
    ```

    A failed concurrent rebuild leaves an INVALID `*_ccnew` index: drop it with
    `op.drop_index_concurrently`.

    ## PostgreSQL versions
    `REINDEX CONCURRENTLY` needs PostgreSQL 12. Before 12, build a new index with
    `op.create_index_concurrently`, then drop the old one with `op.drop_index_concurrently`.
    """

    id = "reindex-non-concurrently"
    nodes = (ast.ReindexStmt,)
    severity = Severity.ERROR
    slow = True
    message = "REINDEX locks {what} against writes while every index is rebuilt"
    suggestion = 'with op.get_context().autocommit_block():\n    op.execute("{sql}")'

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        node = ref.node
        if not isinstance(node, ast.ReindexStmt) or not ref.statement.transactional:
            return
        table = target_table(ref)
        if table and ctx.table_is_new(table, ref):
            return
        kind = str(node.kind.name).removeprefix("REINDEX_OBJECT_")
        name = table or str(node.name or "")
        sql = f"REINDEX {kind} CONCURRENTLY {name}"
        if ctx.postgres_version < 12:
            yield ctx.report(
                self,
                ref,
                table=table or None,
                what=f'"{name}"',
                suggestion="op.create_index_concurrently(<new name>, ...) then "
                "op.drop_index_concurrently(<old name>) (REINDEX CONCURRENTLY needs PostgreSQL 12)",
            )
            return
        yield ctx.report(self, ref, table=table or None, what=f'"{name}"', sql=sql)


@register
class ConcurrentlyInTransaction(StatementRule):
    """## What it does
    Flags statements PostgreSQL refuses to run inside a transaction block
    (`CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX CONCURRENTLY`,
    `DETACH PARTITION CONCURRENTLY`, `VACUUM`, `CREATE DATABASE`) when they run inside the
    migration transaction.

    ## Why is this bad?
    Alembic runs `upgrade()` inside a transaction. The statement fails at run time with
    "cannot run inside a transaction block", and the revision is rolled back (or, without
    transactional DDL, left half applied). Offline it looks fine, so it is found in
    production.

    ## What to do instead
    Use the alembic-safe operation, which commits and runs outside the transaction:

    ```python
    op.create_index_concurrently("ix_users_email", "users", ["email"])
    ```

    or wrap the statement in Alembic's autocommit block:

    ```python
    with op.get_context().autocommit_block():
        op.create_index("ix_users_email", "users", ["email"], postgresql_concurrently=True)
    ```

    ## PostgreSQL versions
    All. Checked in both directions: a downgrade that fails is as bad as an upgrade.
    """

    id = "concurrently-in-transaction"
    severity = Severity.ERROR
    size_sensitive = False
    directions = ("upgrade", "downgrade")
    message = "{tag} cannot run inside a transaction block; this fails at run time"
    suggestion = "with op.get_context().autocommit_block():\n    {code}"

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        if ref.statement.transactional or not ref.in_transaction or ref.safe_op:
            return
        tag = ref.statement.tag
        if isinstance(ref.node, ast.IndexStmt):
            tag = "CREATE INDEX CONCURRENTLY"
        elif isinstance(ref.node, ast.DropStmt):
            tag = "DROP INDEX CONCURRENTLY"
        elif isinstance(ref.node, ast.ReindexStmt):
            tag = "REINDEX CONCURRENTLY"
        elif isinstance(ref.node, ast.AlterTableStmt):
            tag = "DETACH PARTITION CONCURRENTLY"
        code = f"op.execute({ref.statement.text!r})"
        if isinstance(ref.node, ast.IndexStmt):
            code = _index_call(ref)
            yield ctx.report(
                self,
                ref,
                table=target_table(ref),
                tag=tag,
                suggestion=f"{code} (or wrap the original call in "
                "`with op.get_context().autocommit_block():`)",
            )
            return
        yield ctx.report(self, ref, tag=tag, code=code)


@register
class AddUniqueConstraint(StatementRule):
    """## What it does
    Flags a UNIQUE constraint added to an existing table directly (`op.create_unique_constraint`,
    `ALTER TABLE ... ADD CONSTRAINT ... UNIQUE (...)`, `ADD COLUMN ... UNIQUE`), instead of
    from an index built concurrently.

    ## Why is this bad?
    Adding the constraint builds its unique index under an ACCESS EXCLUSIVE lock: reads
    and writes wait for the whole scan and sort.

    ## What to do instead
    Build the unique index concurrently, then attach it as the constraint (a short
    ACCESS EXCLUSIVE, no scan):

    ```python
    op.add_unique_constraint_concurrently("uq_users_email", "users", ["email"])
    ```

    which runs `CREATE UNIQUE INDEX CONCURRENTLY` and then
    `ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email`.

    ## Exemptions
    Tables created earlier in the same revision.

    ## PostgreSQL versions
    All (`UNIQUE USING INDEX` since 9.1).
    """

    id = "add-unique-constraint"
    nodes = (ast.AlterTableStmt,)
    severity = Severity.ERROR
    slow = True
    message = 'adding a UNIQUE constraint to "{table}" builds its index under ACCESS EXCLUSIVE: reads and writes wait'
    suggestion = "{call}"

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        table = existing_alter_target(ref, ctx)
        if table is None:
            return
        for cmd in alter_commands(ref):
            for constraint, keys in _constraints(cmd, enums.ConstrType.CONSTR_UNIQUE):
                op = ref.step.op
                name = constraint.conname or f"uq_{table}_{'_'.join(keys)}"
                columns = keys
                if isinstance(op, ops.CreateUniqueConstraintOp):
                    name, columns = str(op.constraint_name or name), list(op.columns)
                yield ctx.report(
                    self,
                    ref,
                    table=table,
                    call=table_call(
                        "op.add_unique_constraint_concurrently", table, columns, before=(name,)
                    ),
                )


def _constraints(
    cmd: ast.AlterTableCmd, contype: enums.ConstrType
) -> list[tuple[ast.Constraint, list[str]]]:
    """Constraints of ``contype`` an ALTER TABLE command adds without ``USING INDEX``."""
    found = []
    if cmd.subtype == enums.AlterTableType.AT_AddConstraint and isinstance(
        cmd.def_, ast.Constraint
    ):
        if cmd.def_.contype == contype and not cmd.def_.indexname:
            found.append((cmd.def_, names(cmd.def_.keys)))
    elif cmd.subtype == enums.AlterTableType.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
        for constraint in cmd.def_.constraints or ():
            if constraint.contype == contype:
                found.append((constraint, [str(cmd.def_.colname)]))
    return found


@register
class AddPrimaryKey(StatementRule):
    """## What it does
    Flags a PRIMARY KEY added to an existing table (`op.create_primary_key`,
    `ADD CONSTRAINT ... PRIMARY KEY (...)`, `ADD COLUMN ... PRIMARY KEY`).

    ## Why is this bad?
    PostgreSQL builds the primary key's unique index under ACCESS EXCLUSIVE and, for
    columns not yet NOT NULL, scans the table to set NOT NULL: reads and writes wait.

    ## What to do instead
    Make the columns NOT NULL the safe way, build the unique index concurrently, then
    attach it (a short ACCESS EXCLUSIVE):

    ```python
    op.add_not_null("accounts", "id")
    op.create_index_concurrently("accounts_pkey", "accounts", ["id"], unique=True)
    op.execute("ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_pkey")
    ```

    ## Exemptions
    Tables created earlier in the same revision.

    ## PostgreSQL versions
    All (`PRIMARY KEY USING INDEX` since 9.1; `add_not_null` skips the scan on 12+).
    """

    id = "add-primary-key"
    nodes = (ast.AlterTableStmt,)
    severity = Severity.ERROR
    slow = True
    message = 'adding a PRIMARY KEY to "{table}" builds its index under ACCESS EXCLUSIVE: reads and writes wait'
    suggestion = (
        "{index_call}, then "
        'op.execute("ALTER TABLE {table} ADD CONSTRAINT {name} PRIMARY KEY USING INDEX {name}")'
    )

    def check_statement(self, ref: StatementRef, ctx: RuleContext) -> Iterable[Finding]:
        table = existing_alter_target(ref, ctx)
        if table is None:
            return
        for cmd in alter_commands(ref):
            for constraint, columns in _constraints(cmd, enums.ConstrType.CONSTR_PRIMARY):
                name = constraint.conname or f"{table.rpartition('.')[2]}_pkey"
                yield ctx.report(
                    self,
                    ref,
                    table=table,
                    name=name,
                    index_call=table_call(
                        "op.create_index_concurrently", table, columns, before=(name,), unique=True
                    ),
                )
