"""audit trigger

Revision ID: c020
Revises: c019
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from migrations import corpus_ops  # noqa: F401  (registers op.create_audit_trigger)

# revision identifiers, used by Alembic.
revision: str = 'c020'
down_revision: Union[str, Sequence[str], None] = 'c019'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$")
    op.create_audit_trigger("orders")


def downgrade() -> None:
    op.drop_audit_trigger("orders")
    op.execute("DROP FUNCTION audit_row()")
