"""orders amount bigint

Revision ID: c010
Revises: c009
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c010'
down_revision: Union[str, Sequence[str], None] = 'c009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.alter_column("orders", "amount", type_=sa.BigInteger(), existing_type=sa.Integer())


def downgrade() -> None:
    op.alter_column("orders", "amount", type_=sa.Integer(), existing_type=sa.BigInteger())
