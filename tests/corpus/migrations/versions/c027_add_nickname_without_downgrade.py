"""add nickname without downgrade

Revision ID: c027
Revises: c026
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c027'
down_revision: Union[str, Sequence[str], None] = 'c026'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("users", sa.Column("nickname", sa.Text(), nullable=True))


def downgrade() -> None:
    pass
