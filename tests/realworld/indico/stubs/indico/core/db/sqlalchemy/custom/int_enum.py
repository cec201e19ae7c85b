from typing import Any

from sqlalchemy import CheckConstraint, SmallInteger, event, type_coerce
from sqlalchemy.sql.sqltypes import SchemaType
from sqlalchemy.types import TypeDecorator


class PyIntEnum(TypeDecorator, SchemaType):
    """A ``smallint`` holding an int enum's value, checked by ``valid_enum_<column>``."""

    impl = SmallInteger
    cache_ok = True

    def __init__(self, enum: Any = None, exclude_values: Any = None) -> None:
        self.enum = enum
        self.exclude_values = frozenset(exclude_values or ())
        TypeDecorator.__init__(self)
        SchemaType.__init__(self)

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return None if value is None else int(self.enum(value))

    def allowed_values(self) -> list[int]:
        return [int(member) for member in self.enum if member not in self.exclude_values]


@event.listens_for(PyIntEnum, "before_parent_attach")
def _attach_check(type_: PyIntEnum, column: Any) -> None:
    @event.listens_for(column, "after_parent_attach")
    def _add_to_table(column: Any, table: Any) -> None:
        check = CheckConstraint(
            type_coerce(column, SmallInteger).in_(type_.allowed_values()),
            f"valid_enum_{column.name}",
        )
        table.append_constraint(check)
