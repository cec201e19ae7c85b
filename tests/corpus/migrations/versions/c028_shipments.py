"""shipments

Revision ID: c028
Revises: c027
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c028'
down_revision: Union[str, Sequence[str], None] = 'c027'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "shipments",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("state", sa.Enum("packed", "sent", name="shipment_state")),
    )


def downgrade() -> None:
    op.drop_table("shipments")
