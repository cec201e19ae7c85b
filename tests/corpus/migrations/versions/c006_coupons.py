"""coupons

Revision ID: c006
Revises: c005
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c006'
down_revision: Union[str, Sequence[str], None] = 'c005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table("coupons", sa.Column("id", sa.BigInteger(), primary_key=True), sa.Column("code", sa.Text()))
    op.add_column("orders", sa.Column("coupon_id", sa.BigInteger(), nullable=True))
    op.create_foreign_key("fk_orders_coupon", "orders", "coupons", ["coupon_id"], ["id"])


def downgrade() -> None:
    op.drop_constraint("fk_orders_coupon", "orders", type_="foreignkey")
    op.drop_column("orders", "coupon_id")
    op.drop_table("coupons")
