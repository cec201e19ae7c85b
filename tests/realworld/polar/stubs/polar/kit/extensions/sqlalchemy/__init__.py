from polar.kit.extensions.sqlalchemy.types import IntEnum, StrEnumType, StringEnum

__all__ = ["IntEnum", "StrEnumType", "StringEnum"]
