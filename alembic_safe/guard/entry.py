"""A pending revision of one guarded run: its record, and what the run learns about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from alembic.script import Script

from alembic_safe.analysis.backup_policy import Pending
from alembic_safe.analysis.destructive import Destruction
from alembic_safe.analysis.reversibility import Reversibility
from alembic_safe.capture.plan import Plan
from alembic_safe.lockwait import LockRequest
from alembic_safe.record import Checks, RevisionRecord
from alembic_safe.tracebacks import relpath


@dataclass
class Entry:
    """One revision to run in one direction."""

    record: RevisionRecord
    direction: str
    destructive: list[Destruction] = field(default_factory=list)
    """Its destructive steps, judged with the live column types at planning time."""
    attempts: int = 0
    started_at: datetime | None = None
    learned_locks: list[LockRequest] = field(default_factory=list)
    """Locks an earlier attempt found it needed mid-transaction: the next takes them first."""

    @property
    def script(self) -> Script:
        return self.record.script

    @property
    def revision(self) -> str:
        return self.record.revision

    @property
    def plan(self) -> Plan:
        return self.record.plan(self.direction)

    @property
    def checks(self) -> Checks:
        return self.record.checks(self.direction)

    @property
    def reversible(self) -> Reversibility | None:
        """Whether the downgrade reverses it (judged for upgrades only)."""
        return self.record.reversibility if self.direction == "upgrade" else None

    @property
    def parents(self) -> tuple[str, ...]:
        return self.record.parents

    @property
    def from_revisions(self) -> tuple[str, ...]:
        return self.parents if self.direction == "upgrade" else (self.revision,)

    @property
    def to_revisions(self) -> tuple[str, ...]:
        return (self.revision,) if self.direction == "upgrade" else self.parents

    @property
    def title(self) -> str:
        return self.record.header.title or "(no message)"

    def label(self) -> str:
        return f'{self.revision} "{self.title}" ({relpath(self.plan.path)})'

    def pending(self) -> Pending:
        """What the backup policy needs to know (destructive as judged at planning)."""
        return Pending(
            revision=self.revision,
            destructive=bool(self.destructive),
            complete=self.plan.complete,
            status=self.plan.status(),
            changes_rows=self.record.changes_rows(self.direction),
        )


def joined(revisions: tuple[str, ...]) -> str | None:
    """Revisions as the history table stores them: ``a, b``, or NULL for none."""
    return ", ".join(revisions) if revisions else None
