import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects.postgresql import UUID


class Model(orm.DeclarativeBase):
    __abstract__ = True


class RecordModel(Model):
    __abstract__ = True
    id: orm.Mapped[object] = orm.mapped_column(UUID(as_uuid=True), primary_key=True)
    created_at: orm.Mapped[object] = orm.mapped_column(sa.TIMESTAMP(timezone=True))
