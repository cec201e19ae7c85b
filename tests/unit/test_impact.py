"""Locks, rewrites, scans and downtime read from SQL, without a database."""

from __future__ import annotations

import pytest

from alembic_safe.analysis import impact
from alembic_safe.analysis.impact import Downtime
from alembic_safe.analysis.stats import TableStats
from alembic_safe.capture.plan import Plan, Step, finish_step


def plan_of(*sql: str, in_transaction: bool = True) -> Plan:
    steps = []
    for index, chunk in enumerate(sql):
        step = Step(index, "execute", None, index + 10, in_transaction, [chunk])
        finish_step(step)
        steps.append(step)
    return Plan("r1", "upgrade", "r1.py", steps=steps)


SMALL = {"users": TableStats("users", True, 500, 65536, "r")}
LARGE = {"users": TableStats("users", True, 2_000_000, 10**9, "r")}


@pytest.mark.parametrize(
    ("sql", "without", "small", "large"),
    [
        ("ALTER TABLE users ALTER COLUMN email SET NOT NULL", "yes", "brief", "yes"),
        ("CREATE INDEX ix ON users (email)", "yes", "brief", "yes"),
        ("CREATE INDEX CONCURRENTLY ix ON users (email)", "no", "no", "no"),
        ("ALTER TABLE users ADD COLUMN phone varchar(20)", "brief", "brief", "brief"),
        (
            "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()",
            "yes",
            "brief",
            "yes",
        ),
        ("ALTER TABLE users ADD COLUMN n serial", "yes", "brief", "yes"),
        ("ALTER TABLE users ADD CONSTRAINT c CHECK (id > 0) NOT VALID", "brief", "brief", "brief"),
        ("ALTER TABLE users VALIDATE CONSTRAINT c", "no", "no", "no"),
        ("UPDATE users SET phone = ''", "yes", "brief", "yes"),
        ("UPDATE users SET phone = '' WHERE id < 10", "brief", "brief", "brief"),
        ("VACUUM FULL users", "yes", "brief", "yes"),
        ("SELECT 1", "no", "no", "no"),
    ],
)
def test_downtime_depends_on_the_lock_the_work_and_the_table_size(
    sql: str, without: str, small: str, large: str
) -> None:
    plan = plan_of(sql)
    assert impact.analyse(plan).downtime.value == without
    assert impact.analyse(plan, SMALL).downtime.value == small
    assert impact.analyse(plan, LARGE).downtime.value == large


def test_a_foreign_key_locks_both_tables_and_scans_the_referencing_one() -> None:
    result = impact.analyse(
        plan_of("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id)")
    )
    (step,) = result.steps
    (lock,) = step.locks
    assert (lock.lock, lock.tables) == ("SHARE ROW EXCLUSIVE", ("orders", "users"))
    assert lock.blocks.startswith("writes")
    assert [(c.kind, c.table) for c in step.costs] == [("scan", "orders")]
    assert result.tables["users"].actions == ['referenced by new foreign key "fk" of "orders"']
    not_valid = impact.analyse(
        plan_of(
            "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID"
        )
    )
    assert not_valid.costs == []
    assert not_valid.downtime is Downtime.BRIEF


def test_tables_created_in_the_revision_do_not_count() -> None:
    result = impact.analyse(
        plan_of(
            "CREATE TABLE audit (id int, at timestamptz)",
            "CREATE INDEX ix_audit_at ON audit (at)",
            "ALTER TABLE audit ALTER COLUMN at SET NOT NULL",
        )
    )
    assert result.downtime is Downtime.NO
    assert result.tables["audit"].created
    assert result.tables["audit"].rows_text(have_stats=True) == "new table"
    assert result.costs == []


def test_a_type_change_without_the_old_type_may_rewrite() -> None:
    (step,) = impact.analyse(plan_of("ALTER TABLE users ALTER COLUMN id TYPE bigint")).steps
    (cost,) = step.costs
    assert cost.kind == "rewrite" and "existing_type" in cost.what


def test_an_incomplete_capture_makes_downtime_unknown() -> None:
    plan = plan_of("ALTER TABLE users ADD COLUMN phone text")
    plan.needs_database = "line 12: reads query results (fetchall) of: SELECT 1"
    result = impact.analyse(plan)
    assert result.downtime is Downtime.UNKNOWN
    assert any("offline capture is incomplete" in r for r in result.downtime_reasons)


def test_row_estimates_read_as_words() -> None:
    assert impact.rows_text(TableStats("t", True, 1_234_567, 10, "r")) == "~1.2M"
    assert impact.rows_text(TableStats("t", True, None, 10, "r")).startswith(
        "unknown (never analyzed"
    )
    assert impact.rows_text(TableStats("t", False)) == "table not found in the database"
    stats = impact.TableImpact("t", stats=None)
    assert stats.rows_text(have_stats=False) == "unknown (run with --url)"


def test_each_step_has_one_plain_line() -> None:
    (step,) = impact.analyse(plan_of("UPDATE users SET phone = '' WHERE phone IS NULL")).steps
    assert step.change == "Run SQL: `UPDATE users SET phone = '' WHERE phone IS NULL`"
