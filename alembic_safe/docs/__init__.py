"""Impact documents: one markdown page per revision, and the migration log.

A page (``<docs_dir>/<revision>_<slug>.md``) follows the seed's "Migration Documentation
Template" and is generated from the revision itself: title, purpose, date, author and
ticket from the docstring; the impact (tables, estimated rows, locks and what they block,
rewrites and full scans, downtime) from the offline plan (:mod:`alembic_safe.analysis.impact`),
with live row estimates when a database URL is given; whether it can be rolled back;
one line per change; the risks (the linter's findings, the plan's destructive steps);
the preconditions and post-checks; the forward and rollback SQL exactly as ``alembic
upgrade --sql`` prints it (:mod:`alembic_safe.docs.sqlscript`); post-migration tasks; and the
seed's checklist with the items the tool has proven ticked.

The log (``<docs_dir>/README.md``) lists every revision in order with a Mermaid graph of
the revision DAG.  Revision files that do not import become error entries, not a crash.

Output is deterministic (no generation time, stable order): regenerating an unchanged
history rewrites nothing.  Each page and the log keep a **Notes** section between
:data:`NOTES_BEGIN` and :data:`NOTES_END` that people write and regeneration keeps.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import Script
from sqlalchemy.engine import Connection

from alembic_safe import guard, rules
from alembic_safe.analysis import derive, impact
from alembic_safe.analysis.impact import Downtime, Impact
from alembic_safe.analysis.stats import TableStats
from alembic_safe.capture.header import Header, Reversibility, parse_header, reversibility
from alembic_safe.capture.plan import Plan
from alembic_safe.capture.project import LoadError, Project
from alembic_safe.checks import Check
from alembic_safe.config import Settings
from alembic_safe.docs import sqlscript
from alembic_safe.docs.sqlscript import Position, RenderError
from alembic_safe.errors import ConfigError
from alembic_safe.rules import Finding

PAGE_MARK = "<!-- alembic-safe:page revision="
LOG_MARK = "<!-- alembic-safe:log -->"
NOTES_BEGIN = "<!-- alembic-safe:notes:begin -->"
NOTES_END = "<!-- alembic-safe:notes:end -->"
DEFAULT_NOTES = (
    "_Written by people: rollout plan, who to tell, links. "
    "alembic-safe keeps this section when it regenerates the file._"
)
LOG_NAME = "README.md"

HIGH, MEDIUM, LOW = "high", "medium", "low"


# --------------------------------------------------------------------------- findings


def lint_findings(
    project: Project, positions: Sequence[Position], connection: Connection | None = None
) -> dict[str, list[Finding]]:
    """The linter's findings per revision, suppressed ones included (``alembic-safe check``)."""
    found: dict[str, list[Finding]] = {}
    for finding in rules.lint(project, [p.script for p in positions], connection=connection):
        found.setdefault(finding.revision, []).append(finding)
    return found


def _severity(finding: Finding) -> str:
    return finding.severity.value


# --------------------------------------------------------------------------- the model


@dataclass
class RevisionDoc:
    """Everything a page says about one revision."""

    position: Position
    header: Header
    date: str
    page: str
    path: str
    parents: tuple[str, ...]
    children: list[str] = field(default_factory=list)
    load_error: str | None = None
    upgrade: Plan | None = None
    downgrade: Plan | None = None
    reversible: Reversibility | None = None
    impact: Impact | None = None
    preconditions: list[Check] = field(default_factory=list)
    post_checks: list[Check] = field(default_factory=list)
    check_notes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sql_files: tuple[str, str] = ("", "")
    sql: dict[str, str] = field(default_factory=dict)
    """direction -> the offline script (see :func:`fill_sql`)."""
    sql_errors: dict[str, str] = field(default_factory=dict)
    """direction -> why the script cannot be rendered offline."""
    risk: str = LOW
    risk_reasons: list[str] = field(default_factory=list)

    @property
    def script(self) -> Script:
        return self.position.script

    @property
    def revision(self) -> str:
        return self.position.revision

    @property
    def title(self) -> str:
        return self.header.title or self.revision

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    def rollback_state(self) -> tuple[bool, str]:
        """(available, short reason) for the log and the page."""
        if self.load_error:
            return False, "unknown (file cannot be imported)"
        if self.reversible is None:
            return False, "unknown"
        if self.reversible.declared_irreversible:
            return False, "no (irreversible)"
        if not self.reversible.ok:
            return False, "no (downgrade() does not reverse it)"
        return True, "yes"


def page_name(revision: str, title: str) -> str:
    name = sqlscript.slug(title)
    return f"{revision}_{name}.md" if name else f"{revision}.md"


def _collect_explicit(script: Script, plan: Plan, name: str) -> tuple[list[Check], str | None]:
    """Checks declared in the module's ``preconditions()`` / ``verify()``, collected offline."""
    if not callable(getattr(script.module, name, None)):
        return [], None
    context = MigrationContext.configure(
        dialect_name="postgresql", opts={"as_sql": True, "output_buffer": io.StringIO()}
    )
    entry = guard.Entry(script, "upgrade", plan, [], [], None)
    with Operations.context(context):
        return guard._collect_offline(context, entry, name)


def build(
    project: Project,
    positions: Sequence[Position],
    *,
    stats: dict[str, TableStats] | None,
    findings: dict[str, list[Finding]],
) -> list[RevisionDoc]:
    """The model of every revision in ``positions`` (plans captured offline)."""
    root = sqlscript.project_root(project)
    total = len(positions)
    docs: list[RevisionDoc] = []
    by_revision: dict[str, RevisionDoc] = {}
    for position in positions:
        script = position.script
        header = parse_header(sqlscript.docstring(script))
        down = script.down_revision
        parents = tuple(down) if isinstance(down, (tuple, list)) else ((down,) if down else ())
        doc = RevisionDoc(
            position=position,
            header=header,
            date=sqlscript.create_date(script),
            page=page_name(script.revision, header.title),
            path=sqlscript.relative(script.path, root),
            parents=parents,
            sql_files=sqlscript.file_names(position, total),
            findings=findings.get(script.revision, []),
        )
        error = getattr(script.module, "alembic_safe_load_error", None)
        if error:
            doc.load_error = str(error)
        else:
            doc.upgrade = project.plan(script, "upgrade")
            doc.downgrade = project.plan(script, "downgrade")
            doc.reversible = reversibility(script, doc.upgrade, doc.downgrade)
            doc.impact = impact.analyse(doc.upgrade, stats)
            pre, post = derive.derive(doc.upgrade)
            explicit_pre, note_pre = _collect_explicit(script, doc.upgrade, "preconditions")
            explicit_post, note_post = _collect_explicit(script, doc.upgrade, "verify")
            doc.preconditions = pre + explicit_pre
            doc.post_checks = post + explicit_post
            doc.check_notes = [n.removeprefix("-- ") for n in (note_pre, note_post) if n]
        _judge_risk(doc)
        docs.append(doc)
        by_revision[script.revision] = doc
    for doc in docs:
        for parent in doc.parents:
            if parent in by_revision:
                by_revision[parent].children.append(doc.revision)
    return docs


def fill_sql(project: Project, doc: RevisionDoc) -> None:
    """Render the forward and rollback scripts of ``doc`` (as ``alembic-safe export`` does)."""
    for direction in ("upgrade", "downgrade"):
        try:
            doc.sql[direction] = sqlscript.render(project, doc.position, direction)
        except RenderError as exc:
            doc.sql_errors[direction] = str(exc)


def _judge_risk(doc: RevisionDoc) -> None:
    high: list[str] = []
    medium: list[str] = []
    if doc.load_error:
        high.append("the revision file cannot be imported")
    errors = [f for f in doc.findings if not f.suppressed and _severity(f) == "error"]
    warnings = [f for f in doc.findings if not f.suppressed and _severity(f) == "warning"]
    if errors:
        high.append(f"{len(errors)} linter error(s)")
    if warnings:
        medium.append(f"{len(warnings)} linter warning(s)")
    if doc.upgrade is not None:
        if doc.upgrade.destructive_steps:
            high.append("destroys data")
        if not doc.upgrade.complete:
            medium.append("the offline capture is incomplete")
        if doc.upgrade.has_non_transactional_steps:
            medium.append("steps outside the transaction")
    if doc.impact is not None:
        if doc.impact.downtime is Downtime.YES:
            high.append("downtime required")
        elif doc.impact.downtime is Downtime.UNKNOWN:
            medium.append("downtime unknown")
        if any(c.kind == "rows" for _, c in doc.impact.costs):
            medium.append("changes rows of existing tables")
    if doc.reversible is not None:
        if doc.reversible.declared_irreversible:
            high.append("irreversible")
        elif not doc.reversible.ok:
            high.append("no working downgrade")
    doc.risk = HIGH if high else MEDIUM if medium else LOW
    doc.risk_reasons = high + medium


# --------------------------------------------------------------------------- markdown helpers


def code(value: object) -> str:
    """``value`` as an inline code span (backticks inside are handled)."""
    text = " ".join(str(value).split())
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def text(value: object) -> str:
    """Free text from a revision (title, purpose...): ``<`` cannot open an HTML tag."""
    return str(value).replace("<", "&lt;")


def cell(value: object) -> str:
    """Text safe inside a table cell."""
    return text(" ".join(str(value).split())).replace("|", "\\|")


def _inline(value: str) -> str:
    """One line of plan text."""
    return text(" ".join(value.split()))


def _checkbox(done: bool, text: str) -> str:
    return f"- [{'x' if done else ' '}] {text}"


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class PageContext:
    """Facts about the project that pages mention."""

    settings: Settings
    guarded: bool
    """The project's env.py runs the guard (``alembic_safe.run_migrations``)."""
    have_stats: bool
    pages: dict[str, str]
    """revision -> page file name, for links."""


def render_page(doc: RevisionDoc, context: PageContext) -> str:
    """The markdown page of one revision, with an empty Notes section."""
    if doc.load_error:
        return _render_error_page(doc)
    assert doc.upgrade is not None and doc.impact is not None and doc.reversible is not None
    lines: list[str] = [
        f"{PAGE_MARK}{doc.revision} -->",
        f"<!-- Generated by `alembic-safe doc` from {doc.path}. Edit only the Notes section; "
        "the rest is rewritten when the page is regenerated. -->",
        "",
        f"# Migration: {text(doc.title)}",
        "",
        f"**Revision:** {code(doc.revision)} ({_revises(doc, context)})  ",
        f"**Date:** {doc.date or 'not stated (no Create Date in the docstring)'}  ",
        f"**Author:** {text(doc.header.get('author') or 'not stated')}  ",
        f"**Ticket:** {text(doc.header.get('ticket') or 'not stated')}  ",
        f"**File:** {code(doc.path)}  ",
        f"**Risk level:** {doc.risk}"
        + (f" ({'; '.join(doc.risk_reasons)})" if doc.risk_reasons else ""),
        "",
        "## Purpose",
        "",
        text(doc.header.get("purpose") or doc.title),
        "",
    ]
    lines += _impact_section(doc, context)
    lines += _changes_section(doc)
    lines += _risks_section(doc, context)
    lines += _checks_section(doc)
    lines += _sql_section(doc)
    lines += _tasks_section(doc)
    lines += _checklist_section(doc, context)
    lines += ["## Notes", "", NOTES_BEGIN, DEFAULT_NOTES, NOTES_END, ""]
    return "\n".join(lines)


def _revises(doc: RevisionDoc, context: PageContext) -> str:
    if not doc.parents:
        return "first revision"
    links = [_link(p, context) for p in doc.parents]
    word = "merges" if doc.is_merge else "revises"
    return f"{word} {', '.join(links)}"


def _link(revision: str, context: PageContext) -> str:
    page = context.pages.get(revision)
    return f"[{code(revision)}]({page})" if page else code(revision)


def _render_error_page(doc: RevisionDoc) -> str:
    return "\n".join(
        [
            f"{PAGE_MARK}{doc.revision} -->",
            f"<!-- Generated by `alembic-safe doc` from {doc.path}. Edit only the Notes section. -->",
            "",
            f"# Migration: {text(doc.title)}",
            "",
            f"**File:** {code(doc.path)}  ",
            f"**Revision:** {code(doc.revision)}  ",
            f"**Error:** the file cannot be imported, so this revision cannot be documented: "
            f"{doc.load_error}",
            "",
            "Fix the file (or the module it imports) and run `alembic-safe doc` again. Alembic "
            "itself stops at this file, so `alembic upgrade` cannot run until it is fixed.",
            "",
            "## Notes",
            "",
            NOTES_BEGIN,
            DEFAULT_NOTES,
            NOTES_END,
            "",
        ]
    )


def _impact_section(doc: RevisionDoc, context: PageContext) -> list[str]:
    assert doc.impact is not None
    result = doc.impact
    lines = ["## Impact", ""]
    if result.tables:
        lines += ["| Table | What happens | Estimated rows | Size |", "| --- | --- | --- | --- |"]
        for table in result.tables.values():
            lines.append(
                f"| {code(table.name)} | {cell('; '.join(table.actions))} | "
                f"{cell(table.rows_text(result.have_stats))} | {cell(table.size_text(result.have_stats))} |"
            )
    elif result.plan.complete:
        lines.append("No table is touched.")
    else:
        lines.append("No table is touched before the offline capture stops (see Downtime).")
    lines.append("")
    lines.append(f"- **Downtime required:** {result.downtime.value}")
    for reason in result.downtime_reasons:
        lines.append(f"  - {_inline(reason)}")
    available, _ = doc.rollback_state()
    lines.append(f"- **Rollback available:** {_rollback_text(doc, available)}")
    if available and doc.downgrade is not None and doc.downgrade.destructive_steps:
        for down_step in doc.downgrade.destructive_steps:
            lines.append(f"  - the rollback destroys data: {_inline(down_step.destructive or '')}")
    lines.append("")
    lines += ["### Locks", ""]
    rows = [(s, use) for s in result.steps for use in s.locks]
    if rows:
        lines += [
            "| Step | Line | Statement | Lock | On | Blocks | Transaction |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for item, use in rows:
            tables = ", ".join(code(t) for t in use.tables)
            where = "outside" if item.outside_transaction else "inside"
            lines.append(
                f"| {item.step.index + 1} | {item.step.lineno or '?'} | {cell(use.statement)} | "
                f"{use.lock} | {tables} | {cell(use.blocks)} | {where} |"
            )
    else:
        lines.append("No step locks an existing table.")
    lines += ["", "### Rewrites and full scans", ""]
    costs = [(s, c) for s, c in result.costs if c.kind in {"rewrite", "scan", "rows", "note"}]
    if costs:
        for item, cost in costs:
            label = {
                "rewrite": "rewrite",
                "scan": "full scan",
                "rows": "row changes",
                "note": "note",
            }[cost.kind]
            lines.append(
                f"- step {item.step.index + 1} ({label}, {code(cost.table)}): {_inline(cost.what)}"
            )
    else:
        lines.append("None: no step rewrites or reads every row of an existing table.")
    lines.append("")
    return lines


def _rollback_text(doc: RevisionDoc, available: bool) -> str:
    assert doc.reversible is not None
    _, rollback_file = doc.sql_files
    if doc.reversible.declared_irreversible:
        return f"no — irreversible: {doc.reversible.declared_irreversible}"
    if not available:
        return (
            f"no — the revision {doc.reversible.problem}; the guarded upgrade refuses it until "
            'downgrade() reverses upgrade() or the module declares irreversible = "<reason>"'
        )
    # for a merge, downgrading to either parent undoes just the merge (both stay applied)
    target = doc.parents[0] if doc.parents else f"{doc.revision}-1"
    return (
        f"yes — {code(f'alembic downgrade {target}')}, or "
        f"{code(f'psql -v ON_ERROR_STOP=1 -f {rollback_file}')} from `alembic-safe export`"
    )


def _changes_section(doc: RevisionDoc) -> list[str]:
    assert doc.impact is not None and doc.upgrade is not None
    lines = ["## Changes", ""]
    if not doc.impact.steps:
        lines.append(
            "None: the upgrade emits no operation" + (" (merge point)." if doc.is_merge else ".")
        )
    for item in doc.impact.steps:
        where = f"line {item.step.lineno}" if item.step.lineno else "unknown line"
        outside = ", outside the transaction" if item.outside_transaction else ""
        lines.append(f"{item.step.index + 1}. {item.change} ({where}{outside})")
    if not doc.upgrade.complete:
        lines.append("")
        lines.append(f"The offline capture stops early: {doc.upgrade.status()}.")
    if doc.downgrade is not None and doc.downgrade.steps:
        lines += ["", "Rollback (`downgrade()`):", ""]
        for step in doc.downgrade.steps:
            lines.append(f"{step.index + 1}. {impact.describe_step(step)}")
    lines.append("")
    return lines


def _risks_section(doc: RevisionDoc, context: PageContext) -> list[str]:
    assert doc.upgrade is not None
    lines = ["## Risks", ""]
    lines.append(
        f"**Risk level:** {doc.risk}"
        + (f" — {'; '.join(doc.risk_reasons)}." if doc.risk_reasons else ".")
    )
    lines.append("")
    active = [f for f in doc.findings if not f.suppressed]
    suppressed = [f for f in doc.findings if f.suppressed]
    if not doc.findings:
        lines.append("The linter (`alembic-safe check`) reports nothing for this revision.")
    else:
        if not active:
            lines.append(
                "The linter (`alembic-safe check`) reports nothing that is not suppressed."
            )
        for finding in active:
            lines += _finding_line(finding)
        if suppressed:
            lines += ["", "Suppressed in the revision, with the reason given there:", ""]
            for finding in suppressed:
                lines += _finding_line(finding)
    plan_lines = [
        f"- destroys data (line {s.lineno or '?'}): {s.destructive}"
        for s in doc.upgrade.destructive_steps
    ]
    plan_lines += [
        f"- runs outside the transaction (line {s.lineno or '?'}): a failure leaves the steps before it applied"
        for s in doc.upgrade.steps
        if not s.in_transaction or not s.transactional
    ]
    if not doc.upgrade.complete:
        plan_lines.append(f"- the offline capture is incomplete: {doc.upgrade.status()}")
    if plan_lines:
        lines += ["", "From the migration plan:", "", *plan_lines]
    declared = doc.header.get("risks")
    if declared:
        lines += ["", "Stated in the revision:", ""]
        lines += [f"> {text(line)}" for line in declared.splitlines()]
    lines.append("")
    return lines


def _finding_line(finding: Finding) -> list[str]:
    where = f"line {finding.line}" if finding.line else "revision"
    if finding.direction == "downgrade":
        where += ", downgrade()"
    message = _inline(finding.message)
    if message and message[-1] not in ".!?:":
        message += "."
    text = f"- **{_severity(finding)}** {code(finding.rule)} ({where}): {message}"
    if finding.suppressed:
        return [f"{text} Reason: {_inline(finding.suppressed)}"]
    suggestion = finding.suggestion.strip("\n")
    if not suggestion:
        return [text]
    if "\n" not in suggestion:
        return [f"{text} Instead: {code(suggestion)}"]
    fence = "````" if "```" in suggestion else "```"
    body = [f"  {line}" if line else "" for line in suggestion.splitlines()]
    return [f"{text} Instead:", "", f"  {fence}python", *body, f"  {fence}", ""]


def _checks_section(doc: RevisionDoc) -> list[str]:
    lines = ["## Preconditions", ""]
    if doc.preconditions:
        lines += [f"- {_inline(c.description)} ({c.origin})" for c in doc.preconditions]
    else:
        lines.append("None.")
    lines += ["", "## Post-checks", ""]
    if doc.post_checks:
        lines += [f"- {_inline(c.description)} ({c.origin})" for c in doc.post_checks]
    else:
        lines.append("None.")
    for note in doc.check_notes:
        lines += ["", f"Note: {note}"]
    lines += [
        "",
        "The guarded upgrade checks them in the revision's transaction; the SQL scripts check "
        "them in `DO` blocks.",
        "",
    ]
    return lines


def _sql_section(doc: RevisionDoc) -> list[str]:
    forward_file, rollback_file = doc.sql_files
    lines = ["## SQL", ""]
    for label, direction, name in (
        ("Forward", "upgrade", forward_file),
        ("Rollback", "downgrade", rollback_file),
    ):
        if direction in doc.sql_errors:
            lines += [f"{label} SQL cannot be rendered offline: {doc.sql_errors[direction]}", ""]
            continue
        body = doc.sql.get(direction, "")
        fence = "````" if "```" in body else "```"
        lines += [
            "<details>",
            f"<summary>{label} SQL (<code>{name}</code>)</summary>",
            "",
            f"{fence}sql",
            body.rstrip("\n"),
            fence,
            "",
            "</details>",
            "",
        ]
    return lines


def _tasks_section(doc: RevisionDoc) -> list[str]:
    lines = ["## Post-migration tasks", ""]
    tasks = doc.header.tasks
    lines += (
        [_checkbox(False, text(t)) for t in tasks] if tasks else ["None stated in the revision."]
    )
    lines.append("")
    return lines


def _checklist_section(doc: RevisionDoc, context: PageContext) -> list[str]:
    assert doc.impact is not None and doc.upgrade is not None
    settings = context.settings
    available, _ = doc.rollback_state()
    _, rollback_file = doc.sql_files
    destructive = bool(doc.upgrade.destructive_steps)
    lines = [
        "## Checklist",
        "",
        "Ticked items are proven by alembic-safe.",
        "",
        "### Before running",
        "",
    ]
    lines.append(
        _checkbox(
            False,
            "Migration tested on a database copy — no rehearsal result: this version of "
            "alembic-safe has no `rehearse` command; apply the SQL files to a copy by hand",
        )
    )
    if available:
        lines.append(
            _checkbox(
                True,
                f"Rollback script created — `downgrade()` reverses the upgrade ({code(rollback_file)})",
            )
        )
    else:
        _, why = doc.rollback_state()
        lines.append(_checkbox(False, f"Rollback script created — {why}"))
    lines.append(_checkbox(False, "Rollback tested — no rehearsal result (see above)"))
    if doc.upgrade.complete and context.have_stats:
        lines.append(
            _checkbox(True, "Impact analysis completed (tables, estimated rows, locks: see Impact)")
        )
    elif doc.upgrade.complete:
        lines.append(
            _checkbox(
                False,
                "Impact analysis completed — tables and locks are listed; row estimates need `alembic-safe doc --url`",
            )
        )
    else:
        lines.append(
            _checkbox(
                False,
                f"Impact analysis completed — the offline capture is incomplete ({doc.upgrade.status()})",
            )
        )
    if doc.impact.downtime is Downtime.UNKNOWN:
        lines.append(
            _checkbox(False, "Downtime requirements identified — unknown (incomplete capture)")
        )
    else:
        lines.append(
            _checkbox(True, f"Downtime requirements identified — {doc.impact.downtime.value}")
        )
    backup, why = _backup_state(settings, context.guarded, destructive)
    lines.append(_checkbox(backup, f"Backup configured — {why}"))
    lines.append(_checkbox(False, "Team notified if production migration"))
    lines += ["", "### After running", ""]
    verify = (
        f" (the guarded upgrade checks the {len(doc.post_checks)} post-check(s) before it commits)"
        if context.guarded and doc.post_checks
        else ""
    )
    lines.append(_checkbox(False, f"Verify migration applied successfully{verify}"))
    lines.append(_checkbox(False, "Check application logs for errors"))
    lines.append(_checkbox(False, "Validate data integrity"))
    if settings.schema_file:
        schema = f" (`{settings.schema_file}`: written after a guarded upgrade, or by `alembic-safe doc --schema --url URL`)"
    else:
        schema = " (set `schema_file` to have alembic-safe write it)"
    lines.append(_checkbox(False, f"Update schema.sql with changes (for fresh installs){schema}"))
    lines.append(
        _checkbox(False, "Document migration in git commit (commit this page with the revision)")
    )
    lines.append(_checkbox(False, "Update architecture notes if the architecture changes"))
    lines.append("")
    return lines


def _backup_state(settings: Settings, guarded: bool, destructive: bool) -> tuple[bool, str]:
    if not guarded:
        return False, "env.py does not run the alembic-safe guard, which takes the backup"
    if settings.backup == "always":
        return True, "the guarded upgrade backs up before the first change (`backup = always`)"
    if settings.backup == "destructive":
        if destructive:
            return (
                True,
                "the guarded upgrade backs up before this destructive revision (`backup = destructive`)",
            )
        return (
            False,
            "`backup = destructive` and this revision destroys no data: no backup is taken",
        )
    return False, "`backup = never`: take one by hand"


# --------------------------------------------------------------------------- the log


def render_log(
    docs: Sequence[RevisionDoc],
    load_errors: Sequence[LoadError],
    *,
    root: Path,
    title: str = "Migration log",
    links: bool = True,
    files: bool = False,
) -> str:
    """The migration log: a table of every revision, errors, and the revision graph."""
    lines = [
        LOG_MARK,
        "<!-- Generated by `alembic-safe`. Edit only the Notes section. -->",
        "",
        f"# {title}",
        "",
    ]
    if files:
        lines += [
            "Apply the forward files in order, each with "
            "`psql -v ON_ERROR_STOP=1 -f FILE` (not with `-1`/`--single-transaction`: files "
            "with `CONCURRENTLY` commit between statements). Roll back with the rollback "
            "files in reverse order.",
            "",
        ]
    heads = {d.revision for d in docs if not d.children}
    header = "| # | Revision | Date | Purpose | Parents | Downtime | Rollback | Risk |"
    rule = "| --- | --- | --- | --- | --- | --- | --- | --- |"
    if files:
        header += " Forward file | Rollback file |"
        rule += " --- | --- |"
    if links:
        header += " Page |"
        rule += " --- |"
    lines += [header, rule]
    by_revision = {d.revision: d for d in docs}
    for doc in docs:
        revision = code(doc.revision) + (" (head)" if doc.revision in heads else "")
        parents = _parents_text(doc, by_revision)
        if doc.load_error:
            purpose = f"⚠ cannot be imported: {doc.load_error}"
            downtime = rollback = "—"
        else:
            assert doc.impact is not None
            purpose = (
                doc.header.get("purpose").splitlines()[0]
                if doc.header.get("purpose")
                else doc.title
            )
            downtime = doc.impact.downtime.value
            rollback = doc.rollback_state()[1]
        row = (
            f"| {doc.position.number} | {revision} | {cell(doc.date or '—')} | {cell(purpose)} | "
            f"{parents} | {downtime} | {cell(rollback)} | {'error' if doc.load_error else doc.risk} |"
        )
        if files:
            forward, back = doc.sql_files
            row += f" {code(forward)} | {code(back)} |" if not doc.load_error else " — | — |"
        if links:
            row += f" [{cell(doc.title)}]({doc.page}) |"
        lines.append(row)
    if not docs:
        lines.append("| — | no revisions yet |" + " |" * (header.count("|") - 3))
    lines.append("")
    if load_errors:
        lines += ["## Revision files that cannot be loaded", ""]
        for error in sorted(load_errors, key=lambda e: e.path):
            revision = f" (revision {code(error.revision)})" if error.revision else ""
            lines.append(
                f"- {code(sqlscript.relative(error.path, root))}{revision}: {cell(error.reason)}"
            )
        lines.append("")
    lines += ["## Revision graph", "", "```mermaid", *_mermaid(docs), "```", ""]
    lines += [
        "## Notes",
        "",
        NOTES_BEGIN,
        DEFAULT_NOTES.replace("the page", "the log"),
        NOTES_END,
        "",
    ]
    return "\n".join(lines)


def _parents_text(doc: RevisionDoc, by_revision: dict[str, RevisionDoc]) -> str:
    if not doc.parents:
        return "base"
    names = ", ".join(code(p) for p in doc.parents)
    if doc.is_merge:
        return f"merge of {names}"
    parent = by_revision.get(doc.parents[0])
    if parent is not None and len(parent.children) > 1:
        return f"branch from {names}"
    return names


def _mermaid_label(doc: RevisionDoc) -> str:
    text = f"{doc.revision}: {doc.title}" + (" (cannot be imported)" if doc.load_error else "")
    for char, entity in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, entity)
    return f'"{text}"'


def _mermaid(docs: Sequence[RevisionDoc]) -> list[str]:
    ids = {d.revision: f"r{d.position.number}" for d in docs}
    lines = ["flowchart TD"]
    for doc in docs:
        label = _mermaid_label(doc)
        shape = f"{{{{{label}}}}}" if doc.is_merge else f"[{label}]"
        lines.append(f"  {ids[doc.revision]}{shape}")
    for doc in docs:
        for parent in doc.parents:
            if parent in ids:
                lines.append(f"  {ids[parent]} --> {ids[doc.revision]}")
        for dependency in sorted(set(doc.script._all_down_revisions) - set(doc.parents)):
            if dependency in ids:
                lines.append(f"  {ids[dependency]} -.->|depends on| {ids[doc.revision]}")
    errors = [ids[d.revision] for d in docs if d.load_error]
    if errors:
        lines.append("  classDef error fill:#fdd,stroke:#c00")
        lines.append(f"  class {','.join(errors)} error")
    return lines


# --------------------------------------------------------------------------- writing


def _notes(text: str) -> str | None:
    """The Notes body of an existing page, or None when its markers are damaged."""
    start = text.find(NOTES_BEGIN)
    end = text.find(NOTES_END)
    if start < 0 or end < start or text.count(NOTES_BEGIN) != 1 or text.count(NOTES_END) != 1:
        return None
    return text[start + len(NOTES_BEGIN) : end].strip("\n")


def merge_notes(generated: str, existing: str | None, path: Path) -> str:
    """``generated`` with the Notes section of ``existing`` (a page written before)."""
    if existing is None:
        return generated
    notes = _notes(existing)
    if notes is None:
        raise ConfigError(
            f"{path} has lost its Notes markers ({NOTES_BEGIN} ... {NOTES_END}), so "
            "regenerating it would overwrite what people wrote there.",
            hint="Put both markers back around the Notes text (or delete the file), then run again.",
        )
    start = generated.index(NOTES_BEGIN) + len(NOTES_BEGIN)
    end = generated.index(NOTES_END)
    return f"{generated[:start]}\n{notes}\n{generated[end:]}"


def _page_revision(text: str) -> str | None:
    first = text.split("\n", 1)[0]
    if first.startswith(PAGE_MARK) and first.endswith("-->"):
        return first[len(PAGE_MARK) : -3].strip()
    return None


def _existing_pages(directory: Path) -> dict[str, Path]:
    """revision -> page path, for the pages in ``directory`` (read from their first line)."""
    found: dict[str, Path] = {}
    if not directory.is_dir():
        return found
    for path in sorted(directory.glob("*.md")):
        try:
            with path.open(encoding="utf-8") as handle:
                first = handle.readline()
        except OSError:
            continue
        revision = _page_revision(first.rstrip("\n"))
        if revision:
            found.setdefault(revision, path)
    return found


@dataclass
class WriteResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def write_page(
    directory: Path, doc: RevisionDoc, content: str, existing: dict[str, Path], result: WriteResult
) -> None:
    """Write one page, keeping its Notes; a page renamed with its title moves."""
    target = directory / doc.page
    old = existing.get(doc.revision)
    source = old if old is not None else (target if target.exists() else None)
    before = source.read_text(encoding="utf-8") if source is not None else None
    if (
        before is not None
        and source == target
        and _page_revision(before) not in (doc.revision, None)
    ):
        raise ConfigError(
            f"{target} belongs to revision {_page_revision(before)}, not {doc.revision}."
        )
    if before is not None and _page_revision(before) is None:
        raise ConfigError(
            f"{target} exists and was not written by alembic-safe (no page marker on its first line).",
            hint="Move it away, or choose another directory with --out / docs_dir.",
        )
    final = merge_notes(content, before, source or target)
    _write(target, final, result)
    if old is not None and old != target:
        old.unlink()
        result.removed.append(old)


def _write(path: Path, content: str, result: WriteResult) -> None:
    if path.exists() and path.read_text(encoding="utf-8") == content:
        result.unchanged.append(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(content)
    result.written.append(path)


def write_log(path: Path, content: str, result: WriteResult) -> None:
    before = path.read_text(encoding="utf-8") if path.exists() else None
    if before is not None and not before.startswith(LOG_MARK):
        raise ConfigError(
            f"{path} exists and is not a migration log written by alembic-safe.",
            hint="Move it away, or choose another directory with --out / docs_dir.",
        )
    _write(path, merge_notes(content, before, path), result)


# --------------------------------------------------------------------------- the command


@dataclass
class DocResult:
    """What ``alembic-safe doc`` did."""

    directory: Path
    written: list[Path]
    unchanged: list[Path]
    removed: list[Path]
    load_errors: list[LoadError]
    sql_errors: list[str]
    schema_file: Path | None = None


def resolve_dir(project: Project, value: str) -> Path:
    """A configured path: absolute, or relative to the project's config file."""
    path = Path(value)
    return path if path.is_absolute() else sqlscript.project_root(project) / path


def env_is_guarded(project: Project) -> bool:
    env = Path(project.script.dir) / "env.py"
    try:
        return "alembic_safe" in env.read_text(encoding="utf-8")
    except OSError:
        return False


def generate(
    project: Project,
    rev_range: str | None = None,
    *,
    out: str | Path | None = None,
    url: str | None = None,
    schema: bool = False,
) -> DocResult:
    """Write the pages of the revisions in ``rev_range`` (all by default) and the log."""
    from alembic_safe import commands

    directory = Path(out) if out is not None else resolve_dir(project, project.settings.docs_dir)
    if schema and not url and not project.config.get_main_option("sqlalchemy.url"):
        commands.resolve_url(project.config, url)  # raises the "no database URL" error
    wanted = {s.revision for s in project.revisions(rev_range)}
    positions = sqlscript.order(project)
    stats: dict[str, TableStats] | None = None
    findings: dict[str, list[Finding]] = {}
    schema_path: Path | None = None
    connection = (
        commands.connect(commands.resolve_url(project.config, url)) if (url or schema) else None
    )
    try:
        if connection is not None:
            names: list[str] = []
            for position in positions:
                if not getattr(position.script.module, "alembic_safe_load_error", None):
                    names += impact.tables_of(project.plan(position.script, "upgrade"))
            stats = impact.live_stats(connection, names)
            connection.commit()
        findings = lint_findings(project, positions, connection)
        if schema:
            from alembic_safe.backup import schema_file as schemafile

            assert connection is not None
            schema_path = schemafile.write(project.config, project.settings, connection)
    finally:
        if connection is not None:
            connection.close()
    docs = build(project, positions, stats=stats, findings=findings)
    context = PageContext(
        settings=project.settings,
        guarded=env_is_guarded(project),
        have_stats=stats is not None,
        pages={d.revision: d.page for d in docs},
    )
    existing = _existing_pages(directory)
    result = WriteResult()
    sql_errors: list[str] = []
    for doc in docs:
        if doc.revision not in wanted:
            continue
        if not doc.load_error:
            fill_sql(project, doc)
            sql_errors += [f"{doc.revision} {d}: {e}" for d, e in doc.sql_errors.items()]
        write_page(directory, doc, render_page(doc, context), existing, result)
    log = render_log(docs, project.load_errors, root=sqlscript.project_root(project))
    write_log(directory / LOG_NAME, log, result)
    return DocResult(
        directory=directory,
        written=result.written,
        unchanged=result.unchanged,
        removed=result.removed,
        load_errors=list(project.load_errors),
        sql_errors=sql_errors,
        schema_file=schema_path,
    )
