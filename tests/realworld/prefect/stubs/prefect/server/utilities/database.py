from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeDecorator


class Timestamp(TypeDecorator):
    """``timestamp with time zone`` on PostgreSQL."""

    impl = sa.TIMESTAMP(timezone=True)
    cache_ok = True

    def __init__(self, timezone: bool = True) -> None:
        super().__init__()


class UUID(TypeDecorator):
    """Native ``uuid`` on PostgreSQL."""

    impl = postgresql.UUID(as_uuid=True)
    cache_ok = True


class JSON(TypeDecorator):
    """``jsonb`` on PostgreSQL."""

    impl = postgresql.JSONB(none_as_null=True)
    cache_ok = True

    def __init__(self, astext_type: Any = None, none_as_null: bool = True) -> None:
        super().__init__()


class Pydantic(TypeDecorator):
    """A pydantic model (or a typing construct of them) stored as ``jsonb``."""

    impl = JSON
    cache_ok = True

    def __init__(self, pydantic_type: Any, sa_column_type: Any = None) -> None:
        super().__init__()
        self._pydantic_type = pydantic_type
