"""Stand-in for alembic-autogenerate-enums: the ``op.sync_enum_values`` operation.

Importing the module registers the operation (Lemur's env.py imports it for that).
Like the library, it ends the migration transaction with ``COMMIT`` (``ALTER TYPE
... ADD VALUE`` could not run inside one before PostgreSQL 12) and adds each value
that ``new_values`` has and ``old_values`` lacks.
"""

from __future__ import annotations

from typing import Any

from alembic.operations import MigrateOperation, Operations


@Operations.register_operation("sync_enum_values")
class SyncEnumValuesOp(MigrateOperation):
    def __init__(
        self,
        schema: str,
        name: str,
        old_values: list[str],
        new_values: list[str],
        affected_columns: list[tuple[str, str]] | None = None,
        should_reverse: bool = False,
    ) -> None:
        self.schema, self.name = schema, name
        self.old_values, self.new_values = old_values, new_values
        self.affected_columns = affected_columns
        self.should_reverse = should_reverse

    @classmethod
    def sync_enum_values(cls, operations: Operations, *args: Any, **kwargs: Any) -> Any:
        return operations.invoke(cls(*args, **kwargs))

    def reverse(self) -> SyncEnumValuesOp:
        return SyncEnumValuesOp(
            self.schema, self.name, self.new_values, self.old_values, self.affected_columns
        )


@Operations.implementation_for(SyncEnumValuesOp)
def _sync(operations: Operations, operation: SyncEnumValuesOp) -> None:
    operations.execute("COMMIT")
    for value in sorted(set(operation.new_values) - set(operation.old_values)):
        operations.execute(f"ALTER TYPE {operation.schema}.{operation.name} ADD VALUE '{value}'")
