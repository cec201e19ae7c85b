"""reporting branch

Revision ID: c016
Revises: None
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c016'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = ('reporting',)
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table("report_runs", sa.Column("id", sa.Integer()), sa.Column("ran_at", sa.DateTime()))
    op.create_table("legacy_exports", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("legacy_exports")
    op.drop_table("report_runs")
