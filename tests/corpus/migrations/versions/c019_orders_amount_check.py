"""orders amount check

Revision ID: c019
Revises: c018
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c019'
down_revision: Union[str, Sequence[str], None] = 'c018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_check_constraint("ck_orders_amount_positive", "orders", "amount >= 0")


def downgrade() -> None:
    op.drop_constraint("ck_orders_amount_positive", "orders", type_="check")
