"""Alembic operations added by alembic-safe; importing this package registers them.

* :mod:`~alembic_safe.operations.preconditions`: ``op.require_table``, ``op.require_column``...
* :mod:`~alembic_safe.operations.ops`: the safe operations (``op.create_index_concurrently``,
  ``op.add_foreign_key_not_valid``, ``op.validate_constraint``, ``op.add_not_null``,
  ``op.add_unique_constraint_concurrently``, ``op.backfill``...), implemented in
  :mod:`~alembic_safe.operations.toimpl`;
* :mod:`~alembic_safe.operations.render`: how autogenerate writes all of them.
"""

from alembic_safe.operations import ops as ops
from alembic_safe.operations import preconditions as preconditions
from alembic_safe.operations import render as render
from alembic_safe.operations import toimpl as toimpl
from alembic_safe.operations._session import cleaned_up as cleaned_up

__all__ = ["cleaned_up", "ops", "preconditions", "render", "toimpl"]
