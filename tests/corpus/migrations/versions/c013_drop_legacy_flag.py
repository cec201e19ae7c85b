"""drop legacy flag

Revision ID: c013
Revises: c012
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c013'
down_revision: Union[str, Sequence[str], None] = 'c012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.drop_column("users", "legacy")  # alembic-safe: ignore[drop-column] unmapped since release 41


def downgrade() -> None:
    op.add_column("users", sa.Column("legacy", sa.Boolean()))
