"""Stand-ins for the parts of ``redash`` that its migrations import.

``db`` is a Flask-SQLAlchemy object whose session runs on the migration's
connection; the configuration column types compile to ``text``; settings are the
defaults a fresh install has; the Redis client refuses every call.
"""

from typing import Any

from redash import settings


class _NoRedis:
    def __getattr__(self, name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            raise ConnectionError(f"Redis ({name}) is not reachable from a migration check")

        return call


redis_connection = _NoRedis()

__all__ = ["redis_connection", "settings"]
