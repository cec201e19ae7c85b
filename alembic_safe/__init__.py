"""alembic-safe: safe PostgreSQL schema migrations for Alembic.

Importing this package registers its Alembic operations (``op.require_table`` ...).
In ``env.py``, one call runs the guarded migration::

    import alembic_safe
    alembic_safe.run_migrations(context, target_metadata)
"""

from __future__ import annotations

from typing import Any

from alembic_safe import hooks as _hooks  # noqa: F401  (registers the post-write hook)
from alembic_safe import operations as _operations  # noqa: F401  (registers the ops)
from alembic_safe.version import __version__

__all__ = ["__version__", "run_migrations"]


def run_migrations(*args: Any, **kwargs: Any) -> None:
    """Run the current Alembic command through the guard; see :func:`alembic_safe.guard.run_migrations`."""
    from alembic_safe.guard import run_migrations as _run

    _run(*args, **kwargs)
