"""What a rehearsal found, per revision, and where it is kept.

:class:`RevisionResult` is one revision's stairway (upgrade, verify, downgrade, compare,
upgrade again) with its measured trace; :class:`RehearsalResult` is the whole run.  Each
revision's result is saved as JSON in ``<docs_dir>/rehearsals/`` (or another directory),
named ``<revision>.<sha256 of the revision file>.json``; a result speaks only for the
exact file it was measured on:

* :func:`load` returns the result for a revision file's current content, or None;
* :func:`rollback_tested` is true when that result passed its round trip;
* :func:`tested_on_copy` is true when, in addition, it ran on a copy of a real database
  (``--url`` or ``--from-backup``), not on an empty one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic_safe.capture.plan import Plan, Step, finish_step
from alembic_safe.rehearse.snapshot import Difference
from alembic_safe.rehearse.trace import Trace

RESULTS_DIR = "rehearsals"
"""Directory of the saved results inside ``docs_dir``."""
FORMAT = 1

PASSED = "passed"
FAILED = "failed"
IRREVERSIBLE = "irreversible"
"""Upgraded and verified; no round trip, because the revision declares ``irreversible``."""

COPY_SOURCES = ("url", "backup")
"""Sources that are copies of a real database (``tested on a copy``)."""


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass(frozen=True)
class TableData:
    """Rows of one table before the upgrade and after the downgrade."""

    table: str
    columns: tuple[str, ...]
    """The columns compared: those both the before and the after schema have."""
    rows_before: int
    rows_after: int | None
    """None when the table is gone after the downgrade."""
    same_contents: bool
    declared: str | None = None
    """Why a difference is expected: the upgrade's destructive step on this table."""

    @property
    def ok(self) -> bool:
        return self.declared is not None or (
            self.rows_after == self.rows_before and self.same_contents
        )

    @property
    def lost(self) -> bool:
        return self.rows_after != self.rows_before or not self.same_contents

    def describe(self) -> str:
        if self.rows_after is None:
            return f"{self.table}: gone after the downgrade ({self.rows_before} rows before)"
        what = f"{self.table}: {self.rows_before} rows before, {self.rows_after} after"
        if self.rows_after == self.rows_before and not self.same_contents:
            what += f"; other contents in ({', '.join(self.columns)})"
        if self.declared and self.lost:
            what += f" (expected: {self.declared})"
        return what

    def to_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "columns": list(self.columns),
            "rows_before": self.rows_before,
            "rows_after": self.rows_after,
            "same_contents": self.same_contents,
            "declared": self.declared,
            "ok": self.ok,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> TableData:
        return cls(
            table=value["table"],
            columns=tuple(value.get("columns", ())),
            rows_before=int(value["rows_before"]),
            rows_after=value.get("rows_after"),
            same_contents=bool(value.get("same_contents", True)),
            declared=value.get("declared"),
        )


def _difference(value: dict[str, Any]) -> Difference:
    return Difference(value["change"], value["kind"], value["name"], value.get("detail", ""))


@dataclass
class RevisionResult:
    """One revision's rehearsal: what ran, how long, what it locked, what came back."""

    revision: str
    path: str
    sha256: str
    title: str
    status: str = PASSED
    """``passed``, ``failed`` or ``irreversible`` (declared; no round trip)."""
    stage: str | None = None
    """Where it failed: ``preconditions``, ``upgrade``, ``verify``, ``downgrade``,
    ``round-trip`` (schema), ``data`` or ``re-upgrade``."""
    error: str | None = None
    """The failure in one sentence (for ``round-trip`` and ``data``, the summary)."""
    line: int | None = None
    """Line of the revision file where an upgrade or downgrade failed."""
    differences: list[Difference] = field(default_factory=list)
    """Schema after the downgrade compared with the schema before the upgrade."""
    reupgrade_differences: list[Difference] = field(default_factory=list)
    """Schema after the second upgrade compared with the schema after the first."""
    data: list[TableData] = field(default_factory=list)
    seeded: dict[str, int] = field(default_factory=dict)
    unseeded: dict[str, str] = field(default_factory=dict)
    upgrade_s: float | None = None
    downgrade_s: float | None = None
    reupgrade_s: float | None = None
    trace: Trace = field(default_factory=Trace)
    source: str = ""
    """The rehearsal's source kind: ``url``, ``backup`` or ``ephemeral``."""
    source_stats: dict[str, dict[str, int | None]] = field(default_factory=dict)
    """Per touched table: the source's ``rows`` estimate and ``bytes``."""
    irreversible: str | None = None
    rehearsed_at: str = ""

    @property
    def passed(self) -> bool:
        return self.status != FAILED

    @property
    def round_trip_ok(self) -> bool | None:
        """Schema equal after up and down (None: not reached, or declared irreversible)."""
        if self.status == IRREVERSIBLE:
            return None
        if self.stage in ("downgrade", "round-trip"):
            return False
        return None if self.downgrade_s is None else True

    @property
    def data_ok(self) -> bool | None:
        """Rows of the touched tables survived (None: nothing compared, or not reached)."""
        if not self.data:
            return None
        return all(t.ok for t in self.data)

    def summary(self) -> str:
        """The failure in one line, or what passed."""
        short = self.revision[:12]
        if self.status == IRREVERSIBLE:
            return f"{short} upgraded and verified; declared irreversible: {self.irreversible}"
        if self.status == PASSED:
            return f"{short} passed"
        if self.stage == "round-trip":
            return describe_round_trip(short, self.differences)
        if self.stage == "data":
            lost = "; ".join(t.describe() for t in self.data if not t.ok)
            return f"downgrade of {short} lost data the revision does not declare: {lost}"
        if self.stage == "re-upgrade" and self.reupgrade_differences:
            changes = "; ".join(str(d) for d in self.reupgrade_differences)
            return f"upgrade of {short} after its downgrade gives another schema: {changes}"
        return self.error or f"{short} failed at {self.stage}"

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "revision": self.revision,
            "path": self.path,
            "sha256": self.sha256,
            "title": self.title,
            "status": self.status,
            "passed": self.passed,
            "stage": self.stage,
            "error": self.error,
            "line": self.line,
            "summary": self.summary(),
            "upgrade_ms": _ms(self.upgrade_s),
            "downgrade_ms": _ms(self.downgrade_s),
            "reupgrade_ms": _ms(self.reupgrade_s),
            "round_trip_ok": self.round_trip_ok,
            "data_ok": self.data_ok,
            "differences": [d.to_json() for d in self.differences],
            "reupgrade_differences": [d.to_json() for d in self.reupgrade_differences],
            "data": [t.to_json() for t in self.data],
            "seeded": dict(self.seeded),
            "unseeded": dict(self.unseeded),
            "lock_lines": self.trace.lines(),
            "trace": self.trace.to_json(),
            "source": self.source,
            "source_stats": self.source_stats,
            "irreversible": self.irreversible,
            "rehearsed_at": self.rehearsed_at,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> RevisionResult:
        return cls(
            revision=value["revision"],
            path=value.get("path", ""),
            sha256=value["sha256"],
            title=value.get("title", ""),
            status=value.get("status", FAILED),
            stage=value.get("stage"),
            error=value.get("error"),
            line=value.get("line"),
            differences=[_difference(d) for d in value.get("differences", ())],
            reupgrade_differences=[_difference(d) for d in value.get("reupgrade_differences", ())],
            data=[TableData.from_json(t) for t in value.get("data", ())],
            seeded=dict(value.get("seeded", {})),
            unseeded=dict(value.get("unseeded", {})),
            upgrade_s=_seconds(value.get("upgrade_ms")),
            downgrade_s=_seconds(value.get("downgrade_ms")),
            reupgrade_s=_seconds(value.get("reupgrade_ms")),
            trace=Trace.from_json(value.get("trace", {})),
            source=value.get("source", ""),
            source_stats=dict(value.get("source_stats", {})),
            irreversible=value.get("irreversible"),
            rehearsed_at=value.get("rehearsed_at", ""),
        )


def describe_round_trip(revision: str, differences: list[Difference]) -> str:
    """``downgrade of 3f2a left behind: type mood; index ix_users_email; column ...``.

    What the downgrade left behind (objects it did not remove, objects it left changed),
    then what it did not restore (objects of the schema before that are gone).
    """
    left = [
        d.subject if d.change == "added" else str(d) for d in differences if d.change != "removed"
    ]
    gone = [d.subject for d in differences if d.change == "removed"]
    parts = []
    if left:
        parts.append("left behind: " + "; ".join(left))
    if gone:
        parts.append("did not restore: " + "; ".join(gone))
    return f"downgrade of {revision} " + "; ".join(parts)


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 3)


def _seconds(ms: Any) -> float | None:
    return None if ms is None else float(ms) / 1000


@dataclass
class RehearsalResult:
    """The whole run: its source and each rehearsed revision, in order."""

    source: str
    """What the scratch database was made from, in words (no password)."""
    source_kind: str
    revisions: list[RevisionResult] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)
    """Pending revisions after a failure, which the run did not reach."""
    kept: str | None = None
    """How to connect to the kept scratch database (``--keep``), without a password."""
    duration_s: float = 0.0
    restored_revisions: tuple[str, ...] | None = None
    """``--from-backup`` of one of our backups: the revisions its label names."""
    started_at: str = ""

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.revisions)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    @property
    def failed(self) -> RevisionResult | None:
        return next((r for r in self.revisions if not r.passed), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "passed": self.passed,
            "exit_code": self.exit_code,
            "source": self.source,
            "source_kind": self.source_kind,
            "restored_revisions": (
                list(self.restored_revisions) if self.restored_revisions is not None else None
            ),
            "started_at": self.started_at,
            "duration_ms": _ms(self.duration_s),
            "kept": self.kept,
            "revisions": [r.to_json() for r in self.revisions],
            "not_run": list(self.not_run),
        }


# ---------------------------------------------------------------------- the saved results


def result_path(directory: Path, revision: str, sha256: str) -> Path:
    return directory / f"{revision}.{sha256}.json"


def save(directory: Path, result: RevisionResult) -> Path:
    """Write ``result``; results of older contents of the same revision file are removed."""
    directory.mkdir(parents=True, exist_ok=True)
    target = result_path(directory, result.revision, result.sha256)
    for old in directory.glob(f"{result.revision}.*.json"):
        if old != target and len(old.name) == len(target.name):
            old.unlink(missing_ok=True)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".rehearsal-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(result.to_json(), handle, indent=2, sort_keys=True)
        handle.write("\n")
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)
    return target


def load(directory: str | Path, revision_file: str | Path) -> RevisionResult | None:
    """The saved result for the current content of ``revision_file``, or None."""
    try:
        sha = file_sha256(revision_file)
    except OSError:
        return None
    for candidate in sorted(Path(directory).glob(f"*.{sha}.json")):
        try:
            value = json.loads(candidate.read_text(encoding="utf-8"))
            result = RevisionResult.from_json(value)
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if result.sha256 == sha:
            return result
    return None


def rollback_tested(directory: str | Path, revision_file: str | Path) -> bool:
    """A rehearsal of exactly this file passed its round trip (up, down, compare, up)."""
    result = load(directory, revision_file)
    return result is not None and result.status == PASSED


def tested_on_copy(directory: str | Path, revision_file: str | Path) -> bool:
    """A rehearsal of exactly this file passed on a copy of a real database."""
    result = load(directory, revision_file)
    return result is not None and result.status == PASSED and result.source in COPY_SOURCES


def executed_plan(result: RevisionResult) -> Plan | None:
    """The upgrade as the rehearsal executed it: every statement of the revision file, in order.

    It completes the offline plan of a revision that reads the database (the rows it read
    decided what it sent).  None when the trace holds no statement of the revision.
    """
    mine = [s for s in result.trace.statements if s.line is not None and s.error is None]
    if not mine:
        return None
    plan = Plan(revision=result.revision, direction="upgrade", path=result.path)
    for index, traced in enumerate(mine):
        step = Step(
            index=index,
            name="executed",
            op=None,
            lineno=traced.line,
            in_transaction=traced.in_transaction,
            sql_chunks=[traced.sql.strip().rstrip(";") + ";"],
        )
        finish_step(step)
        plan.steps.append(step)
    plan.measured = f"executed on a copy ({result.source}, {result.rehearsed_at})"
    return plan
