"""The docstring header of a revision module, and what the module declares about itself.

The template's docstring header carries ``Purpose:``, ``Ticket:``, ``Author:``,
``Impact:``, ``Risks:`` and ``Post-migration tasks:``; plain Alembic revisions have only a
message, which becomes the purpose.  A revision that cannot be reversed says so with
``irreversible = "<reason>"`` (:func:`irreversible_reason`).
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from types import ModuleType

_FIELD_LINE = re.compile(
    r"^(Purpose|Ticket|Author|Impact|Risks|Post-migration tasks):\s*(.*)$", re.I
)
_ALEMBIC_LINES = re.compile(r"^(Revision ID|Revises|Create Date):", re.I)


@dataclass(frozen=True)
class Header:
    """The docstring header of a revision."""

    title: str
    fields: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    @property
    def tasks(self) -> list[str]:
        """Post-migration tasks, one per line (``- [ ]`` markers removed)."""
        lines = self.get("post-migration tasks").splitlines()
        cleaned = [re.sub(r"^[-*]\s*(\[[ xX]\]\s*)?", "", line).strip() for line in lines]
        return [line for line in cleaned if line]


def parse_header(docstring: str | None) -> Header:
    """Split a revision docstring into its title and ``Field: value`` entries."""
    text = inspect.cleandoc(docstring or "")
    lines = text.splitlines()
    title = lines[0].strip() if lines else ""
    fields: dict[str, str] = {}
    current: str | None = None
    for line in lines[1:]:
        if _ALEMBIC_LINES.match(line.strip()):
            current = None
            continue
        match = _FIELD_LINE.match(line.strip())
        if match:
            current = match.group(1).lower()
            fields[current] = match.group(2).strip()
        elif current is not None and line.strip():
            fields[current] = (fields[current] + "\n" + line.strip()).strip()
        elif not line.strip():
            current = None if current != "post-migration tasks" else current
    fields.setdefault("purpose", title)
    return Header(title=title, fields=fields)


def irreversible_reason(module: ModuleType) -> str | None:
    """The declared reason, or None; ``irreversible = True`` (no reason) is not accepted."""
    value = getattr(module, "irreversible", None)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
