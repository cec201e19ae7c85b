"""Alembic operations added by alembic-safe; importing this package registers them."""

from alembic_safe.operations import preconditions as preconditions

__all__ = ["preconditions"]
