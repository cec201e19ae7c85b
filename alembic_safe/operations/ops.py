"""The safe operations: ``op.create_index_concurrently``, ``op.add_not_null``, ``op.backfill``...

Each is declared the way Alembic declares ``CreateIndexOp``: a keyword-only state, a
classmethod of the operation's name that calls ``operations.invoke`` (its docstring is
``op.<name>.__doc__``), ``reverse()`` and ``to_diff_tuple()``.  The implementations are in
:mod:`alembic_safe.operations.toimpl`, the autogenerate renderers in
:mod:`alembic_safe.operations.render`.

``locks`` says, in words, which locks an operation takes and for how long (impact notes,
docs); whether it leaves the migration transaction is in its plan, as captured.

Operations that are a safe form of an Alembic operation subclass it
(``CreateIndexConcurrentlyOp`` is a ``CreateIndexOp``), so every consumer that knows the
Alembic operation (derived preconditions, the plan's tables) knows the safe one too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from alembic.operations import MigrateOperation, Operations
from alembic.operations import ops as alembic_ops
from sqlalchemy.sql.elements import ColumnElement, TextClause

Columns = Sequence["str | TextClause | ColumnElement[Any]"]


def _required_name(name: Any, operation: str) -> None:
    if not name:
        raise ValueError(
            f"{operation}() needs a constraint name (got {name!r}): the later steps "
            "(VALIDATE, the downgrade) refer to the constraint by name. Pass one, e.g. "
            '"fk_orders_user_id_users", or op.f("...") with a naming convention.'
        )


class NoReverseOp(MigrateOperation):
    """The reverse of an operation that leaves nothing to undo (a VALIDATE, a backfill).

    Autogenerate renders it as a comment; invoked, it does nothing.
    """

    def __init__(self, note: str) -> None:
        self.note = note

    def reverse(self) -> NoReverseOp:
        return self

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("no_reverse", self.note)


@Operations.register_operation("create_index_concurrently")
class CreateIndexConcurrentlyOp(alembic_ops.CreateIndexOp):
    """``CREATE INDEX CONCURRENTLY``, outside the migration transaction."""

    locks = "SHARE UPDATE EXCLUSIVE while it builds: reads and writes continue"

    def __init__(
        self,
        index_name: str | None,
        table_name: str,
        columns: Columns,
        *,
        schema: str | None = None,
        unique: bool = False,
        if_not_exists: bool | None = True,
        **kw: Any,
    ) -> None:
        kw["postgresql_concurrently"] = True
        super().__init__(
            index_name,
            table_name,
            columns,
            schema=schema,
            unique=unique,
            if_not_exists=if_not_exists,
            **kw,
        )

    @classmethod
    def from_create_index(cls, op: alembic_ops.CreateIndexOp) -> CreateIndexConcurrentlyOp:
        """The concurrent form of an Alembic ``create_index`` operation."""
        kw = {k: v for k, v in op.kw.items() if k != "postgresql_concurrently"}
        return cls(
            op.index_name,
            op.table_name,
            op.columns,
            schema=op.schema,
            unique=op.unique,
            if_not_exists=True,
            **kw,
        )

    def reverse(self) -> DropIndexConcurrentlyOp:
        assert self.index_name is not None
        return DropIndexConcurrentlyOp(
            self.index_name,
            self.table_name,
            schema=self.schema,
            if_exists=True,
            _reverse=self,
        )

    @classmethod
    def create_index_concurrently(
        cls,
        operations: Operations,
        index_name: str,
        table_name: str,
        columns: Columns,
        *,
        unique: bool = False,
        schema: str | None = None,
        if_not_exists: bool = True,
        **kw: Any,
    ) -> None:
        r"""Build an index without blocking writes: ``CREATE INDEX CONCURRENTLY``.

        PostgreSQL refuses ``CONCURRENTLY`` inside a transaction block, so this operation
        commits what the revision did so far (``autocommit_block()``), builds the index,
        and opens a new transaction for the rest of the revision.  The build takes a
        SHARE UPDATE EXCLUSIVE lock on the table: reads and writes continue, other DDL
        and VACUUM wait.

        It is idempotent and cleans up after itself:

        * a valid index of that name already there: nothing to do (``if_not_exists``);
        * an INVALID index of that name (left by an earlier failed build): dropped
          concurrently, then built again;
        * a build that fails (duplicate keys for a unique index, a lock timeout, a
          cancelled statement) leaves an INVALID index behind: it is dropped before the
          error is raised;
        * a lock timeout is retried with growing timeouts and sleeps (the settings
          ``lock_timeout``, ``lock_timeout_max``, ``lock_retries`` and
          ``lock_retry_delay``); ``statement_timeout`` is lifted for the build, which
          blocks nobody however long it runs.

        e.g.::

            def upgrade() -> None:
                op.create_index_concurrently("ix_users_email", "users", ["email"])


            def downgrade() -> None:
                op.drop_index_concurrently("ix_users_email", "users")

        :param index_name: name of the index.
        :param table_name: name of the table.
        :param columns: column names and/or :func:`~sqlalchemy.sql.expression.text`
         expressions, as for ``op.create_index``.
        :param unique: build a unique index.
        :param schema: schema of the table (and the index).
        :param if_not_exists: skip a valid index of the same name (the default); with
         ``False`` an existing index is an error.
        :param \**kw: dialect options such as ``postgresql_where`` or
         ``postgresql_include``, as for ``op.create_index``.
        """
        op = cls(
            index_name,
            table_name,
            columns,
            schema=schema,
            unique=unique,
            if_not_exists=if_not_exists,
            **kw,
        )
        return operations.invoke(op)


@Operations.register_operation("drop_index_concurrently")
class DropIndexConcurrentlyOp(alembic_ops.DropIndexOp):
    """``DROP INDEX CONCURRENTLY``, outside the migration transaction."""

    locks = "SHARE UPDATE EXCLUSIVE: reads and writes continue"

    def __init__(
        self,
        index_name: str,
        table_name: str | None = None,
        *,
        schema: str | None = None,
        if_exists: bool | None = True,
        _reverse: alembic_ops.CreateIndexOp | None = None,
        **kw: Any,
    ) -> None:
        kw["postgresql_concurrently"] = True
        super().__init__(
            index_name,
            table_name=table_name,
            schema=schema,
            if_exists=if_exists,
            _reverse=_reverse,
            **kw,
        )

    @classmethod
    def from_drop_index(cls, op: alembic_ops.DropIndexOp) -> DropIndexConcurrentlyOp:
        """The concurrent form of an Alembic ``drop_index`` operation."""
        return cls(
            op.index_name,
            op.table_name,
            schema=op.schema,
            if_exists=True,
            _reverse=op._reverse,
        )

    def reverse(self) -> CreateIndexConcurrentlyOp:
        original = self._reverse
        if original is None:
            raise ValueError(
                f"drop_index_concurrently({self.index_name!r}) cannot be reversed: the "
                "index's columns are unknown. Write the downgrade with "
                "op.create_index_concurrently(...)."
            )
        return CreateIndexConcurrentlyOp.from_create_index(original)

    @classmethod
    def drop_index_concurrently(
        cls,
        operations: Operations,
        index_name: str,
        table_name: str | None = None,
        *,
        schema: str | None = None,
        if_exists: bool = True,
    ) -> None:
        """Drop an index without blocking reads and writes: ``DROP INDEX CONCURRENTLY``.

        Like :meth:`create_index_concurrently` it runs outside the migration transaction
        (what the revision did before is committed first).  It takes a SHARE UPDATE
        EXCLUSIVE lock and waits for the transactions using the table to finish; a lock
        timeout is retried with growing timeouts.  A plain ``DROP INDEX`` takes ACCESS
        EXCLUSIVE and blocks every query on the table while it waits.

        An index that backs a constraint (primary key, unique constraint) cannot be
        dropped this way; drop the constraint instead.

        e.g.::

            op.drop_index_concurrently("ix_users_email", "users")

        :param index_name: the index.
        :param table_name: its table (used for the plan, reports and ``reverse()``).
        :param schema: schema of the index.
        :param if_exists: a missing index is not an error (the default), so a re-run
         after a partial failure goes through.
        """
        op = cls(index_name, table_name, schema=schema, if_exists=if_exists)
        return operations.invoke(op)


@Operations.register_operation("add_foreign_key_not_valid")
class AddForeignKeyNotValidOp(alembic_ops.CreateForeignKeyOp):
    """``ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID``."""

    locks = "SHARE ROW EXCLUSIVE on both tables for a moment: no scan"

    def __init__(
        self,
        constraint_name: Any,
        source_table: str,
        referent_table: str,
        local_cols: list[str],
        remote_cols: list[str],
        **kw: Any,
    ) -> None:
        kw["postgresql_not_valid"] = True
        super().__init__(
            constraint_name, source_table, referent_table, local_cols, remote_cols, **kw
        )

    @classmethod
    def from_create_foreign_key(
        cls, op: alembic_ops.CreateForeignKeyOp, name: Any = None
    ) -> AddForeignKeyNotValidOp:
        """The NOT VALID form of an Alembic ``create_foreign_key`` operation."""
        kw = {k: v for k, v in op.kw.items() if k != "postgresql_not_valid"}
        return cls(
            name if name is not None else op.constraint_name,
            op.source_table,
            op.referent_table,
            list(op.local_cols),
            list(op.remote_cols),
            **kw,
        )

    @classmethod
    def add_foreign_key_not_valid(  # noqa: PLR0917 - the order of op.create_foreign_key
        cls,
        operations: Operations,
        constraint_name: str,
        source_table: str,
        referent_table: str,
        local_cols: list[str],
        remote_cols: list[str],
        *,
        onupdate: str | None = None,
        ondelete: str | None = None,
        deferrable: bool | None = None,
        initially: str | None = None,
        match: str | None = None,
        source_schema: str | None = None,
        referent_schema: str | None = None,
        **dialect_kw: Any,
    ) -> None:
        r"""Add a foreign key without checking the existing rows: ``NOT VALID``.

        ``ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID`` takes SHARE ROW
        EXCLUSIVE locks on both tables for a moment (writes wait, reads continue) and
        does not scan: new and updated rows are checked from now on, existing rows are
        not.  Check them afterwards with :meth:`validate_constraint`, which runs in its
        own transaction and blocks no reads or writes.  The constraint is added inside
        the migration transaction, like any other DDL.

        e.g.::

            op.add_foreign_key_not_valid(
                "fk_orders_user_id_users", "orders", "users", ["user_id"], ["id"]
            )
            op.validate_constraint("fk_orders_user_id_users", "orders")

        :param constraint_name: name of the constraint (required: VALIDATE needs it).
        :param source_table: the table that gets the foreign key.
        :param referent_table: the table it refers to.
        :param local_cols: columns of ``source_table``.
        :param remote_cols: referenced columns of ``referent_table``.
        :param onupdate: ``ON UPDATE`` action (``CASCADE``, ``SET NULL``...).
        :param ondelete: ``ON DELETE`` action.
        :param deferrable: ``DEFERRABLE`` / ``NOT DEFERRABLE``.
        :param initially: ``DEFERRED`` or ``IMMEDIATE``.
        :param match: ``FULL`` or ``SIMPLE``.
        :param source_schema: schema of ``source_table``.
        :param referent_schema: schema of ``referent_table``.
        """
        _required_name(constraint_name, "add_foreign_key_not_valid")
        kw: dict[str, Any] = {
            "onupdate": onupdate,
            "ondelete": ondelete,
            "deferrable": deferrable,
            "initially": initially,
            "match": match,
            "source_schema": source_schema,
            "referent_schema": referent_schema,
        }
        op = cls(
            constraint_name,
            source_table,
            referent_table,
            local_cols,
            remote_cols,
            **{k: v for k, v in kw.items() if v is not None},
            **dialect_kw,
        )
        return operations.invoke(op)


@Operations.register_operation("add_check_constraint_not_valid")
class AddCheckConstraintNotValidOp(alembic_ops.CreateCheckConstraintOp):
    """``ALTER TABLE ... ADD CONSTRAINT ... CHECK (...) NOT VALID``."""

    locks = "ACCESS EXCLUSIVE for a moment: no scan"

    def __init__(
        self,
        constraint_name: Any,
        table_name: str,
        condition: str | TextClause | ColumnElement[Any],
        *,
        schema: str | None = None,
        **kw: Any,
    ) -> None:
        kw["postgresql_not_valid"] = True
        super().__init__(constraint_name, table_name, condition, schema=schema, **kw)

    @classmethod
    def from_create_check_constraint(
        cls, op: alembic_ops.CreateCheckConstraintOp, name: Any = None
    ) -> AddCheckConstraintNotValidOp:
        kw = {k: v for k, v in op.kw.items() if k != "postgresql_not_valid"}
        return cls(
            name if name is not None else op.constraint_name,
            op.table_name,
            op.condition,
            schema=op.schema,
            **kw,
        )

    @classmethod
    def add_check_constraint_not_valid(
        cls,
        operations: Operations,
        constraint_name: str,
        table_name: str,
        condition: str | TextClause | ColumnElement[Any],
        *,
        schema: str | None = None,
        **kw: Any,
    ) -> None:
        r"""Add a CHECK constraint without checking the existing rows: ``NOT VALID``.

        The ``ALTER TABLE`` takes ACCESS EXCLUSIVE for a moment (no scan), inside the
        migration transaction; new and updated rows are checked from then on.  Check the
        existing rows with :meth:`validate_constraint`.

        e.g.::

            op.add_check_constraint_not_valid("ck_orders_total_positive", "orders", "total >= 0")
            op.validate_constraint("ck_orders_total_positive", "orders")

        :param constraint_name: name of the constraint (required: VALIDATE needs it).
        :param table_name: the table.
        :param condition: the SQL condition, as a string or a SQLAlchemy expression.
        :param schema: schema of the table.
        """
        _required_name(constraint_name, "add_check_constraint_not_valid")
        op = cls(constraint_name, table_name, condition, schema=schema, **kw)
        return operations.invoke(op)


@Operations.register_operation("validate_constraint")
class ValidateConstraintOp(MigrateOperation):
    """``ALTER TABLE ... VALIDATE CONSTRAINT``, in its own transaction."""

    locks = "SHARE UPDATE EXCLUSIVE while it scans: reads and writes continue"

    def __init__(self, constraint_name: str, table_name: str, *, schema: str | None = None) -> None:
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.schema = schema

    def reverse(self) -> NoReverseOp:
        return NoReverseOp(
            f"validate_constraint({self.constraint_name!r}) has nothing to undo; "
            "dropping the constraint undoes its ADD"
        )

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("validate_constraint", self.schema, self.table_name, self.constraint_name)

    @classmethod
    def validate_constraint(
        cls,
        operations: Operations,
        constraint_name: str,
        table_name: str,
        schema: str | None = None,
    ) -> None:
        """Check the existing rows against a ``NOT VALID`` constraint.

        ``ALTER TABLE ... VALIDATE CONSTRAINT`` scans the table but takes only a SHARE
        UPDATE EXCLUSIVE lock (and ROW SHARE on the table a foreign key refers to), so
        reads and writes continue while it runs.  It runs in its own transaction: what
        the revision did before is committed first, so the short but strong lock of the
        ``ADD CONSTRAINT ... NOT VALID`` is not held during the scan.  A lock timeout is
        retried; ``statement_timeout`` is lifted for the scan.  Validating a constraint
        that is already valid does nothing.

        e.g.::

            op.add_foreign_key_not_valid("fk_orders_user_id_users", "orders", "users", ["user_id"], ["id"])
            op.validate_constraint("fk_orders_user_id_users", "orders")

        :param constraint_name: the constraint.
        :param table_name: its table.
        :param schema: schema of the table.
        """
        return operations.invoke(cls(constraint_name, table_name, schema=schema))  # type: ignore[no-any-return]


@Operations.register_operation("add_not_null")
class AddNotNullOp(MigrateOperation):
    """``SET NOT NULL`` through a validated CHECK constraint (no scan under ACCESS EXCLUSIVE)."""

    locks = "ACCESS EXCLUSIVE for moments, no scan under it (PostgreSQL >= 12); the scan runs under SHARE UPDATE EXCLUSIVE"

    def __init__(self, table_name: str, column_name: str, *, schema: str | None = None) -> None:
        self.table_name = table_name
        self.column_name = column_name
        self.schema = schema

    def reverse(self) -> alembic_ops.AlterColumnOp:
        return alembic_ops.AlterColumnOp(
            self.table_name,
            self.column_name,
            schema=self.schema,
            existing_nullable=False,
            modify_nullable=True,
        )

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("modify_nullable", self.schema, self.table_name, self.column_name, {}, True, False)

    @classmethod
    def add_not_null(
        cls,
        operations: Operations,
        table_name: str,
        column_name: str,
        schema: str | None = None,
    ) -> None:
        """Make a column NOT NULL without scanning the table under ACCESS EXCLUSIVE.

        A plain ``ALTER COLUMN ... SET NOT NULL`` scans the whole table while it holds
        ACCESS EXCLUSIVE: every read and write waits for the scan.  This operation, outside
        the migration transaction, runs four short statements instead:

        1. ``ADD CONSTRAINT <table>_<column>_not_null CHECK (<column> IS NOT NULL) NOT VALID``:
           ACCESS EXCLUSIVE for a moment, no scan;
        2. ``VALIDATE CONSTRAINT``: scans, under SHARE UPDATE EXCLUSIVE (reads and writes
           continue);
        3. ``ALTER COLUMN ... SET NOT NULL``: ACCESS EXCLUSIVE for a moment; PostgreSQL 12
           and later use the valid CHECK constraint as proof and skip the scan (older
           servers scan again);
        4. ``DROP CONSTRAINT``: the CHECK is redundant now; ACCESS EXCLUSIVE for a moment.

        Each statement commits on its own and retries on lock timeouts.  It is idempotent:
        a column that is already NOT NULL is left alone (a CHECK left by an interrupted
        run is dropped), and a CHECK left by an interrupted run is reused.  Rows with
        NULL make step 2 fail: backfill them first (:meth:`backfill`).

        e.g.::

            op.backfill("users", set={"locale": "'en'"}, where="locale IS NULL")
            op.add_not_null("users", "locale")

        :param table_name: the table.
        :param column_name: the column.
        :param schema: schema of the table.
        """
        return operations.invoke(cls(table_name, column_name, schema=schema))  # type: ignore[no-any-return]


@Operations.register_operation("add_unique_constraint_concurrently")
class AddUniqueConstraintConcurrentlyOp(alembic_ops.CreateUniqueConstraintOp):
    """A unique constraint from a unique index built concurrently."""

    locks = "SHARE UPDATE EXCLUSIVE while the index builds, then ACCESS EXCLUSIVE for a moment"

    @classmethod
    def from_create_unique_constraint(
        cls, op: alembic_ops.CreateUniqueConstraintOp, name: Any = None
    ) -> AddUniqueConstraintConcurrentlyOp:
        return cls(
            name if name is not None else op.constraint_name,
            op.table_name,
            list(op.columns),
            schema=op.schema,
            **op.kw,
        )

    @classmethod
    def add_unique_constraint_concurrently(
        cls,
        operations: Operations,
        constraint_name: str,
        table_name: str,
        columns: Sequence[str],
        *,
        schema: str | None = None,
        deferrable: bool | None = None,
        initially: str | None = None,
    ) -> None:
        """Add a unique constraint without blocking writes while its index is built.

        ``ADD CONSTRAINT ... UNIQUE`` builds the index under ACCESS EXCLUSIVE (every read
        and write waits).  This operation, outside the migration transaction:

        1. builds a unique index named like the constraint with ``CREATE UNIQUE INDEX
           CONCURRENTLY`` (SHARE UPDATE EXCLUSIVE: reads and writes continue), exactly
           as :meth:`create_index_concurrently` does - idempotent, an INVALID index
           left by a failed build (duplicate values!) is dropped;
        2. attaches it: ``ADD CONSTRAINT ... UNIQUE USING INDEX``, ACCESS EXCLUSIVE for
           a moment, no scan.

        e.g.::

            op.add_unique_constraint_concurrently("uq_users_email", "users", ["email"])

        :param constraint_name: name of the constraint and of its index.
        :param table_name: the table.
        :param columns: plain column names (``USING INDEX`` needs a plain index).
        :param schema: schema of the table.
        :param deferrable: ``DEFERRABLE``.
        :param initially: ``DEFERRED`` or ``IMMEDIATE``.
        """
        _required_name(constraint_name, "add_unique_constraint_concurrently")
        kw: dict[str, Any] = {}
        if deferrable is not None:
            kw["deferrable"] = deferrable
        if initially is not None:
            kw["initially"] = initially
        op = cls(constraint_name, table_name, list(columns), schema=schema, **kw)
        return operations.invoke(op)


@Operations.register_operation("backfill")
class BackfillOp(MigrateOperation):
    """A batched ``UPDATE`` committing per batch, outside the migration transaction."""

    locks = "row locks of one batch at a time, each batch committed"

    def __init__(
        self,
        table_name: str,
        *,
        values: Mapping[str, Any],
        where: str | None = None,
        batch_size: int = 1000,
        key: str = "id",
        schema: str | None = None,
        pause: float = 0.0,
        batch_time: float | None = None,
    ) -> None:
        self.table_name = table_name
        self.values = dict(values)
        self.where = where
        self.batch_size = batch_size
        self.key = key
        self.schema = schema
        self.pause = pause
        self.batch_time = batch_time

    def reverse(self) -> NoReverseOp:
        return NoReverseOp(
            f"backfill({self.table_name!r}) has no reverse: the rows keep their new values"
        )

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("backfill", self.schema, self.table_name, tuple(self.values))

    @classmethod
    def backfill(
        cls,
        operations: Operations,
        table_name: str,
        *,
        set: Mapping[str, Any],
        where: str | None = None,
        batch_size: int = 1000,
        key: str = "id",
        schema: str | None = None,
        pause: float = 0.0,
        batch_time: float | None = None,
    ) -> None:
        """Update many rows in batches, committing after each batch.

        One ``UPDATE`` of a whole table inside the migration transaction locks every row
        it touches until the end of the revision (writers to those rows wait), and
        bloats the table in one go.  ``op.backfill`` runs outside the migration
        transaction and updates the rows in ``key`` order, each batch in its own short
        transaction.  Batches are sized to last about ``batch_time`` (the setting
        ``backfill_batch_time``, 20 ms by default): the row locks of a batch are held no
        longer than that.  Progress is logged: rows done out of the rows to do, the rate
        and the time left.

        It is resumable: only rows that still need the change are updated, and it starts
        at the first of them, so a run that was interrupted continues where it stopped.
        By default those are the rows whose columns differ from the new values
        (``IS DISTINCT FROM``); pass ``where`` for a cheaper test such as
        ``"locale IS NULL"``.  With ``where``, rows another session has locked are
        skipped rather than waited for, and picked up by a later pass (the last pass
        waits for them).  Batches walk the key upwards, so a backfill always ends, even
        with volatile values like ``now()``.

        Offline (``alembic upgrade --sql``) it renders a ``DO`` block that loops over the
        same batches and commits after each one.

        e.g.::

            op.backfill("users", set={"locale": "'en'"}, where="locale IS NULL")
            op.backfill(
                "orders",
                set={"total_cents": "round(total * 100)"},
                where="total_cents IS NULL",
                batch_size=5000,
            )

        :param table_name: the table.
        :param set: column -> new value, as SQL text (``"'en'"`` is a string literal,
         ``"lower(email)"`` an expression) or a SQLAlchemy expression.
        :param where: SQL condition selecting the rows that still need the change;
         default: rows whose columns differ from the new values.
        :param batch_size: rows of the first batch; later ones are sized to ``batch_time``.
        :param key: a unique, ordered column to walk the table by (the primary key).
        :param schema: schema of the table.
        :param pause: seconds to sleep between batches (lets replicas catch up).
        :param batch_time: seconds one batch should take (default: the setting
         ``backfill_batch_time``); ``0`` keeps every batch at ``batch_size`` rows.
        """
        if not set:
            raise ValueError("backfill() needs at least one column in set={...}")
        if int(batch_size) < 1:
            raise ValueError(f"backfill() batch_size must be at least 1 (got {batch_size!r})")
        if batch_time is not None and batch_time < 0:
            raise ValueError(f"backfill() batch_time must not be negative (got {batch_time!r})")
        op = cls(
            table_name,
            values=set,
            where=where,
            batch_size=int(batch_size),
            key=key,
            schema=schema,
            pause=pause,
            batch_time=batch_time,
        )
        return operations.invoke(op)  # type: ignore[no-any-return]


@Operations.register_operation("alter_column_type_online")
class AlterColumnTypeOnlineOp(alembic_ops.AlterColumnOp):
    """A column type change that rewrites the table, made online through a shadow column."""

    locks = (
        "ACCESS EXCLUSIVE for moments (adding the new column and its trigger, the swap); "
        "the backfill, the index builds and the validations block no reads or writes"
    )

    def __init__(
        self,
        table_name: str,
        column_name: str,
        *,
        type_: Any,
        existing_type: Any = None,
        using: str | None = None,
        key: str | None = None,
        schema: str | None = None,
        existing_nullable: bool | None = None,
        existing_server_default: Any = False,
        **kw: Any,
    ) -> None:
        super().__init__(
            table_name,
            column_name,
            schema=schema,
            existing_type=existing_type,
            existing_nullable=existing_nullable,
            existing_server_default=existing_server_default,
            modify_type=type_,
            **kw,
        )
        self.using = using
        self.key = key

    @classmethod
    def from_alter_column(cls, op: alembic_ops.AlterColumnOp) -> AlterColumnTypeOnlineOp:
        """The online form of the type change of an Alembic ``alter_column`` operation."""
        return cls(
            op.table_name,
            op.column_name,
            type_=op.modify_type,
            existing_type=op.existing_type,
            schema=op.schema,
            existing_nullable=op.existing_nullable,
            existing_server_default=op.existing_server_default,
        )

    def reverse(self) -> AlterColumnTypeOnlineOp:
        if self.existing_type is None:
            raise ValueError(
                f"alter_column_type_online({self.table_name!r}, {self.column_name!r}) cannot "
                "be reversed: the old type is unknown. Pass existing_type=."
            )
        return AlterColumnTypeOnlineOp(
            self.table_name,
            self.column_name,
            type_=self.existing_type,
            existing_type=self.modify_type,
            key=self.key,
            schema=self.schema,
            existing_nullable=self.existing_nullable,
            existing_server_default=self.existing_server_default,
        )

    @classmethod
    def alter_column_type_online(
        cls,
        operations: Operations,
        table_name: str,
        column_name: str,
        type_: Any,
        *,
        existing_type: Any = None,
        using: str | None = None,
        key: str | None = None,
        schema: str | None = None,
        existing_nullable: bool | None = None,
        existing_server_default: Any = False,
    ) -> None:
        """Change a column's type without rewriting the table under ACCESS EXCLUSIVE.

        ``ALTER COLUMN ... TYPE bigint`` on an ``integer`` column rewrites the table and
        every index on it while holding ACCESS EXCLUSIVE: nothing reads or writes the table
        meanwhile.  This operation, outside the migration transaction:

        1. adds a shadow column ``<column>_new`` of the new type and a trigger that keeps it
           equal to the old column's value on every INSERT and UPDATE (one short
           transaction, ACCESS EXCLUSIVE for a moment);
        2. backfills the shadow column in batches (:meth:`backfill`: row locks of one
           batch at a time);
        3. rebuilds what involves the column on the shadow one, none of it blocking reads
           or writes: NOT NULL as a validated CHECK, indexes (and the indexes of unique
           constraints and primary keys) with ``CREATE INDEX CONCURRENTLY``, CHECK and
           foreign key constraints ``NOT VALID`` then ``VALIDATE``;
        4. swaps, in one short transaction (ACCESS EXCLUSIVE, no scan): SET NOT NULL,
           the default, the sequences the column owns (``serial``: ``OWNED BY`` and, when
           wider, ``AS <new type>``), drops the trigger and the old column (its indexes
           and constraints with it), renames the shadow column, its indexes and
           constraints to the old names, restores the comment.

        Every step is idempotent: a run that was interrupted continues where it stopped.
        Locks are taken without joining the lock queue (:mod:`alembic_safe.lockwait`).
        What cannot be moved this way (a view using the column, a foreign key of another
        table referring to it, an identity or generated column, an exclusion constraint,
        column privileges, a partitioned table) is refused before anything changes, with
        the manual recipe named.  The column moves to the end of the table's column list.

        e.g.::

            op.alter_column_type_online(
                "items", "n", sa.BigInteger(), existing_type=sa.Integer()
            )

        :param table_name: the table.
        :param column_name: the column.
        :param type_: the new type.
        :param existing_type: the current type (needed for ``reverse()``).
        :param using: SQL computing the new value from the row's columns, as in
         ``ALTER COLUMN ... TYPE ... USING``; default ``CAST(<column> AS <new type>)``.
        :param key: the column to walk the table by in the backfill; default the
         table's (single-column) primary key.
        :param schema: schema of the table.
        """
        op = cls(
            table_name,
            column_name,
            type_=type_,
            existing_type=existing_type,
            using=using,
            key=key,
            schema=schema,
            existing_nullable=existing_nullable,
            existing_server_default=existing_server_default,
        )
        return operations.invoke(op)


SAFE_OPERATIONS: tuple[type[MigrateOperation], ...] = (
    CreateIndexConcurrentlyOp,
    DropIndexConcurrentlyOp,
    AddForeignKeyNotValidOp,
    AddCheckConstraintNotValidOp,
    ValidateConstraintOp,
    AddNotNullOp,
    AddUniqueConstraintConcurrentlyOp,
    BackfillOp,
    AlterColumnTypeOnlineOp,
)
