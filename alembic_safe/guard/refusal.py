"""Refusals before anything runs: revisions without a real downgrade, unconfirmed destruction.

The guard plans every pending revision first and refuses the whole run, with nothing
applied, when a revision's ``downgrade()`` does not reverse its ``upgrade()`` (unless it
declares ``irreversible = "<reason>"``), when a revision file cannot be imported, or when a
destructive step (:mod:`alembic_safe.analysis.destructive`) is not confirmed with
``-x confirm=<revision>`` or by typing the revision id on a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

from alembic_safe.console import say
from alembic_safe.errors import UnsafeMigrationError
from alembic_safe.guard.entry import Entry


def confirmed(confirm: Iterable[str], revision: str) -> bool:
    """``-x confirm=`` names the revision (its id, or a prefix of 4 characters or more)."""
    return any(
        value == revision or (len(value) >= 4 and revision.startswith(value)) for value in confirm
    )


def problems(entries: Iterable[Entry]) -> list[tuple[str, str]]:
    """(label, why) of revisions that cannot run at all, confirmed or not."""
    found = []
    for entry in entries:
        lines = []
        if entry.plan.error and "cannot be imported" in entry.plan.error:
            lines.append(entry.plan.error)
        reversible = entry.reversible
        if reversible is not None and not reversible.ok:
            lines.append(
                f"{reversible.problem}. Write a downgrade() that reverses upgrade(), or "
                'declare it at module level: irreversible = "<why it cannot be reversed>"'
            )
        if lines:
            found.append((entry.label(), "\n".join(lines)))
    return found


def refuse_unsafe(
    entries: Sequence[Entry], confirm: Sequence[str], target: str, *, rehearsal: bool = False
) -> None:
    """Raise :class:`UnsafeMigrationError` unless every entry may run; nothing has run yet.

    ``rehearsal``: the database is a throwaway copy, so destructive steps need no confirmation.
    """
    blocking = problems(entries)
    if blocking:
        raise UnsafeMigrationError(
            "alembic-safe refused to run; nothing was applied.", context=blocking
        )
    unconfirmed = [
        e for e in entries if e.destructive and not rehearsal and not confirmed(confirm, e.revision)
    ]
    if unconfirmed and not _confirm_interactively(unconfirmed):
        blocks = []
        for entry in unconfirmed:
            body = "\n".join(d.describe() for d in entry.destructive) + (
                f"\nTo confirm: alembic -x confirm={entry.revision} {entry.direction} {target}"
            )
            blocks.append((entry.label(), body))
        raise UnsafeMigrationError(
            "alembic-safe refused to run destructive steps nobody confirmed; nothing was applied.",
            context=blocks,
            hint="Confirm each revision with -x confirm=<revision> (repeatable), or run on a "
            "terminal to be asked.",
        )
    for value in confirm:
        if not any(confirmed([value], e.revision) for e in entries):
            say(f"warning: -x confirm={value} matches no pending revision")


def _confirm_interactively(unconfirmed: Sequence[Entry]) -> bool:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False
    for entry in unconfirmed:
        print(f"\nRevision {entry.label()} has destructive steps:")
        for destruction in entry.destructive:
            print(f"  {destruction.describe()}")
        answer = input(f"Type the revision id ({entry.revision}) to apply it anyway: ")
        if answer.strip() != entry.revision:
            print("Not confirmed.")
            return False
    return True
