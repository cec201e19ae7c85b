from __future__ import annotations

from alembic_utils.replaceable_entity import ReplaceableEntity


class PGTrigger(ReplaceableEntity):
    """A trigger on ``on_entity``; ``definition`` is what follows ``CREATE TRIGGER name``."""

    def __init__(
        self,
        schema: str,
        signature: str,
        on_entity: str,
        definition: str,
        is_constraint: bool = False,
    ) -> None:
        super().__init__(schema=schema, signature=signature, definition=definition)
        self.on_entity = on_entity if "." in on_entity else f"{schema}.{on_entity}"
        self.is_constraint = is_constraint

    def to_sql_statement_create(self) -> str:
        kind = "CONSTRAINT TRIGGER" if self.is_constraint else "TRIGGER"
        return f'CREATE {kind} "{self.signature}" {self.definition}'

    def to_sql_statement_drop(self, cascade: bool = False) -> str:
        tail = " CASCADE" if cascade else ""
        return f'DROP TRIGGER "{self.signature}" ON {self.on_entity}{tail}'

    def to_sql_statement_create_or_replace(self) -> str:
        # PostgreSQL before 14 has no CREATE OR REPLACE TRIGGER: drop, then create
        return f"{self.to_sql_statement_drop()};\n{self.to_sql_statement_create()}"
