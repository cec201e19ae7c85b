"""Facts about a revision module: its docstring header, its reversibility, its checks.

The template's docstring header carries ``Purpose:``, ``Ticket:``, ``Author:``,
``Impact:``, ``Risks:`` and ``Post-migration tasks:``; plain Alembic revisions have only a
message, which becomes the purpose.  A revision is reversible when its ``downgrade()``
does something; one that cannot be reversed says so with ``irreversible = "<reason>"``.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from dataclasses import dataclass, field
from types import ModuleType

from alembic.script import Script

from alembic_safe.capture.plan import Plan

HEADER_FIELDS = ("purpose", "ticket", "author", "impact", "risks", "post-migration tasks")
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


def _function_body(module: ModuleType, name: str) -> list[ast.stmt] | None:
    function = getattr(module, name, None)
    if function is None:
        return None
    try:
        source = textwrap.dedent(inspect.getsource(function))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return None
    node = tree.body[0] if tree.body else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    return node.body


def _is_placeholder(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass):
        return True
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _raises_not_implemented(statement: ast.stmt) -> bool:
    if not isinstance(statement, ast.Raise) or statement.exc is None:
        return False
    exc = statement.exc
    if isinstance(exc, ast.Call):
        exc = exc.func
    return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"


@dataclass(frozen=True)
class Reversibility:
    """Whether a revision's downgrade really reverses it, and if not, why."""

    ok: bool
    problem: str = ""
    declared_irreversible: str | None = None


def reversibility(script: Script, upgrade: Plan, downgrade: Plan) -> Reversibility:
    """Judge ``downgrade()``: missing, empty, ``pass``, docstring-only or NotImplementedError."""
    module = script.module
    declared = irreversible_reason(module)
    raw = getattr(module, "irreversible", None)
    if declared:
        return Reversibility(ok=True, declared_irreversible=declared)
    if raw not in (None, False, ""):
        return Reversibility(
            ok=False,
            problem=f"declares irreversible = {raw!r}, which is not a reason",
        )
    if downgrade.missing:
        return Reversibility(ok=False, problem="has no downgrade() function")
    body = _function_body(module, "downgrade")
    if downgrade.not_implemented or (
        body is not None
        and any(_raises_not_implemented(s) for s in body)
        and all(_is_placeholder(s) or _raises_not_implemented(s) for s in body)
    ):
        return Reversibility(ok=False, problem="has a downgrade() that raises NotImplementedError")
    upgrade_does_something = bool(upgrade.steps) or not upgrade.complete
    if body is not None and all(_is_placeholder(s) for s in body):
        if not upgrade_does_something:
            return Reversibility(ok=True)  # an empty upgrade (merge point) reverses trivially
        kind = (
            "only docstring" if body and not any(isinstance(s, ast.Pass) for s in body) else "pass"
        )
        return Reversibility(ok=False, problem=f"has an empty downgrade() ({kind})")
    if downgrade.complete and not downgrade.steps and upgrade.steps and upgrade.complete:
        return Reversibility(ok=False, problem="has a downgrade() that emits no operations")
    return Reversibility(ok=True)
