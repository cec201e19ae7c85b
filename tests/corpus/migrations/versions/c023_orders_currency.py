"""orders currency

Revision ID: c023
Revises: c022
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c023'
down_revision: Union[str, Sequence[str], None] = 'c022'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("currency", sa.String(3), nullable=False))


def downgrade() -> None:
    op.drop_column("orders", "currency")
