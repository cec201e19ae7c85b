"""The linter: every rule, and :func:`lint`, which runs them over a project's revisions.

Each revision is captured offline in both directions (:mod:`alembic_safe.capture.plan`), every
rule reads the plans, then suppressions (in the file and in the configuration) and
severity overrides are applied.  A revision that cannot be captured is reported as a
finding; linting goes on with the next one.
"""

from __future__ import annotations

import difflib
import multiprocessing
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from alembic.script import Script

from alembic_safe.analysis.reversibility import downgrade_refusal
from alembic_safe.capture.plan import Plan
from alembic_safe.capture.recorder import capture
from alembic_safe.config import Settings
from alembic_safe.errors import ConfigError
from alembic_safe.rules import (  # noqa: F401  (each module registers its rules)
    columns,
    compat,
    constraints,
    destructive,
    history,
    indexes,
    locking,
    meta,
    names,
    reversibility,
    suppress,
)
from alembic_safe.rules.base import (
    DEFAULT_POSTGRES_VERSION,
    REGISTRY,
    Finding,
    HistoryFacts,
    Rule,
    RuleContext,
    Severity,
    fingerprint,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from alembic_safe.analysis.stats import LiveCatalog
    from alembic_safe.capture.project import Project

__all__ = ["REGISTRY", "Finding", "Rule", "Severity", "lint_scripts", "load_error_findings"]

Planner = Callable[[Script, str], Plan]


_ORDER: list[Rule] = []


def _ordered() -> list[Rule]:
    """The registered rules by :attr:`Rule.order` (sorted once)."""
    if len(_ORDER) != len(REGISTRY):
        _ORDER[:] = sorted(REGISTRY.values(), key=lambda r: r.order)
    return _ORDER


def validate_settings(settings: Settings) -> None:
    """Unknown rule ids in ``rules.ignore`` / ``rules.severity`` are configuration errors."""
    for rule_id in list(settings.rules_ignore) + list(settings.rules_severity):
        if rule_id not in REGISTRY:
            guess = difflib.get_close_matches(rule_id, list(REGISTRY), n=1)
            raise ConfigError(
                f"Unknown rule id {rule_id!r} in rules.ignore / rules.severity.",
                hint=(f"Did you mean {guess[0]!r}? " if guess else "")
                + "The rule ids are the names of the pages in docs/rules/.",
            )


def load_error_findings(project: Project, selected: Sequence[Script]) -> list[Finding]:
    """Findings for the project's files that fail to import and have no revision id.

    Files with an id are revisions of their own (a stand-in keeps the history connected)
    and get their ``import-error`` finding when they are linted.
    """
    listed = {str(s.path) for s in selected}
    return [
        _import_error(error.path, "", error.reason)
        for error in project.load_errors
        if error.revision is None and error.path not in listed
    ]


def lint_scripts(
    scripts: Sequence[Script],
    settings: Settings,
    *,
    planner: Planner = capture,
    connection: Connection | None = None,
    parallel: bool = True,
) -> list[Finding]:
    """Lint revision scripts in order (parents first) with ``settings``.

    ``planner`` gives the plans (the revision records' cache); long histories are linted in
    forked workers unless ``parallel`` is false (then every capture stays in this process).
    """
    validate_settings(settings)
    live: LiveCatalog | None = None
    if connection is not None:
        from alembic_safe.analysis.stats import LiveCatalog

        live = LiveCatalog(connection)
    version = settings.postgres_version or (
        live.server_version() if live is not None else DEFAULT_POSTGRES_VERSION
    )
    heads = tuple(history.unintended_heads(scripts))
    jobs = _jobs(len(scripts), connection) if parallel else 1
    if jobs > 1:
        return _lint_parallel(scripts, settings, planner, version, jobs, heads)
    facts = HistoryFacts(heads=heads)
    findings: list[Finding] = []
    for script in scripts:
        findings.extend(_lint_revision(script, settings, planner, live, version, facts))
    return findings


PARALLEL_MIN_REVISIONS = 200
"""Below this many revisions a single process is as fast as forking workers."""

_JOB: list[tuple[Sequence[Script], Settings, Planner, int, tuple[Script, ...]]] = []
"""What forked workers lint (set just before the fork; they inherit it)."""


def _jobs(count: int, connection: Connection | None) -> int:
    """Worker processes for ``count`` revisions: capture is CPU-bound, one per core."""
    wanted = os.environ.get("ALEMBIC_SAFE_JOBS", "")
    if wanted.isdigit():
        return max(1, int(wanted))
    if connection is not None or count < PARALLEL_MIN_REVISIONS:
        return 1  # live catalog reads share one connection
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # the revisions are imported modules: only a forked child inherits them
    return max(1, min(os.cpu_count() or 1, 4, count // 100))


def _lint_chunk(bounds: tuple[int, int]) -> tuple[list[Finding], HistoryFacts]:
    scripts, settings, planner, version, heads = _JOB[0]
    facts = HistoryFacts(heads=heads)
    found: list[Finding] = []
    for script in scripts[bounds[0] : bounds[1]]:
        found.extend(_lint_revision(script, settings, planner, None, version, facts))
    return found, facts


def _lint_parallel(  # noqa: PLR0917
    scripts: Sequence[Script],
    settings: Settings,
    planner: Planner,
    version: int,
    jobs: int,
    heads: tuple[Script, ...],
) -> list[Finding]:
    """Lint contiguous chunks in forked workers; carry history facts across chunk borders."""
    size = -(-len(scripts) // jobs)
    bounds = [(i, min(i + size, len(scripts))) for i in range(0, len(scripts), size)]
    _JOB[:] = [(scripts, settings, planner, version, heads)]
    try:
        with multiprocessing.get_context("fork").Pool(len(bounds)) as pool:
            results = pool.map(_lint_chunk, bounds)
    finally:
        _JOB.clear()
    findings: list[Finding] = []
    known = HistoryFacts()
    for chunk, facts in results:
        findings.extend(f for f in chunk if not known.voids(f, version))
        known.absorb(facts)
    return findings


_LINE = re.compile(r"^line (\d+)")


def _import_error(path: str, revision: str, reason: str) -> Finding:
    rule = REGISTRY["import-error"]
    match = _LINE.match(reason)
    return Finding(
        revision=revision,
        path=path,
        line=int(match.group(1)) if match else 1,
        rule=rule.id,
        severity=rule.severity,
        message=rule.message.format(reason=reason),
        suggestion=rule.suggestion,
        direction="upgrade",
        fingerprint=fingerprint(revision or path, "upgrade", rule.id, "import"),
    )


def _lint_revision(  # noqa: PLR0917
    script: Script,
    settings: Settings,
    planner: Planner,
    live: LiveCatalog | None,
    version: int,
    history: HistoryFacts,
) -> list[Finding]:
    path = str(script.path)
    load_error = getattr(script.module, "alembic_safe_load_error", None)
    if load_error:
        return [_import_error(path, script.revision, str(load_error))]
    marks = suppress.read(path)
    raw: list[Finding] = []
    plans = {direction: planner(script, direction) for direction in ("upgrade", "downgrade")}
    contexts = []
    for direction, other in (("upgrade", "downgrade"), ("downgrade", "upgrade")):
        plan = plans[direction]
        ctx = RuleContext.build(
            script,
            plan,
            settings,
            postgres_version=version,
            live=live,
            suppressions=marks,
            other_plan=plans[other],
            history=history,
        )
        contexts.append(ctx)
        for rule in _ordered():
            if direction not in rule.directions:
                continue
            try:
                raw.extend(rule.check(ctx))
            except Exception as exc:  # a rule must not stop the check of other revisions
                failed = f"rule {rule.id} failed here: {type(exc).__name__}: {exc}"
                raw.append(_gap(ctx, REGISTRY["capture-incomplete"], failed, None))
        raw.extend(_capture_gaps(ctx, refused=direction == "downgrade" and _refuses(script, plans)))
    history.learn(contexts[0].refs)
    found = _apply_suppressions(raw, marks, settings, script, path)
    found.sort(key=lambda f: (f.direction != "upgrade", f.line))
    return found


def _refuses(script: Script, plans: dict[str, Plan]) -> bool:
    """The downgrade only raises with a message: a declared refusal, not a capture gap."""
    return plans["downgrade"].error is not None and downgrade_refusal(script.module) is not None


def _capture_gaps(ctx: RuleContext, *, refused: bool = False) -> list[Finding]:
    """What offline capture could not see: each guessed read once, and where it stopped.

    A downgrade that only raises with a message declares that the revision cannot be
    reversed (:mod:`alembic_safe.analysis.reversibility`): nothing was left unchecked.
    """
    plan = ctx.plan
    rule = REGISTRY["capture-incomplete"]
    found = []
    stop = plan.error_lineno if plan.stopped else None
    if plan.stopped and not refused:
        status = plan.status()
        found.append(_gap(ctx, rule, status, plan.error_lineno))
    for read in plan.reads:
        if stop is not None and read.line == stop:
            continue  # the stop names the same line
        status = (
            f"{read.describe()}; offline the answer is empty, so what depends on it is not checked"
        )
        found.append(_gap(ctx, rule, status, read.line))
    return found


def _gap(ctx: RuleContext, rule: Rule, status: str, line: int | None) -> Finding:
    return ctx.report(
        rule,
        None,
        direction=ctx.direction,
        status=status,
        subject=_LINE_NUMBER.sub("line", status),
        line=line or ctx.function_line(),
    )


_LINE_NUMBER = re.compile(r"\bline \d+")


def _apply_suppressions(
    raw: list[Finding],
    marks: suppress.Suppressions,
    settings: Settings,
    script: Script,
    path: str,
) -> list[Finding]:
    ignored = set(settings.rules_ignore)
    result: list[Finding] = []
    for finding in raw:
        if finding.rule in ignored:
            result.append(replace(finding, suppressed="rules.ignore in the configuration"))
            continue
        directive = marks.match(finding.rule, finding.line)
        if directive is not None:
            reason = directive.reason_for(finding.rule) or "(no reason given)"
            result.append(replace(finding, suppressed=reason))
        else:
            result.append(finding)
    for directive in marks.directives:
        for rule_id in directive.rules:
            if rule_id in directive.used:
                continue
            if rule_id not in REGISTRY:
                guess = difflib.get_close_matches(rule_id, list(REGISTRY), n=1)
                what = f"unknown rule id {rule_id!r} in a suppression" + (
                    f" (did you mean {guess[0]!r}?)" if guess else ""
                )
            else:
                what = f"the suppression of {rule_id} matches no finding"
            result.append(_meta("unused-ignore", script, path, directive.line, what=what))
        missing = [r for r in directive.rules if not directive.reason_for(r)]
        if missing:
            result.append(
                _meta(
                    "ignore-without-reason",
                    script,
                    path,
                    directive.line,
                    rules=", ".join(missing),
                    first=missing[0],
                )
            )
    final: list[Finding] = []
    for item in result:
        level = settings.rules_severity.get(item.rule)
        if level == "off":
            continue
        adjusted = item
        downgraded = (
            item.severity is Severity.INFO and REGISTRY[item.rule].severity is not Severity.INFO
        )
        if level and not downgraded:
            adjusted = replace(adjusted, severity=Severity(level))
        if item.rule in ignored and item.suppressed is None:
            adjusted = replace(adjusted, suppressed="rules.ignore in the configuration")
        final.append(adjusted)
    return final


def _meta(rule_id: str, script: Script, path: str, line: int, **values: str) -> Finding:
    rule = REGISTRY[rule_id]
    return Finding(
        revision=script.revision,
        path=path,
        line=line,
        rule=rule.id,
        severity=rule.severity,
        message=rule.message.format(**values),
        suggestion=rule.suggestion.format(**values),
        direction="upgrade",
        fingerprint=fingerprint(script.revision, "upgrade", rule.id, str(sorted(values.items()))),
    )
