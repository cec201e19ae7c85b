"""The one reversibility policy: the linter, the guard and the impact page judge alike.

The guard refuses what ``RevisionRecord.reversibility`` judges not reversible (see
``alembic_safe.guard.refusal``) and the page shows the same verdict; the
``missing-downgrade`` rule reports exactly those revisions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alembic_safe.analysis.reversibility import Change, plan_change, statement_change
from alembic_safe.capture.sqlparse import parse
from alembic_safe.config import Settings
from alembic_safe.record import RevisionRecord
from tests.unit.rules.test_fixtures import FIXTURES, actual, load_script

CASES = sorted((FIXTURES / "missing-downgrade").glob("*.py"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_guard_and_the_linter_agree(path: Path) -> None:
    record = RevisionRecord(load_script(path), Settings())
    reported = any(rule == "missing-downgrade" for *_, rule in actual(path))
    assert record.reversibility.ok is not reported
    assert path.stem.startswith("bad_") is reported


@pytest.mark.parametrize(
    ("sql", "change"),
    [
        ("SET LOCAL lock_timeout = '5s'", Change.NOTHING),
        ("ALTER TABLE t VALIDATE CONSTRAINT c", Change.NOTHING),
        ("ANALYZE t", Change.NOTHING),
        ("REINDEX INDEX CONCURRENTLY ix", Change.NOTHING),
        ("REFRESH MATERIALIZED VIEW v", Change.NOTHING),
        ("UPDATE t SET a = 1 WHERE id = 2", Change.DATA),
        ("DELETE FROM t WHERE a IS NULL", Change.DATA),
        ("INSERT INTO t (a) VALUES (1)", Change.DATA),
        ("SELECT setval('t_id_seq', 10)", Change.DATA),
        ("ALTER TABLE t VALIDATE CONSTRAINT c, ADD COLUMN b int", Change.SCHEMA),
        ("CREATE INDEX ix ON t (a)", Change.SCHEMA),
        ("DROP FUNCTION f()", Change.SCHEMA),
        ("COMMENT ON TABLE t IS 'x'", Change.SCHEMA),
    ],
)
def test_what_a_statement_changes(sql: str, change: Change) -> None:
    assert statement_change(parse(sql)[0]) is change


def test_a_record_shows_the_reason_beside_a_data_fix_as_its_irreversibility() -> None:
    path = FIXTURES / "missing-downgrade" / "exempt_data_fix_with_reason.py"
    record = RevisionRecord(load_script(path), Settings())
    verdict = record.reversibility
    assert verdict.ok and verdict.data_only
    assert verdict.declared_irreversible == (
        "No downgrade needed - NULL and 50 have the same effective behavior"
    )
    assert plan_change(record.upgrade) is Change.DATA
    refusal = RevisionRecord(
        load_script(FIXTURES / "missing-downgrade" / "exempt_refusal.py"), Settings()
    ).reversibility
    assert refusal.ok and refusal.declared_irreversible == "Cannot undelete data!"
    assert refusal.change is Change.SCHEMA
