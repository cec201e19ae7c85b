"""``check --format sarif``: SARIF 2.1.0 for code scanning (GitHub, GitLab, IDE viewers).

One run whose driver lists the rules that have findings (with their pages as help text),
and one result per finding: level, message with the suggestion, file and line relative to
the working directory, the finding's fingerprint, and for a suppressed finding a
suppression with its reason (code scanning shows those as closed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alembic_safe.lint import CheckResult, display_path
from alembic_safe.report.rule_page import rule_command
from alembic_safe.rules import REGISTRY, Finding, Severity
from alembic_safe.version import __version__

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> dict[str, str]:
    shown = display_path(path)
    if Path(shown).is_absolute():
        return {"uri": Path(shown).as_uri()}
    return {"uri": Path(shown).as_posix(), "uriBaseId": "%SRCROOT%"}


def _rule(rule_id: str) -> dict[str, Any]:
    rule = REGISTRY.get(rule_id)
    if rule is None:  # a finding of the loader (import-error) or of a retired rule
        return {"id": rule_id, "name": rule_id}
    summary = " ".join(rule.doc_sections().get("What it does", rule_id).split("\n\n")[0].split())
    return {
        "id": rule_id,
        "name": rule_id,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": summary},
        "help": {"text": f"Run `{rule_command(rule_id)}` for the page.", "markdown": rule.doc()},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"destructive": bool(rule.destructive)},
    }


def _result(finding: Finding, index: int) -> dict[str, Any]:
    text = finding.message
    if finding.suggestion:
        text += f"\nInstead: {finding.suggestion}"
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _uri(finding.path),
                    "region": {"startLine": max(finding.line, 1)},
                }
            }
        ],
        "properties": {"revision": finding.revision, "direction": finding.direction},
    }
    if finding.fingerprint:
        result["partialFingerprints"] = {"alembicSafe/v1": finding.fingerprint}
    if finding.suppressed is not None:
        kind = (
            "external" if finding.suppressed.startswith("recorded in the baseline") else "inSource"
        )
        result["suppressions"] = [{"kind": kind, "justification": finding.suppressed}]
    return result


def render_sarif(result: CheckResult) -> str:
    """The SARIF log of ``result`` (every finding, suppressed ones marked)."""
    rule_ids = sorted({f.rule for f in result.findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "alembic-safe",
                        "version": __version__,
                        "rules": [_rule(rule_id) for rule_id in rule_ids],
                    }
                },
                "results": [_result(f, index[f.rule]) for f in result.findings],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(log, indent=2)
