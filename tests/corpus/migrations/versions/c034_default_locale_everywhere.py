"""default locale everywhere

Revision ID: c034
Revises: c033
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c034'
down_revision: Union[str, Sequence[str], None] = 'c033'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None
irreversible = "previous locales are not kept"

def upgrade() -> None:
    op.execute("UPDATE users SET locale = 'en'")


def downgrade() -> None:
    pass
