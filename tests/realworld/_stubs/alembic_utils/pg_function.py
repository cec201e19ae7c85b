from __future__ import annotations

import re

from alembic_utils.replaceable_entity import ReplaceableEntity

_DEFAULT = re.compile(r"\s+(?:DEFAULT|=)\s+[^,()]*(?:\([^()]*\))?", re.I)


class PGFunction(ReplaceableEntity):
    """A PostgreSQL function: ``signature`` is ``name(args)``, ``definition`` what follows."""

    def _drop_signature(self) -> str:
        """The signature without defaults (DROP FUNCTION takes argument types only)."""
        return _DEFAULT.sub("", self.signature)

    def to_sql_statement_create(self) -> str:
        return f'CREATE FUNCTION "{self.schema}".{self.signature} {self.definition}'

    def to_sql_statement_create_or_replace(self) -> str:
        return f'CREATE OR REPLACE FUNCTION "{self.schema}".{self.signature} {self.definition}'

    def to_sql_statement_drop(self, cascade: bool = False) -> str:
        tail = " CASCADE" if cascade else ""
        return f'DROP FUNCTION "{self.schema}".{self._drop_signature()}{tail}'
