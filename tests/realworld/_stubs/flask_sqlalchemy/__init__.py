"""Stand-in for Flask-SQLAlchemy: ``db.session`` runs on the migration's connection.

As in Flask-SQLAlchemy, ``db.session`` is a scoped session (``db.session()`` returns
the session); it finds its connection when it first runs a statement, through
``op.get_bind()``.  ``db.String``, ``db.Column``... are SQLAlchemy's own names and
``db.Model`` is a declarative base.
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm


class _MigrationSession(orm.Session):
    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        from alembic import op

        return op.get_bind()


class SQLAlchemy:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.Model = orm.declarative_base()
        self.session = orm.scoped_session(orm.sessionmaker(class_=_MigrationSession))

    def __getattr__(self, name: str) -> Any:
        for source in (sa, orm):
            if hasattr(source, name):
                return getattr(source, name)
        raise AttributeError(name)
