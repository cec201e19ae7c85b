"""shop fk not valid

Revision ID: c007
Revises: c006
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c007'
down_revision: Union[str, Sequence[str], None] = 'c006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("shop_id", sa.BigInteger(), nullable=True))
    op.execute("ALTER TABLE orders ADD CONSTRAINT fk_orders_shop FOREIGN KEY (shop_id) REFERENCES users (id) NOT VALID")
    with op.get_context().autocommit_block():
        op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_shop")


def downgrade() -> None:
    op.drop_constraint("fk_orders_shop", "orders", type_="foreignkey")
    op.drop_column("orders", "shop_id")
