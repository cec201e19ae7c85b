from indico.core.db.sqlalchemy.custom import PyIntEnum, UTCDateTime

__all__ = ["PyIntEnum", "UTCDateTime"]
