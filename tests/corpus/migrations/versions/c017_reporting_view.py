"""reporting view

Revision ID: c017
Revises: c016
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c017'
down_revision: Union[str, Sequence[str], None] = 'c016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = ('c002',)


def upgrade() -> None:
    op.execute("CREATE VIEW daily_orders AS SELECT date_trunc('day', created_at) AS day, count(*) FROM orders GROUP BY 1")


def downgrade() -> None:
    op.execute("DROP VIEW daily_orders")
