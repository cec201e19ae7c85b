"""Whether the guarded upgrade backs up before pending revisions, in what scope, and why.

One function decides for the guard's backup step and for the impact page's checklist:

- ``-x backup=skip`` skips this run's backup (the history records it);
- ``backup = never`` never backs up;
- ``backup = auto`` (the default) dumps in ``backup_scope`` before a run in which a revision
  puts rows at risk, and the schema alone otherwise (see :func:`at_risk`);
- ``backup = destructive`` backs up only when rows are at risk, and not at all otherwise;
- ``backup = always`` backs up in ``backup_scope`` before every run that applies a revision.

Rows are at risk when a pending revision destroys data (the steps the guard asks to
confirm: drops, ``TRUNCATE``, ``DELETE``/``UPDATE`` without ``WHERE``, narrowing types),
changes rows of existing tables (``UPDATE``/``DELETE`` with a ``WHERE``, ``op.backfill``:
the old values are gone once it commits), or has an incomplete plan (a data migration
that reads rows: what it does is not known offline).  Anything else (new tables, columns,
indexes, constraints, renames, widening types) leaves every row as it was, so a copy of the
rows would restore nothing that ``downgrade()`` does not; the schema-only dump still
records the structure the run started from, in a fraction of the time.

The scope is ``backup_scope``, except that ``tables`` becomes ``full`` when a plan is
incomplete, because then the touched tables are not known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from alembic_safe.config import Settings

SKIPPED_LABEL = "skipped (-x backup=skip)"


@dataclass(frozen=True)
class Pending:
    """What the policy needs to know about one pending revision."""

    revision: str
    destructive: bool
    complete: bool
    status: str = "complete"
    """The plan's status line, for the message when it is incomplete."""
    changes_rows: bool = False
    """An ``UPDATE`` or ``DELETE`` on an existing table (the old values are lost)."""


@dataclass(frozen=True)
class BackupDecision:
    due: bool
    scope: str
    """``full``, ``tables`` or ``schema`` (meaningful when due)."""
    reason: str
    """Why, in words for the console and the page."""
    label: str = ""
    """The history table's label when no backup is taken."""
    notes: tuple[str, ...] = ()
    """What the guard says besides (a scope widened because a plan is incomplete)."""


def at_risk(pending: Sequence[Pending]) -> str | None:
    """Why the rows of the database are at risk in a run of ``pending``, or None."""
    for p in pending:
        if p.destructive:
            return f"{p.revision} destroys data"
    for p in pending:
        if not p.complete:
            return (
                f"the plan of {p.revision} is incomplete ({p.status}), so what it changes "
                "is not known"
            )
    for p in pending:
        if p.changes_rows:
            return f"{p.revision} changes rows of existing tables"
    return None


def decide(settings: Settings, pending: Sequence[Pending]) -> BackupDecision:
    """The backup decision for a run that applies ``pending`` revisions."""
    if settings.skip_backup:
        return BackupDecision(
            False,
            settings.backup_scope,
            "warning: the backup is skipped (-x backup=skip); the history table records this "
            "run as not backed up",
            SKIPPED_LABEL,
        )
    if settings.backup == "never":
        return BackupDecision(
            False, settings.backup_scope, "no backup (backup = never)", "none (backup = never)"
        )
    risk = at_risk(pending)
    if settings.backup == "destructive" and risk is None:
        return BackupDecision(
            False,
            settings.backup_scope,
            "no backup (backup = destructive, and no pending step destroys or changes rows)",
            "none (backup = destructive; nothing destructive)",
        )
    if settings.backup == "auto" and risk is None:
        why = "backup = auto, and no pending step destroys or changes rows: the schema only"
        return BackupDecision(True, "schema", why, notes=(f"backup: {why}",))
    why = (
        "backup = always"
        if settings.backup == "always"
        else f"backup = {settings.backup}, and {risk}"
    )
    scope = settings.backup_scope
    notes: tuple[str, ...] = (f"backup ({scope}): {why}",)
    incomplete = [p for p in pending if not p.complete]
    if scope == "tables" and incomplete:
        scope = "full"
        notes += (
            f"backup_scope = tables, but the plan of {incomplete[0].revision} is incomplete "
            f"({incomplete[0].status}); backing up the full database",
        )
    return BackupDecision(True, scope, why, notes=notes)
