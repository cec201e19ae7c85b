"""Whether a revision's ``downgrade()`` really reverses its ``upgrade()``, and if not, why.

This is the one reversibility policy: the guarded upgrade refuses a revision this module
judges not reversible, the ``missing-downgrade`` rule reports it, and the impact page
shows the verdict.  The policy, by what the upgrade changes:

- **the schema** (tables, columns, indexes, constraints, types, functions, triggers...):
  a real downgrade is required.  A missing, empty (``pass``, a docstring, comments) or
  ``NotImplementedError`` downgrade is refused unless the module declares
  ``irreversible = "<reason>"``.  A comment is not enough here: what the upgrade built
  stays behind after a rollback and the next upgrade fails on it;
- **nothing that can be undone**: ``VALIDATE CONSTRAINT``, ``ANALYZE``, ``VACUUM``,
  ``SET``/``RESET``, ``REINDEX`` (concurrently or not), ``CLUSTER``, ``REFRESH
  MATERIALIZED VIEW``, ``LOCK``, ``CHECKPOINT``, or no statement at all (a merge point):
  an empty downgrade is right;
- **data only** (``INSERT``, ``UPDATE``, ``DELETE``, ``SELECT``, ``COPY``, ``TRUNCATE``,
  ``bulk_insert``, and none of the above schema changes): an empty downgrade is accepted
  when it says why, in a comment or a docstring beside it (``pass  # the old values are not
  kept``), or when the module declares ``irreversible = "<reason>"``; without a reason it
  is refused like a schema change.  The reason is shown as the revision's declared
  irreversibility.  An upgrade that reads the database counts as a data change at least
  (what its answers fed is not seen offline); if capture stopped early, what the rest
  changes is unknown and a downgrade is required.

A downgrade that only raises an exception with a message (``raise RuntimeError("Cannot
undelete data!")``, not ``NotImplementedError``) is a declared refusal: the message is its
reason, whatever the upgrade changes.
"""

from __future__ import annotations

import ast
import inspect
import io
import re
import textwrap
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from types import ModuleType
from typing import Any

from alembic.script import Script
from pglast import ast as pg_ast
from pglast import enums

from alembic_safe.capture.header import irreversible_reason
from alembic_safe.capture.plan import Plan
from alembic_safe.capture.sqlparse import Statement


class Change(str, Enum):
    """What an upgrade changes, for the reversibility policy (weakest first)."""

    NOTHING = "nothing to undo"
    DATA = "data only"
    SCHEMA = "schema"


_NOTHING_NODES = (
    pg_ast.VariableSetStmt,
    pg_ast.VacuumStmt,
    pg_ast.ReindexStmt,
    pg_ast.ClusterStmt,
    pg_ast.CheckPointStmt,
    pg_ast.TransactionStmt,
    pg_ast.RefreshMatViewStmt,
    pg_ast.LockStmt,
    pg_ast.ExplainStmt,
    pg_ast.NotifyStmt,
    pg_ast.DiscardStmt,
)
_DATA_NODES = (
    pg_ast.InsertStmt,
    pg_ast.UpdateStmt,
    pg_ast.DeleteStmt,
    pg_ast.SelectStmt,
    pg_ast.CopyStmt,
    pg_ast.TruncateStmt,
)


def statement_change(statement: Statement) -> Change:
    """What one statement changes: nothing to undo, data only, or the schema."""
    node = statement.node
    if isinstance(node, _NOTHING_NODES):
        return Change.NOTHING
    if isinstance(node, pg_ast.AlterTableStmt) and all(
        cmd.subtype == enums.AlterTableType.AT_ValidateConstraint for cmd in node.cmds or ()
    ):
        return Change.NOTHING
    if isinstance(node, _DATA_NODES):
        return Change.DATA
    return Change.SCHEMA


def plan_change(plan: Plan) -> Change:
    """The strongest change of a plan's statements.

    A capture that stopped counts as a schema change (the rest is unknown); one that went
    past database reads counts as at least a data change (what the answers fed is unseen).
    """
    if plan.stopped or plan.not_implemented:
        return Change.SCHEMA
    order = list(Change)
    found = Change.DATA if plan.reads else Change.NOTHING  # what the reads fed is not known
    for step in plan.steps:
        for statement in step.statements:
            change = statement_change(statement)
            if order.index(change) > order.index(found):
                found = change
    return found


def _function_source(module: ModuleType, name: str) -> str | None:
    function = getattr(module, name, None)
    if function is None:
        return None
    try:
        return textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return None


def _function_body(source: str | None) -> list[ast.stmt] | None:
    if source is None:
        return None
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    node = tree.body[0] if tree.body else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    return node.body


_NOT_A_REASON = re.compile(
    r"^(#+\s*)*(###.*alembic.*###|alembic-safe:|noqa|type:|pragma|fmt:|pylint:)",
    re.IGNORECASE,
)


def _comments(source: str | None) -> list[str]:
    """Comments in a function's body (not on its ``def`` line), without Alembic's markers
    and tool pragmas."""
    if source is None:
        return []
    found = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    header_done = body_started = False
    for token in tokens:
        if not header_done:
            header_done = token.type == tokenize.OP and token.string == ":"  # ``def f() -> None:``
            continue
        if not body_started:  # a comment on the ``def`` line itself is not in the body
            body_started = token.type == tokenize.NEWLINE
            continue
        if token.type != tokenize.COMMENT:
            continue
        text = token.string.lstrip("#").strip()
        if text and not _NOT_A_REASON.match(token.string.strip()) and text.strip("#").strip():
            found.append(text)
    return found


def _is_placeholder(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass):
        return True
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _docstring(body: Iterable[ast.stmt]) -> str:
    for statement in body:
        if (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
            and statement.value.value.strip()
        ):
            return " ".join(statement.value.value.split())
    return ""


def _raised(statement: ast.stmt) -> tuple[str, Any] | None:
    """(exception name, first argument) of ``raise X(...)`` / ``raise X``."""
    if not isinstance(statement, ast.Raise) or statement.exc is None:
        return None
    exc = statement.exc
    argument: Any = None
    if isinstance(exc, ast.Call):
        first = exc.args[0] if exc.args else None
        if isinstance(first, ast.Constant):
            argument = first.value
        elif isinstance(first, ast.JoinedStr):  # f"Cannot downgrade past {revision!r}"
            argument = "".join(
                str(v.value) if isinstance(v, ast.Constant) else "{...}" for v in first.values
            )
        exc = exc.func
    name = (
        exc.id if isinstance(exc, ast.Name) else exc.attr if isinstance(exc, ast.Attribute) else ""
    )
    return name, argument


def _refusal(body: list[ast.stmt]) -> str | None:
    """The message of a downgrade that only raises (not NotImplementedError), or None."""
    real = [s for s in body if not _is_placeholder(s)]
    if len(real) != 1:
        return None
    raised = _raised(real[0])
    if raised is None or raised[0] == "NotImplementedError":
        return None
    message = raised[1]
    return " ".join(message.split()) if isinstance(message, str) and message.strip() else None


def downgrade_refusal(module: ModuleType) -> str | None:
    """The message of a ``downgrade()`` that only raises it (a declared refusal), or None."""
    body = _function_body(_function_source(module, "downgrade"))
    return _refusal(body) if body is not None else None


@dataclass(frozen=True)
class Reversibility:
    """Whether a revision's downgrade really reverses it, and if not, why."""

    ok: bool
    problem: str = ""
    declared_irreversible: str | None = None
    """Why the revision cannot be reversed, as it says: ``irreversible = "..."``, the
    message of a downgrade that only raises, or the comment beside the empty downgrade of a
    data-only upgrade."""
    change: Change = Change.SCHEMA
    """What the upgrade changes (what the policy asked of the downgrade)."""

    @property
    def data_only(self) -> bool:
        return self.change is Change.DATA


def reversibility(script: Script, upgrade: Plan, downgrade: Plan) -> Reversibility:
    """Judge ``downgrade()`` against what ``upgrade()`` changes (see the module docstring)."""
    module = script.module
    declared = irreversible_reason(module)
    raw = getattr(module, "irreversible", None)
    change = plan_change(upgrade)
    if declared:
        return Reversibility(ok=True, declared_irreversible=declared, change=change)
    if raw not in (None, False, ""):
        return Reversibility(
            ok=False,
            problem=f"declares irreversible = {raw!r}, which is not a reason",
            change=change,
        )
    if downgrade.missing:
        return Reversibility(ok=False, problem="has no downgrade() function", change=change)
    source = _function_source(module, "downgrade")
    body = _function_body(source)
    if body is not None:
        refusal = _refusal(body)
        if refusal:
            return Reversibility(ok=True, declared_irreversible=refusal, change=change)
    if downgrade.not_implemented or (
        body is not None
        and any(_is_not_implemented(s) for s in body)
        and all(_is_placeholder(s) or _is_not_implemented(s) for s in body)
    ):
        return Reversibility(
            ok=False, problem="has a downgrade() that raises NotImplementedError", change=change
        )
    empty_body = body is not None and all(_is_placeholder(s) for s in body)
    emits_nothing = downgrade.complete and not downgrade.steps
    if not (empty_body or emits_nothing):
        return Reversibility(ok=True, change=change)
    if change is Change.NOTHING:
        return Reversibility(ok=True, change=change)  # a merge point, VALIDATE, ANALYZE...
    if change is Change.DATA:
        reason = "; ".join(_comments(source)) or _docstring(body or [])
        if reason:
            return Reversibility(ok=True, declared_irreversible=reason, change=change)
    if empty_body:
        kind = (
            "only docstring" if body and not any(isinstance(s, ast.Pass) for s in body) else "pass"
        )
        problem = f"has an empty downgrade() ({kind})"
    else:
        problem = "has a downgrade() that emits no operations"
    if change is Change.DATA:
        problem += " and gives no reason for leaving its data change in place"
    return Reversibility(ok=False, problem=problem, change=change)


def _is_not_implemented(statement: ast.stmt) -> bool:
    raised = _raised(statement)
    return raised is not None and raised[0] == "NotImplementedError"
