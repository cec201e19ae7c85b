"""maintenance

Revision ID: c032
Revises: c031
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c032'
down_revision: Union[str, Sequence[str], None] = 'c031'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None
irreversible = "maintenance only, nothing to undo"

def upgrade() -> None:
    op.execute("LOCK TABLE orders IN SHARE MODE")
    with op.get_context().autocommit_block():
        op.execute("VACUUM FULL report_runs")


def downgrade() -> None:
    pass
