"""``check --format markdown``: a pull-request comment, the same text for the same findings.

A hidden marker line (:data:`MARKER`) lets a workflow find and update its earlier comment
(a "sticky" comment).  Then the verdict, a summary table (one row per revision with active
findings: errors, warnings, info) and the findings per file, in the order ``check`` reports
them.  Nothing in it changes between runs on the same files: no time, no absolute path.
"""

from __future__ import annotations

from collections import Counter

from alembic_safe.docs.markdown import cell, code, inline
from alembic_safe.lint import CheckResult, display_path, summary
from alembic_safe.report.rule_page import rule_command
from alembic_safe.rules import Finding

MARKER = "<!-- alembic-safe check -->"


def _verdict(result: CheckResult) -> str:
    if result.load_failed:
        return "**alembic-safe check fails:** a revision file cannot be imported."
    if result.exit_code:
        return f"**alembic-safe check fails** (findings at or above {result.fail_on.value})."
    return "**alembic-safe check passes.**"


def _finding(finding: Finding) -> list[str]:
    message = inline(finding.message)
    line = (
        f"- **{finding.severity.value}** {code(finding.rule)} line {finding.line} "
        f"({finding.direction}): {message}"
    )
    lines = [line]
    if finding.suggestion:
        suggestion = finding.suggestion.strip("\n")
        if "\n" in suggestion:
            fence = "````" if "```" in suggestion else "```"
            body = [f"  {row}" if row else "" for row in suggestion.splitlines()]
            lines += ["", "  Instead:", "", f"  {fence}python", *body, f"  {fence}", ""]
        else:
            lines.append(f"  Instead: {code(suggestion)}")
    lines.append(f"  See: {code(rule_command(finding.rule))}")
    return lines


def render_markdown(result: CheckResult) -> str:
    """The comment body for ``result``."""
    lines = [MARKER, "## alembic-safe check", "", _verdict(result), "", summary(result), ""]
    active = result.active
    if active:
        by_revision: dict[tuple[str, str], Counter[str]] = {}
        for f in active:
            key = (f.revision or "?", display_path(f.path))
            by_revision.setdefault(key, Counter())[f.severity.value] += 1
        lines += [
            "| Revision | File | Errors | Warnings | Info |",
            "| --- | --- | ---: | ---: | ---: |",
        ]
        for (revision, path), counts in by_revision.items():
            lines.append(
                f"| {code(revision)} | {cell(path)} | {counts['error']} | "
                f"{counts['warning']} | {counts['info']} |"
            )
        lines.append("")
        current = None
        for f in active:
            path = display_path(f.path)
            if path != current:
                lines += ["", f"### {code(path)}", ""] if current else [f"### {code(path)}", ""]
                current = path
            lines += _finding(f)
        lines.append("")
    suppressed = len(result.findings) - len(active)
    if suppressed:
        lines.append(
            f"{suppressed} finding(s) are suppressed (a comment with a reason, a setting or "
            "the baseline); `alembic-safe check --format json` lists them."
        )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
