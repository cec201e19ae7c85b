"""A stand-in for alembic-safe's own operations in rule fixtures.

The rules know the safe operations by their classes (``SAFE_OPERATIONS``); this op takes
the name of any operation and emits the SQL it is given, so fixtures can show that a step
of ``add_not_null`` (or of an unknown third-party op) is judged the way the rules promise.
For the name of a safe operation it is an instance of that operation's class too.
"""

from __future__ import annotations

from typing import Any

from alembic import op
from alembic.operations import MigrateOperation, Operations

from alembic_safe.capture.plan import op_name
from alembic_safe.operations.ops import SAFE_OPERATIONS


class NamedOp(MigrateOperation):
    def __init__(self, name: str, sql: str) -> None:
        self._alembic_safe_name = name
        self.sql = sql

    def reverse(self) -> NamedOp:
        return self

    def __getattr__(self, name: str) -> Any:
        """A stand-in has none of the real operation's arguments."""
        if name.startswith("__"):
            raise AttributeError(name)
        return {} if name == "kw" else None


@Operations.implementation_for(NamedOp)
def _run(operations: Operations, operation: NamedOp) -> None:
    for statement in operation.sql.split(";"):
        if statement.strip():
            operations.execute(statement.strip())


_SAFE = {op_name(cls.__new__(cls)): cls for cls in SAFE_OPERATIONS}


def named_op(name: str, sql: str) -> Any:
    """Invoke an operation called ``name`` that emits ``sql``."""
    cls = _SAFE.get(name)
    kind = type(f"Named{cls.__name__}", (NamedOp, cls), {}) if cls else NamedOp
    return op.invoke(kind(name, sql))
