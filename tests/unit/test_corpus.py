"""The corpus: a stock Alembic project whose expected findings are written down per revision.

``tests/corpus`` is a plain ``alembic init`` project (stock env.py) with a history that
has a second root with a branch label, a merge, ``depends_on``, data migrations, a
project-specific operation and a third-party one (alembic-postgresql-enum).  Each revision
is either unsafe in one documented way or safe; ``expected.json`` lists, per revision, the
unsuppressed findings as ``severity:rule:line``.  Every unsafe case must be found and no
safe revision may get an error, and every revision must be reported on.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support import subprocess_env

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def corpus_findings() -> dict[str, list[str]]:
    """Lint the corpus in a child process (its third-party op registers itself globally)."""
    result = subprocess.run(
        [sys.executable, "-m", "alembic_safe", "check", "--format", "json"],
        cwd=CORPUS,
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=False,
    )
    assert result.returncode == 1, result.stderr
    files = sorted((CORPUS / "migrations" / "versions").glob("c*.py"))
    found: dict[str, list[str]] = {p.name.split("_")[0]: [] for p in files}
    for f in json.loads(result.stdout):
        if f["suppressed"] is None:
            found.setdefault(f["revision"], []).append(f"{f['severity']}:{f['rule']}:{f['line']}")
    return {rev: sorted(items) for rev, items in found.items()}


def test_corpus_findings_match_expectations() -> None:
    expected = json.loads((CORPUS / "expected.json").read_text())
    assert corpus_findings() == expected


def test_every_corpus_revision_is_reported_on() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "alembic_safe", "check"],
        cwd=CORPUS,
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=False,
    )
    files = list((CORPUS / "migrations" / "versions").glob("c*.py"))
    assert f"Checked {len(files)} revision(s)" in result.stdout
