"""order status enum

Revision ID: c021
Revises: c020
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import alembic_postgresql_enum  # noqa: F401  (registers op.sync_enum_values)
from alembic_postgresql_enum import TableReference

# revision identifiers, used by Alembic.
revision: str = 'c021'
down_revision: Union[str, Sequence[str], None] = 'c020'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("CREATE TYPE order_status AS ENUM ('new', 'paid')")
    op.add_column("orders", sa.Column("status", sa.Enum("new", "paid", name="order_status", create_type=False), nullable=True))
    op.sync_enum_values(
        enum_schema="public",
        enum_name="order_status",
        new_values=["new", "paid", "shipped"],
        affected_columns=[TableReference(table_schema="public", table_name="orders", column_name="status")],
        enum_values_to_rename=[],
    )


def downgrade() -> None:
    op.drop_column("orders", "status")
    op.execute("DROP TYPE order_status")
