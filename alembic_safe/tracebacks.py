"""Where a user's revision failed, and the error in one line.

Revision files run inside Alembic and SQLAlchemy; what a user needs is the line of *their*
file (:func:`line_in`) and the database's own words without the driver's noise
(:func:`short`).
"""

from __future__ import annotations

import os
import traceback
from functools import lru_cache


@lru_cache(maxsize=512)
def real_path(path: str) -> str:
    return os.path.realpath(path)


def line_in(exc: BaseException, path: str) -> int | None:
    """The last line of ``path`` in the traceback of ``exc`` (None if it is not there)."""
    real = real_path(str(path))
    lineno = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if real_path(frame.filename) == real:
            lineno = frame.lineno
    return lineno


def short(exc: BaseException, lines: int = 2) -> str:
    """The error text in one line: the driver's message for database errors."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return " ".join(text.splitlines()[:lines]) or type(exc).__name__


def relpath(path: str) -> str:
    """``path`` relative to the working directory when it is below it, else unchanged."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel
