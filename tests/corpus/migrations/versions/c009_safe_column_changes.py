"""safe column changes

Revision ID: c009
Revises: c008
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c009'
down_revision: Union[str, Sequence[str], None] = 'c008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("users", sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()))
    op.alter_column("users", "email", type_=sa.String(200), existing_type=sa.String(100))


def downgrade() -> None:
    op.alter_column("users", "email", type_=sa.String(100), existing_type=sa.String(200))
    op.drop_column("users", "created_at")
