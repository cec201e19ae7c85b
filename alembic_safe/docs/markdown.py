"""Markdown helpers: text from a revision made safe for a page."""

from __future__ import annotations


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
    return text(" ".join(str(value).split())).replace("|", "\\|")


def inline(value: str) -> str:
    """One line of plan text."""
    return text(" ".join(value.split()))


def checkbox(done: bool, text: str) -> str:
    return f"- [{'x' if done else ' '}] {text}"
