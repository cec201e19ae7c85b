"""phone not null the safe way

Revision ID: c033
Revises: c032
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c033'
down_revision: Union[str, Sequence[str], None] = 'c032'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("ALTER TABLE users ADD CONSTRAINT users_phone_nn CHECK (phone_number IS NOT NULL) NOT VALID")
    with op.get_context().autocommit_block():
        op.execute("ALTER TABLE users VALIDATE CONSTRAINT users_phone_nn")
    op.alter_column("users", "phone_number", existing_type=sa.String(30), nullable=False)
    op.drop_constraint("users_phone_nn", "users", type_="check")


def downgrade() -> None:
    op.alter_column("users", "phone_number", existing_type=sa.String(30), nullable=True)
