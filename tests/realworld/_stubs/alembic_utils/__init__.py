"""Stand-in for alembic_utils: replaceable entities (functions, triggers, grants) and the
``op.create_entity`` / ``op.drop_entity`` / ``op.replace_entity`` operations.

Each operation emits the DDL the real library emits offline: ``CREATE FUNCTION``,
``CREATE OR REPLACE FUNCTION``, ``DROP FUNCTION``, ``CREATE TRIGGER``... through
``op.execute``, so the statements are recorded like any raw SQL.
"""

from alembic_utils import replaceable_entity as _ops  # registers the operations

__all__ = ["_ops"]
