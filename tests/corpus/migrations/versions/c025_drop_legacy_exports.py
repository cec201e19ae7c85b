"""drop legacy exports

Revision ID: c025
Revises: c024
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c025'
down_revision: Union[str, Sequence[str], None] = 'c024'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None
irreversible = "legacy_exports was archived to S3 (ticket OPS-12)"

def upgrade() -> None:
    op.drop_table("legacy_exports")


def downgrade() -> None:
    pass
