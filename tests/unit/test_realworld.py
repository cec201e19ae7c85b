"""``alembic-safe check`` on real Alembic histories that this project did not write.

``tests/realworld/<project>`` holds seven public projects' revision directories as published,
each with a stock env.py and stand-ins for the project's own modules (see its README).  On each:
the check ends with exit code 0 or 1 (2 only where a file is known not to import), never a
traceback; it reports on every revision file; every file imports except the known ones; and
``--format json`` prints one JSON array whatever the revisions print themselves.

One check run per history, shared by the tests (a module-scoped cache).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support import subprocess_env

REALWORLD = Path(__file__).resolve().parents[1] / "realworld"
HISTORIES = sorted(p.parent.name for p in REALWORLD.glob("*/alembic.ini"))

KNOWN_LOAD_FAILURES: dict[str, set[str]] = {
    # imports TypedDict from sqlalchemy.util.typing, a private module that SQLAlchemy 2.1
    # (which alembic-safe supports) no longer has it in; Polar pins an older SQLAlchemy
    "polar": {"2025-06-19-1515_add_payout_paid_at.py"},
}

PRINTING_REVISIONS: dict[str, str] = {
    # revisions whose upgrade()/downgrade() call print(): the text goes to standard error,
    # so standard output stays one JSON array
    "dispatch": "2021-11-18_ce5c4ac967d8.py, 2022-05-23_748744207122.py, 2022-10-26_4b65941d065a.py"
    " and 2023-01-30_e4b4991dddcd.py print progress lines",
    "lemur": "ce547319f7be_.py, 5770674184de_.py and 3adfdd6598df_.py print progress lines",
    "redash": "969126bd800f_.py prints 'Updating dashboards position data:'",
}


@dataclass(frozen=True)
class CheckRun:
    returncode: int
    stdout: str
    stderr: str

    def findings(self) -> list[dict[str, Any]]:
        """The JSON array, skipping any lines a revision printed before it."""
        lines = self.stdout.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("["))
        found: list[dict[str, Any]] = json.loads("\n".join(lines[start:]))
        return found


class CheckRuns:
    """``alembic-safe check --format json`` run once per history, on first use."""

    def __init__(self) -> None:
        self._runs: dict[str, CheckRun] = {}

    def __getitem__(self, history: str) -> CheckRun:
        if history not in self._runs:
            done = subprocess.run(
                [sys.executable, "-m", "alembic_safe", "check", "--format", "json"],
                cwd=REALWORLD / history,
                capture_output=True,
                text=True,
                env=subprocess_env(),
                check=False,
            )
            self._runs[history] = CheckRun(done.returncode, done.stdout, done.stderr)
        return self._runs[history]


@pytest.fixture(scope="module")
def runs() -> CheckRuns:
    return CheckRuns()


def revision_files(history: str) -> list[Path]:
    return sorted((REALWORLD / history / "migrations" / "versions").glob("*.py"))


def test_the_corpus_is_the_documented_one() -> None:
    assert HISTORIES == ["dispatch", "indico", "lemur", "polar", "prefect", "redash", "warehouse"]
    assert sum(len(revision_files(h)) for h in HISTORIES) == 1255
    for history in HISTORIES:
        assert (REALWORLD / history / "LICENSE").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("history", HISTORIES)
def test_check_ends_with_a_verdict_not_a_crash(runs: CheckRuns, history: str) -> None:
    run = runs[history]
    allowed = {0, 1, 2} if KNOWN_LOAD_FAILURES.get(history) else {0, 1}
    assert run.returncode in allowed, run.stderr[-3000:]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert "internal error" not in run.stderr, run.stderr[-3000:]
    assert f"Checked {len(revision_files(history))} revision(s)" in run.stderr


@pytest.mark.slow
@pytest.mark.parametrize("history", HISTORIES)
def test_every_revision_file_imports_but_the_known_ones(runs: CheckRuns, history: str) -> None:
    failed = {Path(f["path"]).name for f in runs[history].findings() if f["rule"] == "import-error"}
    assert failed == KNOWN_LOAD_FAILURES.get(history, set())


@pytest.mark.slow
@pytest.mark.parametrize("history", HISTORIES)
def test_every_finding_has_the_documented_fields(runs: CheckRuns, history: str) -> None:
    findings = runs[history].findings()
    assert findings, f"{history}: no finding at all on a real history"
    required = {"revision", "path", "line", "rule", "severity", "message", "suggestion"}
    for finding in findings:
        assert required <= finding.keys(), finding
        assert finding["severity"] in {"error", "warning", "info"}, finding


@pytest.mark.slow
@pytest.mark.parametrize(
    "history",
    HISTORIES,
)
def test_json_output_parses_whatever_revisions_print(runs: CheckRuns, history: str) -> None:
    parsed = json.loads(runs[history].stdout)
    assert isinstance(parsed, list)
    assert parsed == runs[history].findings()
    if history in PRINTING_REVISIONS:
        assert runs[history].stderr.strip(), "what the revisions print goes to standard error"
