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


# --------------------------------------------------------------------------- the issue-13 cases
# Each concrete revision of tests/realworld/FINDINGS.md section 4 (and the new rules), with
# what check reports there: (history, file name prefix, direction, rule) -> [(line, severity)].

Key = tuple[str, str, str, str]

EXPECTED: dict[Key, list[tuple[int, str]]] = {
    # 1. revisions that raise in offline mode stay "stopped at line N"
    ("indico", "20181023_1209_7a72d63acba9", "upgrade", "capture-incomplete"): [(21, "warning")],
    # 2. capture goes on past reads: the operations after them are checked
    ("polar", "2025-04-14-1639_remove_issue_funding", "upgrade", "capture-incomplete"): [
        (103, "warning")
    ],
    ("polar", "2025-04-14-1639_remove_issue_funding", "upgrade", "drop-table"): [
        (157, "error"),
        (162, "error"),
        (172, "error"),
    ],
    ("polar", "2024-09-19-1345_remove_product_type", "upgrade", "capture-incomplete"): [
        (74, "warning")
    ],
    ("polar", "2024-09-19-1345_remove_product_type", "upgrade", "drop-column"): [
        (178, "error"),
        (179, "error"),
    ],
    ("indico", "20191111_1820_2496c4adc7e9", "upgrade", "drop-table"): [
        (197, "error"),
        (198, "error"),
    ],
    # ... and stops, once, where the code needs the real answer
    ("prefect", "2023_01_31_110543_f98ae6d8e2cc", "upgrade", "capture-incomplete"): [
        (35, "warning")
    ],
    # 4. one wording per cause, at the line of the read
    ("dispatch", "2021-09-16_3820a792d88a", "upgrade", "capture-incomplete"): [(86, "warning")],
    ("prefect", "2022_05_26_135743_724e6dcc6b5d", "upgrade", "capture-incomplete"): [
        (35, "warning")
    ],
    # 5. filling a just-added column is a backfill, not an overwrite, and a slow step
    ("polar", "2025-03-06-1008_add_customersessioncode", "upgrade", "update-without-where"): [],
    ("polar", "2025-03-06-1008_add_customersessioncode", "upgrade", "backfill-in-transaction"): [
        (27, "warning")
    ],
    ("polar", "2025-03-06-1008_add_customersessioncode", "upgrade", "slow-steps-same-table"): [
        (28, "warning")
    ],
    ("polar", "2025-04-03-1419_add_event_ingested_at", "upgrade", "slow-steps-same-table"): [
        (41, "warning")
    ],
    ("redash", "65fc9ede4746", "upgrade", "update-without-where"): [],
    ("warehouse", "3d2b8a42219a", "upgrade", "update-without-where"): [],
    # 6. an index whose table is dropped next in the same transaction
    ("warehouse", "f2a453c96ded", "upgrade", "drop-index-non-concurrently"): [],
    (
        "polar",
        "2024-08-14-1012_remove_webhooknotification",
        "upgrade",
        "drop-index-non-concurrently",
    ): [],
    # 7. the reversibility policy: data fixes with a reason, refusals, schema changes
    ("prefect", "2022_04_21_095519_14dc68cc5853", "downgrade", "missing-downgrade"): [],
    ("polar", "2026-01-20_backfill_custom_price", "downgrade", "missing-downgrade"): [],
    ("warehouse", "7f6bed4f4345", "downgrade", "missing-downgrade"): [],
    ("warehouse", "dcf1e3986782", "downgrade", "missing-downgrade"): [(20, "error")],
    ("warehouse", "ee5b8f66a223", "downgrade", "capture-incomplete"): [],
    # 8. indexes created and dropped with schema=; an index that goes with its column
    ("indico", "20210615_1627_79e770865675", "downgrade", "incomplete-downgrade"): [],
    ("indico", "20170915_1023_1d512a9ebb30", "downgrade", "incomplete-downgrade"): [],
    # 9. a filter on a non-key column is a backfill
    ("polar", "2025-04-16-0927_rename_meter_credited", "upgrade", "backfill-in-transaction"): [
        (22, "warning")
    ],
    ("warehouse", "a2af745511e0", "upgrade", "backfill-in-transaction"): [
        (39, "warning"),
        (40, "warning"),
    ],
    # 10. a USING conversion rewrites; a plain cast with an unknown old type may
    ("indico", "20171124_1138_2af245be72a6", "upgrade", "alter-column-type"): [
        (37, "error"),
        (37, "error"),
    ],
    ("indico", "20200120_1055_e01c48de5a5e", "upgrade", "alter-column-type"): [(19, "warning")] * 4,
    # 11. findings inside batch_alter_table at the operation's line
    ("prefect", "2022_03_10_102713_2e7e1428ffce", "upgrade", "create-index-non-concurrently"): [
        (20, "error")
    ],
    # an operation registered by env.py (op.sync_enum_values) is known
    ("lemur", "b29e2c4bf8c9", "upgrade", "capture-incomplete"): [],
    # new rules on the corpus
    ("lemur", "1ae8e3104db8", "upgrade", "commit-in-migration"): [(17, "warning")],
    ("warehouse", "d142f435bb39", "upgrade", "commit-in-migration"): [(34, "warning")],
    ("prefect", "2022_05_28_081821_2fe6fe6ca16e", "upgrade", "identifier-too-long"): [
        (36, "warning"),
        (91, "warning"),
        (91, "warning"),
    ],
    ("polar", "2026-03-20-1201_make_customer_email", "upgrade", "drop-not-null"): [(25, "warning")],
    ("redash", "e7f8a917aa8e", "upgrade", "add-column-json"): [(20, "warning")],
    ("dispatch", "2023-06-05_35a2ad8b53a2", "upgrade", "drop-unique-constraint"): [(19, "warning")],
}


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(EXPECTED), ids=["/".join(k[1:]) for k in sorted(EXPECTED)])
def test_the_issue_cases_report_what_findings_md_expects(runs: CheckRuns, key: Key) -> None:
    history, prefix, direction, rule = key
    files = [p.name for p in revision_files(history) if p.name.startswith(prefix)]
    assert len(files) == 1, f"{prefix!r} names {len(files)} revision files of {history}"
    found = sorted(
        (int(f["line"]), str(f["severity"]))
        for f in runs[history].findings()
        if Path(f["path"]).name == files[0] and f["direction"] == direction and f["rule"] == rule
    )
    assert found == sorted(EXPECTED[key])


@pytest.mark.slow
def test_indico_offline_only_revisions_stay_stopped(runs: CheckRuns) -> None:
    stopped = {
        Path(f["path"]).name
        for f in runs["indico"].findings()
        if f["rule"] == "capture-incomplete"
        and f["direction"] == "upgrade"
        and "This upgrade is only possible in online mode" in str(f["message"])
    }
    assert len(stopped) == 11


@pytest.mark.slow
def test_parallel_and_sequential_checks_report_the_same(runs: CheckRuns) -> None:
    """Warehouse (288 revisions) is checked by forked workers; one process finds the same."""
    done = subprocess.run(
        [sys.executable, "-m", "alembic_safe", "check", "--format", "json"],
        cwd=REALWORLD / "warehouse",
        capture_output=True,
        text=True,
        env=subprocess_env({"ALEMBIC_SAFE_JOBS": "1"}),
        check=False,
    )
    sequential = CheckRun(done.returncode, done.stdout, done.stderr).findings()
    assert sequential == runs["warehouse"].findings()
