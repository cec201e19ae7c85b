from __future__ import annotations

from alembic_utils.replaceable_entity import ReplaceableEntity


class PGGrantTable(ReplaceableEntity):
    """``GRANT <grant> (<columns>) ON <schema>.<table> TO <role>``."""

    def __init__(
        self,
        schema: str,
        table: str,
        columns: list[str],
        role: str,
        grant: str,
        with_grant_option: bool = False,
    ) -> None:
        super().__init__(schema=schema, signature=f"{table}.{role}.{grant}", definition="")
        self.table, self.columns, self.role, self.grant = table, columns, role, grant
        self.with_grant_option = with_grant_option

    def _target(self) -> str:
        cols = f" ({', '.join(self.columns)})" if self.columns else ""
        return f'{self.grant}{cols} ON "{self.schema}"."{self.table}"'

    def to_sql_statement_create(self) -> str:
        option = " WITH GRANT OPTION" if self.with_grant_option else ""
        return f'GRANT {self._target()} TO "{self.role}"{option}'

    def to_sql_statement_drop(self, cascade: bool = False) -> str:
        return f'REVOKE {self._target()} FROM "{self.role}"'

    def to_sql_statement_create_or_replace(self) -> str:
        return f"{self.to_sql_statement_drop()};\n{self.to_sql_statement_create()}"
