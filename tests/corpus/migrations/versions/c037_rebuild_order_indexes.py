"""rebuild order indexes

Revision ID: c037
Revises: c036
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c037'
down_revision: Union[str, Sequence[str], None] = 'c036'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None
irreversible = "maintenance only, nothing to undo"

def upgrade() -> None:
    op.execute("REINDEX TABLE orders")


def downgrade() -> None:
    pass
