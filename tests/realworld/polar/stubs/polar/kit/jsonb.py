"""Pydantic-model columns: ``jsonb`` on PostgreSQL."""

from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator


class JSONBModel(TypeDecorator):
    impl = JSONB
    cache_ok = True
