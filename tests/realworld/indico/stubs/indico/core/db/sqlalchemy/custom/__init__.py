from indico.core.db.sqlalchemy.custom.int_enum import PyIntEnum
from indico.core.db.sqlalchemy.custom.utcdatetime import UTCDateTime

__all__ = ["PyIntEnum", "UTCDateTime"]
