from alembic_safe.cli import run

run()
