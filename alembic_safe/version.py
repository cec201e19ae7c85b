"""The version of alembic-safe (one place: the package, labels and reports read it)."""

__version__ = "0.1.0"
