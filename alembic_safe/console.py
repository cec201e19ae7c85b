"""What alembic-safe says while Alembic runs: one line at a time through Alembic's own output."""

from __future__ import annotations

from alembic.util import msg


def say(text: str) -> None:
    """Print ``alembic-safe: <text>`` the way Alembic prints its own progress."""
    msg(f"alembic-safe: {text}")
