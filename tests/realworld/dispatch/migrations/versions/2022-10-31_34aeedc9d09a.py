"""Merge revision

Revision ID: 34aeedc9d09a
Revises: 4b65941d065a, 01aa49ca0470, 3a5e776ddce4
Create Date: 2022-10-31 09:41:11.971654

"""

# revision identifiers, used by Alembic.
revision = "34aeedc9d09a"
down_revision = ("4b65941d065a", "01aa49ca0470", "3a5e776ddce4")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
