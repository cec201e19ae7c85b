"""rename phone

Revision ID: c012
Revises: c011
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c012'
down_revision: Union[str, Sequence[str], None] = 'c011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.alter_column("users", "phone", new_column_name="phone_number")


def downgrade() -> None:
    op.alter_column("users", "phone_number", new_column_name="phone")
