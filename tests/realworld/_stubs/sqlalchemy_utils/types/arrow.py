"""ArrowType: stores an Arrow datetime in a ``timestamp`` column."""

from sqlalchemy.types import DateTime, TypeDecorator


class ArrowType(TypeDecorator):
    impl = DateTime
    cache_ok = True

    def __init__(self, timezone=False, *args, **kwargs):
        super().__init__(*args, timezone=timezone, **kwargs)
