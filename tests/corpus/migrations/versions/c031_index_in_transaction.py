"""index in transaction

Revision ID: c031
Revises: c030
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c031'
down_revision: Union[str, Sequence[str], None] = 'c030'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_orders_shop_id", "orders", ["shop_id"], postgresql_concurrently=True)


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index("ix_orders_shop_id", table_name="orders", postgresql_concurrently=True)
