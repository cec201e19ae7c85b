"""The rehearsal's report: a table per revision in text, or one JSON object."""

from __future__ import annotations

import json

from alembic_safe.analysis.stats import format_bytes, format_rows
from alembic_safe.rehearse.results import FAILED, IRREVERSIBLE, RehearsalResult, RevisionResult

_HEADER = ("revision", "upgrade", "downgrade", "locks", "rewrites", "round trip", "data")


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.0f} ms"


def _yes(value: bool | None) -> str:
    return {True: "ok", False: "FAILED", None: "-"}[value]


def _locks(revision: RevisionResult) -> str:
    blocking = revision.trace.blocking()
    if not blocking:
        return "none blocking"
    strongest: dict[str, str] = {}
    for hold in blocking:
        strongest.setdefault(hold.relation, hold.mode)
    return ", ".join(f"{mode} {relation}" for relation, mode in strongest.items())


def _row(revision: RevisionResult) -> tuple[str, ...]:
    data = _yes(revision.data_ok) if revision.data else "-"
    if revision.status == FAILED and revision.stage == "data":
        data = "LOST"
    trip = _yes(revision.round_trip_ok)
    if revision.status == IRREVERSIBLE:
        trip = "irreversible"
    return (
        revision.revision[:12],
        _ms(revision.upgrade_s),
        _ms(revision.downgrade_s),
        _locks(revision),
        ", ".join(revision.trace.rewrites) or "-",
        trip,
        data,
    )


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]


def render_text(result: RehearsalResult) -> str:
    """The table of revisions, then per revision its lock lines and what failed."""
    lines = [f"Rehearsal on {result.source}"]
    if result.restored_revisions is not None:
        revisions = ", ".join(result.restored_revisions) or "base (no revision)"
        lines.append(f"The backup restores (its label says revision {revisions}).")
    if not result.revisions:
        lines.append("Nothing to rehearse.")
    else:
        lines.append("")
        lines.extend(_table([_HEADER, *(_row(r) for r in result.revisions)]))
    for revision in result.revisions:
        details = _details(revision)
        if details:
            lines.append("")
            lines.append(f"{revision.revision} {revision.title!r}:")
            lines.extend(f"  {line}" for line in details)
    lines.append("")
    passed = sum(1 for r in result.revisions if r.passed)
    verdict = "passed" if result.passed else "FAILED"
    summary = f"{verdict}: {passed} of {len(result.revisions)} revision(s) passed"
    if result.not_run:
        summary += f"; not reached: {', '.join(result.not_run)}"
    lines.append(f"{summary} in {result.duration_s:.1f} s.")
    if result.kept:
        lines.append(f"The scratch database is kept: {result.kept}")
    return "\n".join(lines)


def _details(revision: RevisionResult) -> list[str]:
    details: list[str] = []
    if revision.status == FAILED:
        details.append(revision.summary())
    for line in revision.trace.lines():
        details.append(line)
    for key, stats in revision.source_stats.items():
        parts = []
        if stats.get("rows") is not None:
            parts.append(f"~{format_rows(int(stats['rows'] or 0))} rows")
        if stats.get("bytes") is not None:
            parts.append(format_bytes(int(stats["bytes"] or 0)))
        if parts:
            details.append(f"source: {key} has {', '.join(parts)}")
    for name, reason in revision.unseeded.items():
        details.append(f"not seeded: {name}: {reason}")
    for table in revision.data:
        if table.declared and table.lost:
            details.append(f"data: {table.describe()}")
    if revision.trace.note:
        details.append(revision.trace.note)
    return details


def render_json(result: RehearsalResult) -> str:
    return json.dumps(result.to_json(), indent=2)
