"""split names data migration

Revision ID: c015
Revises: c014
Create Date: 2024-01-01 00:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c015'
down_revision: Union[str, Sequence[str], None] = 'c014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None
irreversible = "first names only; the full names stay in the pre-upgrade backup"

def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM users WHERE name LIKE '% %'")).fetchall()
    for user_id, name in rows:
        conn.execute(sa.text("UPDATE users SET name = :n WHERE id = :i"), {"n": name.split()[0], "i": user_id})


def downgrade() -> None:
    pass
