"""Whether a revision's ``downgrade()`` really reverses its ``upgrade()``, and if not, why.

A downgrade that is missing, empty (``pass``, a docstring only), or raises
``NotImplementedError`` does not reverse anything; a revision that cannot be reversed says
so with ``irreversible = "<reason>"``.  An empty upgrade (a merge point) reverses trivially.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass
from types import ModuleType

from alembic.script import Script

from alembic_safe.capture.header import irreversible_reason
from alembic_safe.capture.plan import Plan


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
