"""add phone to users

Revision ID: c003
Revises: c002
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c003'
down_revision: Union[str, Sequence[str], None] = 'c002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("users", sa.Column("phone", sa.String(30), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "phone")
