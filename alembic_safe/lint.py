"""The ``check`` and ``deps`` commands: lint a project, apply a baseline, render findings.

Like :mod:`alembic_safe.commands`, the functions here return values or raise
:class:`~alembic_safe.errors.AlembicSafeError`; they never print.  The renderers return
text for :mod:`alembic_safe.cli` to print.

A baseline is how a long history adopts the linter: ``--write-baseline FILE`` records the
findings of today's history, and ``--baseline FILE`` then reports them as suppressed, so
only new findings fail CI.  Findings match the baseline by revision, direction, rule and
a fingerprint of the statement they are about (not by line number, so edits that move
lines do not break the match); each recorded entry matches one finding.
"""

from __future__ import annotations

import gc
import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from alembic.config import Config
from sqlalchemy.engine import Connection

from alembic_safe.analysis import deps as deps_module
from alembic_safe.capture.project import Project
from alembic_safe.capture.recorder import import_env_plugins
from alembic_safe.errors import ConfigError, UsageError
from alembic_safe.pg.connection import connect
from alembic_safe.record import RecordBook
from alembic_safe.rules import Finding, Severity

FAIL_ON = ("error", "warning")
BASELINE_VERSION = 1


@dataclass
class CheckResult:
    """What ``alembic-safe check`` found."""

    findings: list[Finding]
    revisions: int
    fail_on: Severity
    baseline_unmatched: int = 0
    """Baseline entries that matched nothing (fixed, or the statement changed)."""
    baseline_written: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is None]

    @property
    def load_failed(self) -> bool:
        return any(f.rule == "import-error" for f in self.active)

    @property
    def exit_code(self) -> int:
        if self.load_failed:
            return 2
        if self.baseline_written is not None:
            return 0
        threshold = self.fail_on.rank
        return 1 if any(f.severity.rank >= threshold for f in self.active) else 0


@contextmanager
def _connection(url: str | None) -> Iterator[Connection | None]:
    if not url:
        yield None
        return
    connection = connect(url)
    try:
        yield connection.execution_options(isolation_level="AUTOCOMMIT")
    finally:
        connection.close()


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Capture allocates many short-lived parse trees; the cycle collector only slows it down."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check(
    config: Config,
    rev_range: str | None = None,
    *,
    url: str | None = None,
    fail_on: str = "error",
    baseline: str | Path | None = None,
    write_baseline: str | Path | None = None,
    x_args: Sequence[str] = (),
    files: Sequence[str | Path] = (),
    rehearse: bool = False,
) -> CheckResult:
    """Lint the revisions in ``rev_range`` (all by default), or those in ``files``.

    ``rehearse``: revisions whose offline plan stops at a database read are executed on a
    scratch copy (``url``'s schema, else an empty database) and linted as they ran.
    """
    if fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on {fail_on!r} is not valid.", hint="Use error or warning.")
    project = Project.load(config, list(x_args))
    import_env_plugins(project.script.dir)
    notes: list[str] = []
    if files:
        scripts, notes = project.revisions_in_files(files)
    else:
        scripts = project.revisions(rev_range)
    recorded = read_baseline(baseline) if baseline else None
    book = RecordBook.of(project)
    if rehearse:
        notes += execute_incomplete(project, book, scripts, url)
    with _connection(url) as connection, _no_gc_pauses():
        findings = book.lint(scripts, connection=connection)
    result = CheckResult(findings, len(scripts), Severity(fail_on), notes=notes)
    if recorded is not None:
        result.findings, result.baseline_unmatched = apply_baseline(findings, recorded, baseline)
    if write_baseline:
        result.baseline_written = write_baseline_file(write_baseline, result.findings)
    return result


def execute_incomplete(
    project: Project, book: RecordBook, scripts: Sequence[Any], url: str | None
) -> list[str]:
    """Rehearse the history so that incompletely captured revisions get their executed plans.

    Returns notes for the user: which revisions were executed, and which could not be.
    """
    incomplete = [s for s in scripts if not book.get(s).upgrade.complete]
    if not incomplete:
        return ["--rehearse: every plan is complete offline; nothing to execute"]
    from alembic_safe.rehearse.results import executed_plan
    from alembic_safe.rehearse.runner import Request
    from alembic_safe.rehearse.runner import rehearse as run
    from alembic_safe.rehearse.scratch import Source

    source = Source(kind="url", url=url) if url else Source(kind="ephemeral")
    progress: list[str] = []
    result = run(
        project,
        Request(source=source, save_results=False, seed_rows=0),
        emit=progress.append,
        book=book,
    )
    by_revision = {r.revision: r for r in result.revisions}
    notes = []
    for script in incomplete:
        record = book.get(script)
        measured = by_revision.get(record.revision)
        plan = executed_plan(measured) if measured is not None else None
        if plan is None:
            why = (
                f"the rehearsal failed before it: {result.failed.summary()}"
                if result.failed is not None
                else "the rehearsal did not reach it"
            )
            notes.append(f"--rehearse: {record.revision} not executed ({why})")
            continue
        record.executed = plan
        notes.append(
            f"--rehearse: {record.revision} linted as executed on a copy "
            f"({len(plan.steps)} statement(s); offline: {record.upgrade.status()})"
        )
    return notes


# --------------------------------------------------------------------------- baseline


def _key(entry: dict[str, Any] | Finding) -> tuple[str, str, str, str]:
    if isinstance(entry, Finding):
        return (entry.revision, entry.direction, entry.rule, entry.fingerprint)
    return (
        str(entry.get("revision", "")),
        str(entry.get("direction", "upgrade")),
        str(entry.get("rule", "")),
        str(entry.get("fingerprint", "")),
    )


def read_baseline(path: str | Path) -> list[dict[str, Any]]:
    file = Path(path)
    if not file.is_file():
        raise ConfigError(
            f"Baseline file {file} does not exist.",
            hint=f"Record today's findings first: alembic-safe check --write-baseline {file}",
        )
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        entries = data["findings"]
        if not isinstance(entries, list):
            raise TypeError("findings is not a list")
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"Baseline file {file} is not an alembic-safe baseline ({exc}).",
            hint=f"Write a new one: alembic-safe check --write-baseline {file}",
        ) from None
    return [e for e in entries if isinstance(e, dict)]


def apply_baseline(
    findings: list[Finding], entries: list[dict[str, Any]], path: str | Path | None
) -> tuple[list[Finding], int]:
    """Suppress findings recorded in the baseline; return them and the unmatched count."""
    budget = Counter(_key(e) for e in entries)
    result = []
    for finding in findings:
        key = _key(finding)
        if finding.suppressed is None and budget[key] > 0:
            budget[key] -= 1
            result.append(replace(finding, suppressed=f"recorded in the baseline {path}"))
        else:
            result.append(finding)
    return result, sum(budget.values())


def write_baseline_file(path: str | Path, findings: list[Finding]) -> Path:
    """Record every finding that no comment or setting suppresses."""
    file = Path(path)
    entries = [
        {
            "revision": f.revision,
            "direction": f.direction,
            "rule": f.rule,
            "fingerprint": f.fingerprint,
            "path": display_path(f.path),
            "line": f.line,
            "message": f.message,
        }
        for f in findings
        if f.suppressed is None or f.suppressed.startswith("recorded in the baseline")
    ]
    data = {"version": BASELINE_VERSION, "tool": "alembic-safe", "findings": entries}
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"Cannot write the baseline {file}: {exc}") from None
    return file


# --------------------------------------------------------------------------- rendering


def display_path(path: str) -> str:
    """``path`` relative to the working directory when it is below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith("..") else relative


def render_text(result: CheckResult, *, colour: bool = False) -> str:
    """Location and rule, the problem, the fix, and where the rule's page is."""
    from alembic_safe.report.rule_page import rule_command
    from alembic_safe.report.style import Style

    paint = Style(colour)
    lines: list[str] = []
    for f in result.active:
        lines.append(
            f"{paint(f'{display_path(f.path)}:{f.line}', 'path')}: "
            f"{paint(f.severity.value, f.severity.value)}[{paint(f.rule, 'rule')}] "
            f"revision {f.revision or '?'} ({f.direction})"
        )
        lines.append(f"  {f.message}")
        if f.suggestion:
            first, *rest = f.suggestion.splitlines()
            lines.append(f"  Instead: {paint(first, 'fix')}")
            lines.extend(f"           {paint(line, 'fix')}" for line in rest)
        lines.append(paint(f"  See: {rule_command(f.rule)}", "dim"))
    lines.append(summary(result))
    return "\n".join(lines)


def summary(result: CheckResult) -> str:
    counts = Counter(f.severity.value for f in result.active)
    suppressed = len(result.findings) - len(result.active)
    parts = [
        f"{counts[s]} {s}{'s' if s != 'info' and counts[s] != 1 else ''}"
        for s in ("error", "warning", "info")
        if counts[s]
    ]
    text = f"Checked {result.revisions} revision(s): " + (", ".join(parts) or "no findings")
    if suppressed:
        text += f" ({suppressed} suppressed)"
    if result.baseline_unmatched:
        text += (
            f"; {result.baseline_unmatched} baseline entr{'y' if result.baseline_unmatched == 1 else 'ies'}"
            " no longer found (fixed or changed): refresh it with --write-baseline"
        )
    if result.baseline_written is not None:
        text += f"; baseline written to {result.baseline_written}"
    return text + "."


def render_json(result: CheckResult) -> str:
    items = []
    for f in result.findings:
        item = f.to_json()
        item["path"] = display_path(f.path)
        items.append(item)
    return json.dumps(items, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: CheckResult) -> str:
    """GitHub workflow commands: one annotation per active finding (1-based lines)."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for f in result.active:
        body = f.message + (f"\nInstead: {f.suggestion}" if f.suggestion else "")
        lines.append(
            f"::{level[f.severity]} file={_escape_property(display_path(f.path))},"
            f"line={max(f.line, 1)},title={_escape_property(f.rule)}::{_escape_data(body)}"
        )
    return "\n".join(lines)


RENDERERS = {"text": render_text, "json": render_json, "github": render_github}


# --------------------------------------------------------------------------- deps


@dataclass
class DepsResult:
    """What ``alembic-safe deps`` found."""

    table: str
    column: str | None
    dependents: list[deps_module.Dependent]

    @property
    def target(self) -> str:
        return f'"{self.table}"."{self.column}"' if self.column else f'"{self.table}"'


def deps(config: Config | None, target: str, url: str | None) -> DepsResult:
    """Objects that depend on a table or column of the database at ``url``."""
    from alembic_safe.pg.connection import connect, resolve_url

    table, column = deps_module.parse_target(target)
    with connect(resolve_url(config, url)) as connection:
        if (
            column is not None
            and not deps_module.relation_exists(connection, table)
            and deps_module.relation_exists(connection, f"{table}.{column}")
        ):
            table, column = f"{table}.{column}", None
        if not deps_module.relation_exists(connection, table):
            raise UsageError(
                f'Table "{table}" does not exist in the database.',
                hint="Check the name and the schema (write SCHEMA.TABLE outside search_path).",
            )
        if column is not None and not deps_module.column_exists(connection, table, column):
            raise UsageError(
                f'Column "{column}" does not exist in table "{table}".',
                hint=f"List the columns with: psql -c '\\d {table}'",
            )
        return DepsResult(table, column, deps_module.dependents(connection, table, column))


def render_deps(result: DepsResult) -> str:
    if not result.dependents:
        return f"Nothing depends on {result.target}: it can be dropped without CASCADE."
    lines = [f"Objects that depend on {result.target} ({len(result.dependents)}):"]
    width = max(len(d.kind) for d in result.dependents)
    for d in result.dependents:
        effect = "blocks DROP (CASCADE would drop it too)" if d.blocks else "dropped with it"
        name = d.describe().removeprefix(d.kind).strip()
        lines.append(f"  {d.kind:<{width}}  {name}  [{effect}]")
    return "\n".join(lines)
