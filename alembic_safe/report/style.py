"""Colour for the text output: on a terminal only, never with ``NO_COLOR`` or in a pipe.

The decision follows the conventions other command-line tools share: ``NO_COLOR`` (any
non-empty value) turns colour off, ``FORCE_COLOR`` (any non-empty value) turns it on, and
otherwise the stream must be a terminal whose ``TERM`` is not ``dumb``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import IO

_CODES = {
    "error": "1;31",
    "warning": "1;33",
    "info": "1;36",
    "rule": "1",
    "path": "1",
    "dim": "2",
    "fix": "32",
}


def wants_colour(stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """Whether text written to ``stream`` should be coloured."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Style:
    """Wraps text in ANSI colour codes when enabled; the identity otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, role: str) -> str:
        if not self.enabled or not text:
            return text
        return f"\x1b[{_CODES[role]}m{text}\x1b[0m"
