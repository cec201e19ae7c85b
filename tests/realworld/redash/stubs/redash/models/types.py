from sqlalchemy.ext.mutable import Mutable
from sqlalchemy.types import Text, TypeDecorator
from sqlalchemy_utils import EncryptedType


class Configuration(TypeDecorator):
    impl = Text
    cache_ok = True


class EncryptedConfiguration(EncryptedType):
    cache_ok = True


class MutableDict(Mutable, dict):
    @classmethod
    def coerce(cls, key, value):
        return value if isinstance(value, MutableDict) else MutableDict(value)


class MutableList(Mutable, list):
    @classmethod
    def coerce(cls, key, value):
        return value if isinstance(value, MutableList) else MutableList(value)
