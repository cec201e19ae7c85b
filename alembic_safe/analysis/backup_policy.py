"""Whether the guarded upgrade backs up before pending revisions, in what scope, and why.

One function decides for the guard's backup step and for the impact page's checklist:

- ``-x backup=skip`` skips this run's backup (the history records it);
- ``backup = never`` never backs up;
- ``backup = destructive`` backs up only before a revision that destroys data or whose
  plan is incomplete (a data migration that reads rows: what it does is not known offline);
- ``backup = always`` backs up before every run that applies a revision.

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
    destructive = [p for p in pending if p.destructive]
    incomplete = [p for p in pending if not p.complete]
    if settings.backup == "destructive" and not destructive and not incomplete:
        return BackupDecision(
            False,
            settings.backup_scope,
            "no backup (backup = destructive, and no pending step destroys data)",
            "none (backup = destructive; nothing destructive)",
        )
    scope = settings.backup_scope
    if settings.backup == "always":
        why = "backup = always"
    elif destructive:
        why = f"backup = destructive, and {destructive[0].revision} destroys data"
    else:
        why = (
            f"backup = destructive, and the plan of {incomplete[0].revision} is incomplete "
            f"({incomplete[0].status}), so what it changes is not known"
        )
    notes: tuple[str, ...] = ()
    if scope == "tables" and incomplete:
        scope = "full"
        notes = (
            f"backup_scope = tables, but the plan of {incomplete[0].revision} is incomplete "
            f"({incomplete[0].status}); backing up the full database",
        )
    return BackupDecision(True, scope, why, notes=notes)
