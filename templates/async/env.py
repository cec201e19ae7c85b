"""Alembic environment for an async driver: every run goes through alembic-safe's guard."""

from logging.config import fileConfig

from alembic import context

import alembic_safe

config = context.config

if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# add your model's MetaData object here for 'autogenerate' support:
# from myapp import models
# target_metadata = models.Base.metadata
target_metadata = None

# The URL is sqlalchemy.url, else DATABASE_URL, for example
#   DATABASE_URL=postgresql+asyncpg://app_owner@db.internal:5432/app
# An async URL is opened with create_async_engine(), and the guard runs inside
# AsyncConnection.run_sync().  To use your application's own engine instead:
#   from myapp.db import engine  # an AsyncEngine
#   alembic_safe.run_migrations(context, target_metadata, connectable=engine)
# Keyword arguments are passed on to context.configure().
alembic_safe.run_migrations(context, target_metadata)
