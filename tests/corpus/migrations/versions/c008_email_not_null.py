"""email not null

Revision ID: c008
Revises: c007
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c008'
down_revision: Union[str, Sequence[str], None] = 'c007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.alter_column("users", "email", existing_type=sa.String(100), nullable=False)


def downgrade() -> None:
    op.alter_column("users", "email", existing_type=sa.String(100), nullable=True)
