"""A stand-in for alembic-safe's own operations in rule fixtures.

The rules know the safe operations by name (``plan.op_name``); this op takes any of those
names and emits the SQL it is given, so fixtures can show that a step named
``add_not_null`` (or an unknown third-party op) is judged the way the rules promise.
"""

from __future__ import annotations

from typing import Any

from alembic import op
from alembic.operations import MigrateOperation, Operations


class NamedOp(MigrateOperation):
    def __init__(self, name: str, sql: str) -> None:
        self._alembic_safe_name = name
        self.sql = sql

    def reverse(self) -> NamedOp:
        return self


@Operations.implementation_for(NamedOp)
def _run(operations: Operations, operation: NamedOp) -> None:
    for statement in operation.sql.split(";"):
        if statement.strip():
            operations.execute(statement.strip())


def named_op(name: str, sql: str) -> Any:
    """Invoke an operation called ``name`` that emits ``sql``."""
    return op.invoke(NamedOp(name, sql))
