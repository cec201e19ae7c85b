"""JSONType: ``json`` on PostgreSQL."""

from sqlalchemy.dialects.postgresql import JSON
from sqlalchemy.types import TypeDecorator


class JSONType(TypeDecorator):
    impl = JSON
    cache_ok = True
