"""What an impact page says about one revision, read from its record.

:class:`RevisionDoc` is a view of a :class:`~alembic_safe.record.RevisionRecord` with the
facts a page and the migration log need: its position in the history, its page and SQL
file names, the rendered scripts, and the risk level judged from the record's facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from alembic.script import Script

from alembic_safe.analysis.destructive import Destruction
from alembic_safe.analysis.impact import Downtime, Impact
from alembic_safe.analysis.reversibility import Reversibility
from alembic_safe.analysis.stats import TableStats
from alembic_safe.capture.header import Header
from alembic_safe.capture.plan import Plan
from alembic_safe.capture.project import Project
from alembic_safe.checks import Check
from alembic_safe.docs import sqlscript
from alembic_safe.docs.authorship import Origin, origins
from alembic_safe.docs.sqlscript import Position, RenderError
from alembic_safe.record import RecordBook, RevisionRecord
from alembic_safe.rules import Finding

HIGH, MEDIUM, LOW = "high", "medium", "low"


@dataclass
class RevisionDoc:
    """Everything a page says about one revision."""

    position: Position
    page: str
    path: str
    """The revision file, relative to the project root."""
    sql_files: tuple[str, str]
    stats: dict[str, TableStats] | None = None
    children: list[str] = field(default_factory=list)
    sql: dict[str, str] = field(default_factory=dict)
    """direction -> the reviewed SQL script (see :func:`fill_sql`)."""
    sql_errors: dict[str, str] = field(default_factory=dict)
    """direction -> why the script cannot be rendered offline."""
    risk: str = LOW
    risk_reasons: list[str] = field(default_factory=list)
    origin: Origin | None = None
    """The commit that added the file (for an author or ticket the header does not state)."""

    @property
    def author(self) -> str:
        """The header's ``Author:``, else who added the file (git), else "not stated"."""
        stated = self.header.get("author")
        if stated:
            return stated
        if self.origin is not None and self.origin.author:
            return f"{self.origin.author} (added the file on {self.origin.date}, from git)"
        return "not stated"

    @property
    def ticket(self) -> str:
        """The header's ``Ticket:``, else one the adding commit's message names."""
        stated = self.header.get("ticket")
        if stated:
            return stated
        if self.origin is not None and self.origin.ticket:
            return f"{self.origin.ticket} (named by the commit that added the file)"
        return "not stated"

    @property
    def record(self) -> RevisionRecord:
        return self.position.record

    @property
    def script(self) -> Script:
        return self.record.script

    @property
    def revision(self) -> str:
        return self.record.revision

    @property
    def header(self) -> Header:
        return self.record.header

    @property
    def date(self) -> str:
        return self.record.create_date

    @property
    def title(self) -> str:
        return self.record.title

    @property
    def parents(self) -> tuple[str, ...]:
        return self.record.parents

    @property
    def is_merge(self) -> bool:
        return self.record.is_merge

    @property
    def load_error(self) -> str | None:
        return self.record.load_error

    @property
    def findings(self) -> list[Finding]:
        return self.record.findings or []

    @property
    def upgrade(self) -> Plan:
        return self.record.upgrade

    @property
    def downgrade(self) -> Plan:
        return self.record.downgrade

    @property
    def reversible(self) -> Reversibility:
        return self.record.reversibility

    @property
    def impact(self) -> Impact:
        return self.record.impact(self.stats)

    @property
    def destroys(self) -> list[Destruction]:
        """What the upgrade destroys (the same steps the guard asks to confirm)."""
        return [d for d in self.record.destructions("upgrade") if d.step is not None]

    @property
    def rollback_destroys(self) -> list[Destruction]:
        return [d for d in self.record.destructions("downgrade") if d.step is not None]

    @property
    def preconditions(self) -> list[Check]:
        return self.record.checks("upgrade").pre

    @property
    def post_checks(self) -> list[Check]:
        return self.record.checks("upgrade").post

    @property
    def check_notes(self) -> list[str]:
        return self.record.checks("upgrade").notes

    def rollback_state(self) -> tuple[bool, str]:
        """(available, short reason) for the log and the page."""
        if self.load_error:
            return False, "unknown (file cannot be imported)"
        if self.reversible.declared_irreversible:
            return False, "no (irreversible)"
        if not self.reversible.ok:
            return False, "no (downgrade() does not reverse it)"
        return True, "yes"


def page_name(revision: str, title: str) -> str:
    name = sqlscript.slug(title)
    return f"{revision}_{name}.md" if name else f"{revision}.md"


def build(
    project: Project, positions: Sequence[Position], *, stats: dict[str, TableStats] | None
) -> list[RevisionDoc]:
    """The page model of every revision in ``positions``, in order."""
    root = sqlscript.project_root(project)
    total = len(positions)
    docs: list[RevisionDoc] = []
    by_revision: dict[str, RevisionDoc] = {}
    for position in positions:
        record = position.record
        doc = RevisionDoc(
            position=position,
            page=page_name(record.revision, record.header.title),
            path=sqlscript.relative(record.path, root),
            sql_files=sqlscript.file_names(position, total),
            stats=stats,
        )
        _judge_risk(doc)
        docs.append(doc)
        by_revision[record.revision] = doc
    for doc in docs:
        for parent in doc.parents:
            if parent in by_revision:
                by_revision[parent].children.append(doc.revision)
    unstated = [
        d.record.path
        for d in docs
        if not d.load_error and not (d.header.get("author") and d.header.get("ticket"))
    ]
    found = origins(unstated)
    for doc in docs:
        doc.origin = found.get(Path(doc.record.path).resolve())
    return docs


def fill_sql(project: Project, book: RecordBook, doc: RevisionDoc) -> None:
    """Render the forward and rollback scripts of ``doc`` (as ``alembic-safe export`` does)."""
    for direction in ("upgrade", "downgrade"):
        try:
            doc.sql[direction] = sqlscript.render(project, book, doc.position, direction)
        except RenderError as exc:
            doc.sql_errors[direction] = exc.message


def _judge_risk(doc: RevisionDoc) -> None:
    high: list[str] = []
    medium: list[str] = []
    if doc.load_error:
        doc.risk, doc.risk_reasons = HIGH, ["the revision file cannot be imported"]
        return
    errors = [f for f in doc.findings if not f.suppressed and f.severity.value == "error"]
    warnings = [f for f in doc.findings if not f.suppressed and f.severity.value == "warning"]
    if errors:
        high.append(f"{len(errors)} linter error(s)")
    if warnings:
        medium.append(f"{len(warnings)} linter warning(s)")
    if doc.destroys:
        high.append("destroys data")
    if not doc.upgrade.complete:
        medium.append("the offline capture is incomplete")
    if doc.upgrade.has_non_transactional_steps:
        medium.append("steps outside the transaction")
    impact = doc.impact
    if impact.downtime is Downtime.YES:
        high.append("downtime required")
    elif impact.downtime is Downtime.UNKNOWN:
        medium.append("downtime unknown")
    if any(c.kind == "rows" for _, c in impact.costs):
        medium.append("changes rows of existing tables")
    if doc.reversible.declared_irreversible:
        high.append("irreversible")
    elif not doc.reversible.ok:
        high.append("no working downgrade")
    doc.risk = HIGH if high else MEDIUM if medium else LOW
    doc.risk_reasons = high + medium
