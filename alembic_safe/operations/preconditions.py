"""Precondition operations: ``op.require_table``, ``op.require_column``, ``op.require_sql``...

They are meant for a revision's ``preconditions()`` and ``verify()`` functions.  Online, a
failed requirement raises :class:`~alembic_safe.errors.PreconditionFailed` (the guard
collects them and reports every failure at once); offline (``alembic upgrade --sql``)
they render the reviewed SQL script's ``DO $$ ... RAISE EXCEPTION`` block.
"""

from __future__ import annotations

from typing import Any

from alembic.operations import MigrateOperation, Operations

from alembic_safe import checks
from alembic_safe.checks import COLLECTOR, Check
from alembic_safe.errors import PreconditionFailed


class RequireOp(MigrateOperation):
    """Base class: one :class:`~alembic_safe.checks.Check` to enforce."""

    def to_check(self) -> Check:  # pragma: no cover - abstract
        raise NotImplementedError

    def reverse(self) -> RequireOp:
        return self  # a requirement reads the catalog; it has nothing to undo


@Operations.register_operation("require_table")
class RequireTableOp(RequireOp):
    def __init__(self, table_name: str, *, exists: bool = True, schema: str | None = None) -> None:
        self.table_name = table_name
        self.exists = exists
        self.schema = schema

    @classmethod
    def require_table(
        cls,
        operations: Operations,
        table_name: str,
        *,
        exists: bool = True,
        schema: str | None = None,
    ) -> None:
        """Require that a table exists (or, with ``exists=False``, that it does not).

        e.g.::

            def preconditions() -> None:
                op.require_table("users")
                op.require_table("user_phones", exists=False)

        :param table_name: the table.
        :param exists: ``False`` to require that the table does not exist yet.
        :param schema: its schema; unqualified names follow ``search_path``.
        """
        return operations.invoke(cls(table_name, exists=exists, schema=schema))  # type: ignore[no-any-return]

    def to_check(self) -> Check:
        if self.exists:
            return checks.table_exists(self.schema, self.table_name)
        return checks.relation_name_free(self.schema, self.table_name)


@Operations.register_operation("require_column")
class RequireColumnOp(RequireOp):
    def __init__(
        self,
        table_name: str,
        column_name: str,
        *,
        exists: bool = True,
        nullable: bool | None = None,
        schema: str | None = None,
    ) -> None:
        self.table_name = table_name
        self.column_name = column_name
        self.exists = exists
        self.nullable = nullable
        self.schema = schema

    @classmethod
    def require_column(
        cls,
        operations: Operations,
        table_name: str,
        column_name: str,
        *,
        exists: bool = True,
        nullable: bool | None = None,
        schema: str | None = None,
    ) -> None:
        """Require that a column exists (or not), optionally with a given nullability.

        e.g.::

            def verify() -> None:
                op.require_column("users", "phone_number", nullable=True)

        :param exists: ``False`` to require that the column does not exist yet.
        :param nullable: when given, also require the column to be nullable or NOT NULL.
        """
        op = cls(table_name, column_name, exists=exists, nullable=nullable, schema=schema)
        return operations.invoke(op)  # type: ignore[no-any-return]

    def to_check(self) -> Check:
        if self.nullable is not None and self.exists:
            return checks.column_not_null(
                self.schema, self.table_name, self.column_name, not self.nullable
            )
        return checks.column_exists(self.schema, self.table_name, self.column_name, self.exists)


@Operations.register_operation("require_index")
class RequireIndexOp(RequireOp):
    def __init__(self, index_name: str, *, exists: bool = True, schema: str | None = None) -> None:
        self.index_name = index_name
        self.exists = exists
        self.schema = schema

    @classmethod
    def require_index(
        cls,
        operations: Operations,
        index_name: str,
        *,
        exists: bool = True,
        schema: str | None = None,
    ) -> None:
        """Require that an index exists (or, with ``exists=False``, that its name is free)."""
        return operations.invoke(cls(index_name, exists=exists, schema=schema))  # type: ignore[no-any-return]

    def to_check(self) -> Check:
        if self.exists:
            return checks.index_exists(self.schema, self.index_name)
        return checks.relation_name_free(self.schema, self.index_name)


@Operations.register_operation("require_constraint")
class RequireConstraintOp(RequireOp):
    def __init__(
        self,
        table_name: str,
        constraint_name: str,
        *,
        exists: bool = True,
        schema: str | None = None,
    ) -> None:
        self.table_name = table_name
        self.constraint_name = constraint_name
        self.exists = exists
        self.schema = schema

    @classmethod
    def require_constraint(
        cls,
        operations: Operations,
        table_name: str,
        constraint_name: str,
        *,
        exists: bool = True,
        schema: str | None = None,
    ) -> None:
        """Require that a named constraint exists on a table (or does not)."""
        op = cls(table_name, constraint_name, exists=exists, schema=schema)
        return operations.invoke(op)  # type: ignore[no-any-return]

    def to_check(self) -> Check:
        return checks.constraint_exists(
            self.schema, self.table_name, self.constraint_name, self.exists
        )


def _sql_value(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return checks.literal(str(value))


@Operations.register_operation("require_sql")
class RequireSqlOp(RequireOp):
    def __init__(self, query: str, *, equals: Any = None, message: str | None = None) -> None:
        self.query = query
        self.equals = equals
        self.message = message

    @classmethod
    def require_sql(
        cls,
        operations: Operations,
        query: str,
        *,
        equals: Any = None,
        message: str | None = None,
    ) -> None:
        """Require that a query returns a value, or that a boolean query is true.

        e.g.::

            def preconditions() -> None:
                op.require_sql(
                    "SELECT count(*) FROM users WHERE email IS NULL",
                    equals=0,
                    message="every user has an email before it becomes NOT NULL",
                )
                op.require_sql("SELECT NOT EXISTS (SELECT 1 FROM legacy_orders)")

        :param query: a query returning one row and one column.
        :param equals: the value it must return; without it, the query must return true
         (to require NULL, write the query as ``SELECT ... IS NULL``).
        :param message: what the requirement means, shown when it fails.
        """
        return operations.invoke(cls(query, equals=equals, message=message))  # type: ignore[no-any-return]

    def to_check(self) -> Check:
        if self.equals is None:
            return checks.sql_true(self.query, self.message)
        return checks.sql_equals(self.query, _sql_value(self.equals), self.message)


def _enforce(operations: Operations, operation: RequireOp) -> None:
    context = operations.migration_context
    check = operation.to_check()
    collected = context.opts.get(COLLECTOR)
    if collected is not None:
        collected.append(check)
        return
    if context.as_sql:
        operations.execute(checks.render_do_block([check], "Requirement"))
        return
    connection = context.connection
    assert connection is not None
    failures = checks.evaluate(connection, [check])
    if failures:
        raise PreconditionFailed(
            "Requirement failed: " + failures[0].format(),
            hint="Nothing of this revision is committed; fix the database state or the requirement.",
        )


for _op in (RequireTableOp, RequireColumnOp, RequireIndexOp, RequireConstraintOp, RequireSqlOp):
    Operations.implementation_for(_op)(_enforce)
