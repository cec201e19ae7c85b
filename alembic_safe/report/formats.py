"""``check --format NAME``: the renderer of each output format."""

from __future__ import annotations

from collections.abc import Callable

from alembic_safe import lint
from alembic_safe.lint import CheckResult
from alembic_safe.report.markdown import render_markdown
from alembic_safe.report.sarif import render_sarif

Renderer = Callable[[CheckResult], str]

FORMATS: dict[str, Renderer] = {
    "text": lint.render_text,
    "json": lint.render_json,
    "github": lint.render_github,
    "sarif": render_sarif,
    "markdown": render_markdown,
}
"""Every ``--format`` name and its renderer."""

SUMMARY_ON_STDERR = frozenset(FORMATS) - {"text", "markdown"}
"""Formats that machines read: the one-line summary goes to stderr, not into the output."""


def render(name: str, result: CheckResult, *, colour: bool = False) -> str:
    """The findings of ``result`` in format ``name`` (``colour`` applies to text only)."""
    if name == "text":
        return lint.render_text(result, colour=colour)
    return FORMATS[name](result)
