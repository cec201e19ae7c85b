"""cluster orders

Revision ID: c038
Revises: c037
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c038'
down_revision: Union[str, Sequence[str], None] = 'c037'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None
irreversible = "maintenance only, nothing to undo"

def upgrade() -> None:
    op.execute("CLUSTER orders USING ix_orders_created_at")


def downgrade() -> None:
    pass
