"""TSVectorType: a ``tsvector`` column (optionally naming the columns it indexes)."""

from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.types import TypeDecorator


class TSVectorType(TypeDecorator):
    impl = TSVECTOR
    cache_ok = True

    def __init__(self, *columns, **options):
        super().__init__()
        self.columns = columns
        self.options = options
