"""rename coupons

Revision ID: c029
Revises: c028
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c029'
down_revision: Union[str, Sequence[str], None] = 'c028'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.rename_table("coupons", "vouchers")


def downgrade() -> None:
    op.rename_table("vouchers", "coupons")
