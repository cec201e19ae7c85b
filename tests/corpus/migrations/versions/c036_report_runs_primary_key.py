"""report runs primary key

Revision ID: c036
Revises: c035
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c036'
down_revision: Union[str, Sequence[str], None] = 'c035'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_primary_key("report_runs_pkey", "report_runs", ["id"])


def downgrade() -> None:
    op.drop_constraint("report_runs_pkey", "report_runs", type_="primary")
