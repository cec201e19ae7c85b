"""locale backfill

Revision ID: c014
Revises: c013
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c014'
down_revision: Union[str, Sequence[str], None] = 'c013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("users", sa.Column("locale", sa.Text(), nullable=True))
    op.execute("UPDATE users SET locale = 'en' WHERE locale IS NULL")


def downgrade() -> None:
    op.drop_column("users", "locale")
