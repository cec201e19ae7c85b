from sqlalchemy.types import DateTime, TypeDecorator


class TZDateTime(TypeDecorator):
    """A naive ``timestamp`` column that always holds UTC."""

    impl = DateTime
    cache_ok = True
