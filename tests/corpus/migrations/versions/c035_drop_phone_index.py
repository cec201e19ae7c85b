"""drop phone index

Revision ID: c035
Revises: c034
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c035'
down_revision: Union[str, Sequence[str], None] = 'c034'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.drop_index("ix_users_phone", table_name="users")


def downgrade() -> None:
    op.create_index("ix_users_phone", "users", ["phone_number"])
