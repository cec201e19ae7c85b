"""Encrypted column types: the ciphertext is stored as text (``varchar``) or ``bytea``."""

from sqlalchemy.types import LargeBinary, String, TypeDecorator


class AesEngine:
    """Names the cipher; encryption itself never runs offline."""


class AesGcmEngine(AesEngine):
    pass


class FernetEngine(AesEngine):
    pass


class StringEncryptedType(TypeDecorator):
    impl = String
    cache_ok = True

    def __init__(self, type_in=None, key=None, engine=None, padding=None, **kwargs):
        super().__init__(**kwargs)
        self.underlying_type = type_in
        self.key = key
        self.engine = engine
        self.padding = padding


class EncryptedType(StringEncryptedType):
    impl = LargeBinary
    cache_ok = True
