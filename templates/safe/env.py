"""Alembic environment: every run goes through alembic-safe's guard."""

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

# Online: deploy lock, timeouts with retries, plan + refusals, preconditions, upgrade,
# verify, history.  Offline (--sql): the reviewed SQL script with its validation blocks.
# Keyword arguments are passed on to context.configure().
alembic_safe.run_migrations(context, target_metadata)
