"""user api token

Revision ID: c022
Revises: c021
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c022'
down_revision: Union[str, Sequence[str], None] = 'c021'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("users", sa.Column("api_token", sa.Uuid(), server_default=sa.text("gen_random_uuid()")))


def downgrade() -> None:
    op.drop_column("users", "api_token")
