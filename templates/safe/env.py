"""Alembic environment: every run goes through alembic-safe's guard."""

from logging.config import fileConfig

from alembic import context

import alembic_safe
from alembic_safe import rewrite

config = context.config

if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# add your model's MetaData object here for 'autogenerate' support:
# from myapp import models
# target_metadata = models.Base.metadata
target_metadata = None

# Online: deploy lock, timeouts with retries, plan + refusals, preconditions, upgrade,
# verify, history.  Offline (--sql): the reviewed SQL script with its validation blocks.
# Keyword arguments are passed on to context.configure(); compare_check_constraints()
# makes autogenerate compare named CHECK constraints (without the ones SQLAlchemy
# generates for Enum and Boolean columns).  An include_object of your own goes to it:
# rewrite.compare_check_constraints(target_metadata, include_object=my_filter).
alembic_safe.run_migrations(context, target_metadata, **rewrite.compare_check_constraints(target_metadata))
