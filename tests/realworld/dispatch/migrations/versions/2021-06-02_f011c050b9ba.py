"""Initial tenant revision

Revision ID: f011c050b9ba
Revises:
Create Date: 2021-06-02 14:09:15.220737

"""

# revision identifiers, used by Alembic.
revision = "f011c050b9ba"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
