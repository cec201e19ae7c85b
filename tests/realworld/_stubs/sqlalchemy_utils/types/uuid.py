"""UUIDType: native ``uuid`` on PostgreSQL."""

from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.types import TypeDecorator


class UUIDType(TypeDecorator):
    impl = UUID
    cache_ok = True

    def __init__(self, binary=True, native=True):
        super().__init__(as_uuid=True)
