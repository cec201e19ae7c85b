"""shorten user name

Revision ID: c011
Revises: c010
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c011'
down_revision: Union[str, Sequence[str], None] = 'c010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.alter_column("users", "name", type_=sa.String(50), existing_type=sa.String(100))


def downgrade() -> None:
    op.alter_column("users", "name", type_=sa.String(100), existing_type=sa.String(50))
