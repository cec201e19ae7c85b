"""The revision record: every fact alembic-safe knows about one revision, computed once.

A :class:`RevisionRecord` is built lazily from a revision's :class:`~alembic.script.Script`:
each fact is computed the first time a consumer asks and kept for the rest of the run.
Its consumers only read it: the guarded upgrade (plans, reversibility, destructive steps,
checks, the backup decision), the linter (plans; its findings are stored back on the
record), the impact pages and the migration log, the SQL export and the offline script,
``alembic-safe plan``, the post-write hook and the rehearsal (which adds measured facts).

The facts and their single owners:

- the plans of both directions: :mod:`alembic_safe.capture.recorder` (each function of
  the revision runs once per run, whoever asks);
- the docstring header: :mod:`alembic_safe.capture.header`;
- reversibility: :mod:`alembic_safe.analysis.reversibility`;
- destructive steps: :mod:`alembic_safe.analysis.destructive`;
- derived checks: :mod:`alembic_safe.analysis.derive`; declared checks
  (``preconditions()`` / ``verify()``): :func:`alembic_safe.capture.recorder.collect_checks`;
- impact (locks, rewrites, downtime): :mod:`alembic_safe.analysis.impact`;
- whether a backup is due: :mod:`alembic_safe.analysis.backup_policy`;
- findings: :mod:`alembic_safe.rules` (see :meth:`RecordBook.lint`);
- measured facts: a rehearsal of this exact file (:attr:`RevisionRecord.measured`).

A :class:`RecordBook` holds the records of one run, keyed by revision.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic.script import Script

from alembic_safe.analysis import derive, impact
from alembic_safe.analysis.backup_policy import Pending
from alembic_safe.analysis.destructive import ColumnType, Destruction, destructions
from alembic_safe.analysis.reversibility import Reversibility, reversibility
from alembic_safe.capture.header import Header, irreversible_reason, parse_header
from alembic_safe.capture.plan import Plan
from alembic_safe.capture.recorder import capture, collect_checks
from alembic_safe.checks import Check
from alembic_safe.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from alembic_safe.analysis.stats import TableStats
    from alembic_safe.capture.project import Project
    from alembic_safe.rules import Finding

DIRECTIONS = ("upgrade", "downgrade")


@dataclass(frozen=True)
class Checks:
    """The checks of one direction: derived from the operations and declared by the revision."""

    pre: list[Check]
    post: list[Check]
    notes: list[str] = field(default_factory=list)
    """Why declared checks could not all be read offline."""


class RevisionRecord:
    """What alembic-safe knows about one revision; each fact computed once, on first use."""

    def __init__(self, script: Script, settings: Settings) -> None:
        self.script = script
        self.settings = settings
        self._plans: dict[str, Plan] = {}
        self._impacts: dict[int, impact.Impact] = {}
        self.findings: list[Finding] | None = None
        """The linter's findings (suppressed ones included) once :meth:`RecordBook.lint` ran."""
        self.measured: Any = None
        """The rehearsal result of this exact file (same :attr:`content_hash`), if any."""
        self.executed: Plan | None = None
        """The upgrade's statements as a rehearsal executed them (see :meth:`analysed_plan`)."""

    def __repr__(self) -> str:
        return f"<RevisionRecord {self.revision} {self.path}>"

    # ------------------------------------------------------------------ identity
    @property
    def revision(self) -> str:
        return str(self.script.revision)

    @property
    def path(self) -> str:
        return str(self.script.path)

    @property
    def load_error(self) -> str | None:
        """Why the revision file cannot be imported (then only its identity is known)."""
        error = getattr(self.script.module, "alembic_safe_load_error", None)
        return str(error) if error else None

    @cached_property
    def parents(self) -> tuple[str, ...]:
        down = self.script.down_revision
        if down is None:
            return ()
        if isinstance(down, str):
            return (down,)
        return tuple(down)

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    @cached_property
    def docstring(self) -> str | None:
        """The module docstring; for a file that does not import, read from its text."""
        if not self.load_error:
            doc = self.script.module.__doc__
            return str(doc) if doc is not None else None
        try:
            tree = ast.parse(Path(self.path).read_text(encoding="utf-8", errors="replace"))
        except (OSError, SyntaxError, ValueError):
            return None
        return ast.get_docstring(tree, clean=False)

    @cached_property
    def header(self) -> Header:
        return parse_header(self.docstring)

    @property
    def title(self) -> str:
        return self.header.title or self.revision

    @cached_property
    def create_date(self) -> str:
        """The ``Create Date:`` of the docstring, without fractions of a second."""
        for line in (self.docstring or "").splitlines():
            if line.strip().startswith("Create Date:"):
                return line.split(":", 1)[1].strip().split(".", 1)[0]
        return ""

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the revision file: measured facts belong to exactly this text."""
        try:
            return hashlib.sha256(Path(self.path).read_bytes()).hexdigest()
        except OSError:
            return ""

    @property
    def irreversible(self) -> str | None:
        """The declared ``irreversible = "<reason>"``, if any."""
        return None if self.load_error else irreversible_reason(self.script.module)

    # ------------------------------------------------------------------ plans
    def plan(self, direction: str) -> Plan:
        """The captured plan of ``upgrade`` or ``downgrade`` (the function runs once)."""
        if direction not in self._plans:
            if self.load_error:
                plan = Plan(revision=self.revision, direction=direction, path=self.path)
                plan.error = f"the file cannot be imported: {self.load_error}"
            else:
                plan = capture(self.script, direction)
            self._plans[direction] = plan
        return self._plans[direction]

    @property
    def upgrade(self) -> Plan:
        return self.plan("upgrade")

    @property
    def downgrade(self) -> Plan:
        return self.plan("downgrade")

    def analysed_plan(self, direction: str) -> Plan:
        """The plan the linter and the impact read: the offline one, or, when that stops at a
        database read and a rehearsal executed this file, the statements it executed."""
        offline = self.plan(direction)
        if direction == "upgrade" and self.executed is not None and not offline.complete:
            return self.executed
        return offline

    @property
    def captured(self) -> tuple[str, ...]:
        """The directions captured so far (for tests that count runs)."""
        return tuple(self._plans)

    # ------------------------------------------------------------------ judgements
    @cached_property
    def reversibility(self) -> Reversibility:
        return reversibility(self.script, self.upgrade, self.downgrade)

    def destructions(
        self, direction: str = "upgrade", column_type: ColumnType | None = None
    ) -> list[Destruction]:
        """The destructive steps of ``direction``; with ``column_type``, live types count too."""
        if column_type is None:
            return self._offline_destructions(direction)
        return destructions(self.plan(direction), column_type, irreversible=self.irreversible)

    def _offline_destructions(self, direction: str) -> list[Destruction]:
        key = f"_destructions_{direction}"
        if key not in self.__dict__:
            self.__dict__[key] = destructions(self.plan(direction), irreversible=self.irreversible)
        found: list[Destruction] = self.__dict__[key]
        return found

    def derived_checks(self, direction: str = "upgrade") -> tuple[list[Check], list[Check]]:
        """(preconditions, post-checks) derived from the operations of ``direction``."""
        key = f"_derived_{direction}"
        if key not in self.__dict__:
            self.__dict__[key] = derive.derive(self.plan(direction))
        pre, post = self.__dict__[key]
        return list(pre), list(post)

    @cached_property
    def declared_checks(self) -> Checks:
        """What ``preconditions()`` and ``verify()`` declare, read offline (once)."""
        if self.load_error:
            return Checks([], [])
        pre, note_pre = collect_checks(self.script, "preconditions")
        post, note_post = collect_checks(self.script, "verify")
        return Checks(pre, post, [n for n in (note_pre, note_post) if n])

    def checks(self, direction: str = "upgrade") -> Checks:
        """Derived and declared checks of ``direction`` (declared ones guard the upgrade)."""
        pre, post = self.derived_checks(direction)
        if direction != "upgrade":
            return Checks(pre, post)
        declared = self.declared_checks
        return Checks(pre + declared.pre, post + declared.post, list(declared.notes))

    def impact(self, stats: dict[str, TableStats] | None = None) -> impact.Impact:
        """Tables, locks, rewrites and downtime of the upgrade (with live ``stats`` if given)."""
        key = id(stats)
        if key not in self._impacts:
            self._impacts[key] = impact.analyse(self.analysed_plan("upgrade"), stats)
        return self._impacts[key]

    def pending(self, direction: str = "upgrade") -> Pending:
        """What the backup policy needs to know when this revision is about to run."""
        plan = self.plan(direction)
        return Pending(
            revision=self.revision,
            destructive=bool(self.destructions(direction)),
            complete=plan.complete,
            status=plan.status(),
            changes_rows=self.changes_rows(direction),
        )

    def changes_rows(self, direction: str = "upgrade") -> bool:
        """Whether ``direction`` updates or deletes rows of existing tables."""
        if direction == "upgrade":
            found = self.impact()
        else:
            found = impact.analyse(self.plan(direction), None)
        return any(cost.kind == "rows" for _, cost in found.costs)


class RecordBook:
    """The records of one run, one per revision, built on first use."""

    def __init__(self, settings: Settings, project: Project | None = None) -> None:
        self.settings = settings
        self.project = project
        self._records: dict[tuple[str, str], RevisionRecord] = {}

    @classmethod
    def of(cls, project: Project) -> RecordBook:
        return cls(project.settings, project)

    def get(self, script: Script) -> RevisionRecord:
        key = (str(script.revision), str(script.path))
        record = self._records.get(key)
        if record is None:
            record = self._records[key] = RevisionRecord(script, self.settings)
        return record

    def records(self, scripts: Iterable[Script]) -> list[RevisionRecord]:
        return [self.get(s) for s in scripts]

    def plan(self, script: Script, direction: str) -> Plan:
        """The planner the linter calls: plans come from the records (executed ones included)."""
        return self.get(script).analysed_plan(direction)

    def lint(
        self,
        scripts: Sequence[Script] | None = None,
        *,
        connection: Connection | None = None,
        parallel: bool = True,
    ) -> list[Finding]:
        """Run the linter over ``scripts`` (default: the project's revisions, in order).

        The findings are stored on each record.  ``parallel=False`` keeps every capture in
        this process, so the records hold the plans afterwards (the docs need them).
        """
        from alembic_safe import rules

        selected = (
            list(scripts)
            if scripts is not None
            else (self.project.all_revisions() if self.project is not None else [])
        )
        findings = rules.lint_scripts(
            selected,
            self.settings,
            planner=self.plan,
            connection=connection,
            parallel=parallel,
        )
        if self.project is not None:
            findings += rules.load_error_findings(self.project, selected)
        by_revision: dict[str, list[Finding]] = {}
        for finding in findings:
            by_revision.setdefault(finding.revision, []).append(finding)
        for script in selected:
            self.get(script).findings = by_revision.get(str(script.revision), [])
        return findings
