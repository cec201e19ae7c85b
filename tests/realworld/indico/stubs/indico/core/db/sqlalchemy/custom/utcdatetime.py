from sqlalchemy import types


class UTCDateTime(types.TypeDecorator):
    """A naive ``timestamp`` column that always holds UTC."""

    impl = types.DateTime
    cache_ok = True
