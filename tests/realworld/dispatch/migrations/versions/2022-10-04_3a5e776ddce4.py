"""Merge revision

Revision ID: 3a5e776ddce4
Revises: cfde1bca6a6e, c1abb0cc40e5
Create Date: 2022-10-04 08:54:16.613236

"""

# revision identifiers, used by Alembic.
revision = "3a5e776ddce4"
down_revision = ("c1abb0cc40e5", "cfde1bca6a6e")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
