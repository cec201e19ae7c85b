"""raw sql batch

Revision ID: c030
Revises: c029
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c030'
down_revision: Union[str, Sequence[str], None] = 'c029'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("""
        CREATE INDEX ix_orders_amount ON orders (amount);
        ALTER TABLE orders ALTER COLUMN amount SET NOT NULL;
    """)


def downgrade() -> None:
    op.execute("ALTER TABLE orders ALTER COLUMN amount DROP NOT NULL; DROP INDEX ix_orders_amount")
