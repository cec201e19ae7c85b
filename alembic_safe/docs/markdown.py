"""Markdown helpers: text from a revision made safe for a page."""

from __future__ import annotations

import re

_DOTTED = re.compile(r'"([a-z_][a-z0-9_$]*)\.([a-z_][a-z0-9_$]*)"')
"""A schema-qualified name quoted as one identifier: ``"sales.users"``."""


def qualified(value: str) -> str:
    """Generated text with ``"sales.users"."phone"`` written as ``"sales"."users"."phone"``.

    Plans and checks name a table with its schema (``sales.users``) and quote the whole;
    on a page each part is quoted, as PostgreSQL writes a qualified name.  Only names made
    of lower-case letters, digits and ``_`` are split (a quoted name that really holds a
    dot stays as it is only when it has other characters too).
    """
    return _DOTTED.sub(r'"\1"."\2"', value)


def code(value: object) -> str:
    """``value`` as an inline code span (backticks inside are handled)."""
    text = " ".join(str(value).split())
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def text(value: object) -> str:
    """Free text from a revision (title, purpose...), shown as the words it is.

    ``<`` cannot open an HTML tag (or an autolink such as ``<javascript:...>``), and
    ``[`` / ``]`` cannot make a link or an image (``[x](javascript:...)``,
    ``![x](https://tracker.example/pixel)``, ``[x][ref]``); backslashes are escaped first
    so that none of these escapes can be undone.
    """
    escaped = str(value).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return escaped.replace("<", "&lt;")


def cell(value: object) -> str:
    """Text safe inside a table cell."""
    return qualified(text(" ".join(str(value).split()))).replace("|", "\\|")


def inline(value: str) -> str:
    """One line of plan text."""
    return qualified(text(" ".join(value.split())))


def checkbox(done: bool, text: str) -> str:
    return f"- [{'x' if done else ' '}] {text}"
