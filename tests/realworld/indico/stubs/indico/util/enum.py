from enum import IntEnum


class IndicoIntEnum(IntEnum):
    pass
