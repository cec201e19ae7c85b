from __future__ import annotations

from typing import Any

from alembic.operations import MigrateOperation, Operations


class ReplaceableEntity:
    """An object defined by a DDL statement: knows how to create, replace and drop itself."""

    def __init__(self, schema: str, signature: str, definition: str) -> None:
        self.schema = schema
        self.signature = signature
        self.definition = definition

    @property
    def identity(self) -> str:
        return f"{self.schema}.{self.signature}"

    def to_sql_statement_create(self) -> str:
        raise NotImplementedError

    def to_sql_statement_drop(self, cascade: bool = False) -> str:
        raise NotImplementedError

    def to_sql_statement_create_or_replace(self) -> str:
        raise NotImplementedError


class _EntityOp(MigrateOperation):
    def __init__(self, target: ReplaceableEntity, **kw: Any) -> None:
        self.target = target
        self.kw = kw


@Operations.register_operation("create_entity", "invoke_for_target")
class CreateOp(_EntityOp):
    @classmethod
    def invoke_for_target(cls, operations: Operations, target: ReplaceableEntity) -> Any:
        return operations.invoke(cls(target))

    def reverse(self) -> DropOp:
        return DropOp(self.target)


@Operations.register_operation("drop_entity", "invoke_for_target")
class DropOp(_EntityOp):
    @classmethod
    def invoke_for_target(
        cls, operations: Operations, target: ReplaceableEntity, cascade: bool = False
    ) -> Any:
        return operations.invoke(cls(target, cascade=cascade))

    def reverse(self) -> CreateOp:
        return CreateOp(self.target)


@Operations.register_operation("replace_entity", "invoke_for_target")
class ReplaceOp(_EntityOp):
    @classmethod
    def invoke_for_target(cls, operations: Operations, target: ReplaceableEntity) -> Any:
        return operations.invoke(cls(target))


@Operations.implementation_for(CreateOp)
def _create(operations: Operations, operation: CreateOp) -> None:
    operations.execute(operation.target.to_sql_statement_create())


@Operations.implementation_for(DropOp)
def _drop(operations: Operations, operation: DropOp) -> None:
    operations.execute(
        operation.target.to_sql_statement_drop(cascade=operation.kw.get("cascade", False))
    )


@Operations.implementation_for(ReplaceOp)
def _replace(operations: Operations, operation: ReplaceOp) -> None:
    operations.execute(operation.target.to_sql_statement_create_or_replace())
