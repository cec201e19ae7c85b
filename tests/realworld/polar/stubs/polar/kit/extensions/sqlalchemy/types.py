"""Enum columns stored as their values: ``varchar`` for string enums, ``integer`` for int enums."""

from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


class _EnumValue(TypeDecorator):
    cache_ok = True

    def __init__(self, enum_klass: type[Enum], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.enum_klass = enum_klass

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return value.value if isinstance(value, self.enum_klass) else value


class StringEnum(_EnumValue):
    impl = sa.Unicode


class IntEnum(_EnumValue):
    impl = sa.Integer


class StrEnumType(_EnumValue):
    impl = sa.String
