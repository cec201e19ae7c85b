"""check's output formats (text colour, sarif, markdown), the rule command and pre-commit."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import yaml

from alembic_safe.cli import main
from alembic_safe.lint import CheckResult, render_text
from alembic_safe.report import formats
from alembic_safe.report.markdown import MARKER, render_markdown
from alembic_safe.report.sarif import render_sarif
from alembic_safe.report.style import wants_colour
from alembic_safe.rules import Finding, Severity

REPO = Path(__file__).resolve().parents[2]


def _result() -> CheckResult:
    findings = [
        Finding(
            revision="3f2a",
            path="migrations/versions/3f2a_index.py",
            line=14,
            rule="create-index-non-concurrently",
            severity=Severity.ERROR,
            message='CREATE INDEX on "users" blocks writes to "users" until the index is built',
            suggestion='op.create_index_concurrently("ix_users_email", "users", ["email"])',
            fingerprint="abc123",
        ),
        Finding(
            revision="3f2a",
            path="migrations/versions/3f2a_index.py",
            line=20,
            rule="incomplete-downgrade",
            severity=Severity.WARNING,
            message="downgrade() does not drop what upgrade() creates",
            suggestion='add to downgrade():\nop.drop_index("ix")',
            direction="downgrade",
        ),
        Finding(
            revision="0001",
            path="migrations/versions/0001_drop.py",
            line=9,
            rule="drop-column",
            severity=Severity.ERROR,
            message='drops column "users"."legacy"',
            suggestion="",
            suppressed="unused since v42",
        ),
    ]
    return CheckResult(findings, revisions=2, fail_on=Severity.ERROR)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    assert wants_colour(_Tty(), {}) is True
    assert wants_colour(_Tty(), {"NO_COLOR": "1"}) is False
    assert wants_colour(io.StringIO(), {}) is False  # a pipe or a file
    assert wants_colour(io.StringIO(), {"FORCE_COLOR": "1"}) is True
    assert wants_colour(_Tty(), {"TERM": "dumb"}) is False
    plain, coloured = render_text(_result()), render_text(_result(), colour=True)
    assert "\x1b[" not in plain and "\x1b[1;31merror\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_text_names_the_rule_command_not_a_relative_path() -> None:
    text = render_text(_result())
    assert "  See: alembic-safe rule create-index-non-concurrently" in text
    assert "docs/rules" not in text


def test_sarif_is_a_code_scanning_log() -> None:
    log = json.loads(render_sarif(_result()))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run = log["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules == sorted({"create-index-non-concurrently", "incomplete-downgrade", "drop-column"})
    first = run["results"][0]
    assert first["ruleId"] == "create-index-non-concurrently" and first["level"] == "error"
    assert rules[first["ruleIndex"]] == first["ruleId"]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "migrations/versions/3f2a_index.py",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {"startLine": 14}
    assert first["partialFingerprints"] == {"alembicSafe/v1": "abc123"}
    assert "Instead: op.create_index_concurrently" in first["message"]["text"]
    assert run["results"][1]["level"] == "warning"
    assert run["results"][2]["suppressions"] == [
        {"kind": "inSource", "justification": "unused since v42"}
    ]
    described = run["tool"]["driver"]["rules"][0]
    assert described["help"]["markdown"].startswith("## What it does")


def test_markdown_is_a_stable_pull_request_comment() -> None:
    body = render_markdown(_result())
    assert body == render_markdown(_result())  # the same findings, the same bytes
    lines = body.splitlines()
    assert lines[0] == MARKER and lines[1] == "## alembic-safe check"
    assert "**alembic-safe check fails** (findings at or above error)." in lines
    assert "| `3f2a` | migrations/versions/3f2a_index.py | 1 | 1 | 0 |" in lines
    assert "0001" not in body.split("### ")[0]  # suppressed: not in the table
    assert (
        '  Instead: `op.create_index_concurrently("ix_users_email", "users", ["email"])`' in lines
    )
    assert "  See: `alembic-safe rule create-index-non-concurrently`" in lines
    assert "1 finding(s) are suppressed" in body
    clean = render_markdown(CheckResult([], revisions=3, fail_on=Severity.ERROR))
    assert "**alembic-safe check passes.**" in clean and "|" not in clean


def test_every_format_renders() -> None:
    for name in formats.FORMATS:
        assert formats.render(name, _result())


def test_rule_command_prints_the_page_or_names_the_closest_rule(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rule", "drop-column"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("# drop-column\n") and "## Why is this bad?" in page
    assert main(["rule", "drop-colum"]) == 2
    err = capsys.readouterr().err
    assert "There is no rule 'drop-colum'." in err and "Did you mean 'drop-column'?" in err
    assert main(["rule", "--all"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert any(line.startswith("drop-column ") and " error " in line for line in listing)


def test_check_takes_one_range_or_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "a:b", "c:"]) == 2
    assert "check takes one revision range or revision files" in capsys.readouterr().err


def test_pre_commit_hooks_run_check_on_revision_files() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["alembic-safe-check", "alembic-safe-check-system"]
    for hook in hooks:
        assert hook["entry"] == "alembic-safe check"
        files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
        assert files.search("migrations/versions/3f2a_add_index.py")
        assert files.search("versions/3f2a.py")
        assert not files.search("app/models.py")
        assert exclude.search("migrations/versions/__init__.py")
