"""Which steps of a plan destroy data or objects: the one definition.

The guarded upgrade asks for confirmation of exactly these steps, the destructive rules
report them (:mod:`alembic_safe.rules.destructive`, ``narrow-column-type``), the impact
page lists them under Risks, and ``backup = destructive`` backs up before them.

A step is destructive when one of its statements is (``Statement.destructive``, read by
:mod:`alembic_safe.capture.sqlparse`: dropped tables, columns, sequences and schemas,
``TRUNCATE``, ``DELETE`` and ``UPDATE`` without ``WHERE``, ``DROP ... CASCADE``) or when it
narrows a column type (:func:`alembic_safe.capture.types.classify`), judged from the
revision's ``existing_type=`` or, when a live catalog is at hand, from the column's
current type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alembic_safe.capture import types as _types
from alembic_safe.capture.plan import Plan, Step, TypeChange

ColumnType = Callable[[str, str], "str | None"]
"""(table, column) -> the column's current type in the live catalog, or None."""


@dataclass(frozen=True)
class Destruction:
    """A destructive step of a plan, and why."""

    step: Step | None
    """None for what the revision declares rather than does (an irreversible downgrade)."""
    reason: str

    @property
    def lineno(self) -> int | None:
        return self.step.lineno if self.step is not None else None

    def describe(self) -> str:
        """``line 12 drop_column: drops column "users"."phone" and the data in it``."""
        if self.step is None:
            return self.reason
        return f"line {self.step.lineno or '?'} {self.step.name}: {self.reason}"


def narrowing(change: TypeChange, column_type: ColumnType | None = None) -> str | None:
    """Why the type change cuts values, or None; the live type stands in for a missing old type."""
    if change.kind is _types.TypeChange.NARROWING:
        return f'narrows "{change.table}"."{change.column}": {change.reason}'
    if change.old_type is None and column_type is not None:
        old = column_type(change.table, change.column)
        if old is not None:
            kind, reason = _types.classify(old, change.new_type)
            if kind is _types.TypeChange.NARROWING:
                return f'narrows "{change.table}"."{change.column}": {reason}'
    return None


def step_reasons(step: Step, column_type: ColumnType | None = None) -> list[str]:
    """Every reason ``step`` destroys something, in statement order, without repeats."""
    reasons = [s.destructive for s in step.statements if s.destructive]
    for change in step.type_changes:
        reason = narrowing(change, column_type)
        if reason:
            reasons.append(reason)
    return list(dict.fromkeys(reasons))


def destructions(
    plan: Plan, column_type: ColumnType | None = None, *, irreversible: str | None = None
) -> list[Destruction]:
    """The destructive steps of ``plan``.

    :param column_type: live column types, for type changes that do not state the old type.
    :param irreversible: the revision's ``irreversible`` reason: downgrading such a revision
     loses what the upgrade made, so it is confirmed like a destructive step.
    """
    found: list[Destruction] = []
    if irreversible and plan.direction == "downgrade":
        found.append(Destruction(None, f"declares itself irreversible: {irreversible}"))
    for step in plan.steps:
        reasons = step_reasons(step, column_type)
        if reasons:
            found.append(Destruction(step, "; ".join(reasons)))
    return found
