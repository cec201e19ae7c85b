"""One deployer at a time: a session-level advisory lock per version table.

A second ``alembic upgrade`` waits (up to ``deploy_lock_wait``, saying who holds the lock)
and then finds nothing left to do.  The lock is released at the end of the run, or with
the session if the deployer dies.
"""

from __future__ import annotations

import hashlib
import time

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.engine import Connection

from alembic_safe.console import say
from alembic_safe.errors import DeployLockTimeout
from alembic_safe.pg import catalog

POLL_SECONDS = 0.25


def deploy_lock_key(version_table: str, schema: str | None) -> int:
    """A stable signed 64-bit advisory-lock key per version table."""
    digest = hashlib.sha256(f"alembic-safe:{schema or ''}.{version_table}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def take(connection: Connection, key: int, wait: float) -> None:
    """Take the lock, waiting up to ``wait`` seconds; :class:`DeployLockTimeout` after that."""
    deadline = time.monotonic() + wait
    announced = False
    while True:
        got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
        holder = None if got else catalog.advisory_holder(connection, key)
        connection.commit()
        if got:
            if announced:
                say("migration lock acquired")
            return
        who = holder.describe() if holder else "another session"
        if not announced:
            say(f"waiting for the migration lock held by {who}")
            announced = True
        if time.monotonic() >= deadline:
            raise DeployLockTimeout(
                f"Another migration run holds the migration lock; waited {wait:.0f} s.",
                context=[("Held by", who)],
                hint="Nothing was applied. Let the other run finish, then run again "
                "(raise deploy_lock_wait to wait longer).",
            )
        time.sleep(POLL_SECONDS)


def release(connection: Connection, key: int) -> None:
    """Release the lock; a broken session has released it already."""
    try:
        connection.rollback()
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        connection.commit()
    except sa_exc.DBAPIError:
        pass  # the lock goes with the session anyway
