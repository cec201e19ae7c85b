"""The guarded ``alembic upgrade`` against a real PostgreSQL server.

Every refusal and fault ends with a clear message, a non-zero exit, no traceback and the
database exactly as before (catalog and data snapshot; the history table excepted).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import Database, Project, new_database, output, psql_program

CREATE_ACCOUNTS = """
op.create_table(
    "accounts",
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
)
op.execute("INSERT INTO accounts (name) VALUES ('ann'), ('bob')")
"""
DROP_ACCOUNTS = 'op.drop_table("accounts")'
FAST_LOCKS = (
    "-x",
    "lock_timeout=200ms",
    "-x",
    "lock_retry_delay=100ms",
    "-x",
    "lock_wait_budget=1s",
)


def db(project: Project) -> Database:
    assert project.database is not None
    return project.database


def assert_clean_failure(result: subprocess.CompletedProcess[str], *phrases: str) -> str:
    text = output(result)
    assert result.returncode != 0, text
    assert "Traceback" not in text, text
    assert "FAILED:" in text, text
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} not in:\n{text}"
    return text


def applied(project: Project) -> list[tuple[str, str]]:
    return [
        (h["revision"], h["direction"]) for h in db(project).history() if h["outcome"] == "applied"
    ]


# ---------------------------------------------------------------- the happy path


def test_upgrade_checks_preconditions_and_verify_and_records_history(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    project.add(
        "r2",
        'op.add_column("accounts", sa.Column("email", sa.Text()))',
        'op.drop_column("accounts", "email")',
        extra="""
def preconditions():
    op.require_sql("SELECT count(*) FROM accounts", equals=2)


def verify():
    op.require_column("accounts", "email", nullable=True)
""",
    )
    result = project.alembic("upgrade", "head")
    text = output(result)
    assert result.returncode == 0, text
    assert "upgrade r2" in text and "precondition(s) hold" in text and "post-check(s) hold" in text
    assert db(project).version() == ["r2"]
    rows = db(project).history()
    assert [(r["revision"], r["from_revision"], r["to_revision"], r["outcome"]) for r in rows] == [
        ("r1", None, "r1", "applied"),
        ("r2", "r1", "r2", "applied"),
    ]
    assert all(r["duration_ms"] is not None and "@" in r["who"] for r in rows)

    again = project.alembic("upgrade", "head")
    assert again.returncode == 0 and "nothing to do" in output(again)


def test_downgrade_runs_through_the_guard_and_needs_confirmation_to_drop(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    assert project.alembic("upgrade", "head").returncode == 0
    before = db(project).snapshot()
    refused = project.alembic("downgrade", "base")
    assert_clean_failure(refused, "drops table", "-x confirm=r1 downgrade")
    assert db(project).snapshot() == before
    done = project.alembic("-x", "confirm=r1", "downgrade", "base")
    assert done.returncode == 0, output(done)
    assert db(project).version() == []
    assert ("r1", "downgrade") in applied(project)


# ---------------------------------------------------------------- refusals: downgrade


@pytest.mark.parametrize(
    ("downgrade", "extra", "problem"),
    [
        ("pass", "", "empty downgrade() (pass)"),
        ('"""Nothing to undo."""', "", "empty downgrade() (only docstring)"),
        ("raise NotImplementedError()", "", "raises NotImplementedError"),
        ("raise NotImplementedError", "", "raises NotImplementedError"),
        ("pass", "irreversible = True", "not a reason"),
    ],
)
def test_refuses_revision_without_real_downgrade(
    project: Project, downgrade: str, extra: str, problem: str
) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    project.add(
        "r2", 'op.add_column("accounts", sa.Column("x", sa.Integer))', downgrade, extra=extra
    )
    before = db(project).snapshot()
    text = assert_clean_failure(
        project.alembic("upgrade", "head"), "r2", problem, "nothing was applied"
    )
    assert "irreversible" in text
    assert db(project).snapshot() == before
    assert db(project).version() == []
    refused = [h for h in db(project).history() if h["outcome"] == "refused"]
    assert [h["revision"] for h in refused] == ["r2"]


def test_refuses_revision_with_no_downgrade_function(project: Project) -> None:
    path = project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    path.write_text(path.read_text().split("def downgrade():")[0])
    assert_clean_failure(project.alembic("upgrade", "head"), "has no downgrade() function")
    assert db(project).version() == []


def test_irreversible_with_a_reason_is_accepted(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    project.add(
        "r2",
        'op.execute("UPDATE accounts SET name = upper(name) WHERE id > 0")',
        "raise NotImplementedError",
        extra='irreversible = "original spelling of names is not kept"',
    )
    result = project.alembic("upgrade", "head")
    assert result.returncode == 0, output(result)
    assert db(project).scalar("SELECT name FROM accounts ORDER BY id LIMIT 1") == "ANN"
    refused = project.alembic("downgrade", "r1")
    assert_clean_failure(
        refused, "declares itself irreversible", "original spelling", "-x confirm=r2 downgrade r1"
    )
    assert db(project).version() == ["r2"]
    forced = project.alembic("-x", "confirm=r2", "downgrade", "r1")  # confirmed: its downgrade runs
    assert_clean_failure(forced, "NotImplementedError", "rolled back")
    assert db(project).version() == ["r2"]


def test_merge_revision_with_empty_downgrade_is_accepted(project: Project) -> None:
    project.add("base1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    project.add(
        "left",
        'op.add_column("accounts", sa.Column("l", sa.Integer))',
        'op.drop_column("accounts", "l")',
        down="base1",
    )
    project.add(
        "right",
        'op.add_column("accounts", sa.Column("r", sa.Integer))',
        'op.drop_column("accounts", "r")',
        down="base1",
    )
    project.add("merge", "pass", "pass", down=("left", "right"))
    result = project.alembic("upgrade", "head")
    assert result.returncode == 0, output(result)
    assert db(project).version() == ["merge"]


# ---------------------------------------------------------------- refusals: destructive steps


def test_unconfirmed_destructive_step_in_later_revision_applies_nothing(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    project.add(
        "r2",
        'op.add_column("accounts", sa.Column("email", sa.Text()))',
        'op.drop_column("accounts", "email")',
    )
    project.add(
        "r3",
        'op.drop_column("accounts", "name")',
        'op.add_column("accounts", sa.Column("name", sa.String(100)))',
    )
    before = db(project).snapshot()
    text = assert_clean_failure(
        project.alembic("upgrade", "head"),
        "r3",
        'drops column "accounts"."name"',
        "-x confirm=r3 upgrade",
        "nothing was applied",
    )
    assert "line " in text  # the step's line in the revision file
    assert db(project).snapshot() == before  # r1 and r2 did not run either
    assert db(project).version() == []

    result = project.alembic("-x", "confirm=r3", "upgrade", "head")
    assert result.returncode == 0, output(result)
    assert db(project).version() == ["r3"]


def test_confirmation_accepts_a_unique_prefix(project: Project) -> None:
    project.add("abcdef123456", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    project.add("fedcba654321", 'op.drop_table("accounts")', CREATE_ACCOUNTS)
    result = project.alembic("-x", "confirm=fedc", "upgrade", "head")
    assert result.returncode == 0, output(result)


@pytest.mark.parametrize(
    ("sql", "destructive"),
    [
        ("TRUNCATE accounts", "truncates accounts"),
        ("DELETE FROM accounts", "deletes every row"),
        ("UPDATE accounts SET name = 'x'", "overwrites name in every row"),
        ("SELECT 1; DELETE FROM accounts; SELECT 2", "deletes every row"),
        ("DELETE FROM accounts WHERE id = 1", None),
        ("UPDATE accounts SET name = 'x' WHERE id = 2", None),
    ],
)
def test_raw_sql_destructive_statements_need_confirmation(
    project: Project, sql: str, destructive: str | None
) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    assert project.alembic("upgrade", "head").returncode == 0
    project.add("r2", f"op.execute({sql!r})", 'op.execute("SELECT 1")')
    before = db(project).snapshot()
    result = project.alembic("upgrade", "head")
    if destructive:
        assert_clean_failure(result, destructive, "confirm=r2")
        assert db(project).snapshot() == before
    else:
        assert result.returncode == 0, output(result)


def test_type_narrowing_is_destructive_with_or_without_existing_type(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    assert project.alembic("upgrade", "head").returncode == 0
    project.add(
        "r2",
        'op.alter_column("accounts", "name", type_=sa.String(10))',  # old type only in the catalog
        'op.alter_column("accounts", "name", type_=sa.String(100))',
    )
    assert_clean_failure(
        project.alembic("upgrade", "head"), "narrows", "varchar(100) -> varchar(10)"
    )
    project.add(
        "r3",
        'op.alter_column("accounts", "name", type_=sa.Text(), existing_type=sa.String(10))',
        'op.alter_column("accounts", "name", type_=sa.String(10), existing_type=sa.Text())',
    )
    text = assert_clean_failure(project.alembic("upgrade", "head"), "r2")
    refusal = text.split("nobody confirmed")[1]
    assert 'r3 "revision r3"' not in refusal  # widening to text is not destructive
    result = project.alembic("-x", "confirm=r2", "upgrade", "head")
    assert result.returncode == 0, output(result)


# ---------------------------------------------------------------- preconditions and verify


def test_failing_explicit_precondition_rolls_back_and_says_expected_and_found(
    project: Project,
) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    assert project.alembic("upgrade", "head").returncode == 0
    project.add(
        "r2",
        'op.add_column("accounts", sa.Column("email", sa.Text()))',
        'op.drop_column("accounts", "email")',
        extra="""
def preconditions():
    op.require_sql("SELECT count(*) FROM accounts", equals=5, message="five accounts")
""",
    )
    before = db(project).snapshot()
    assert_clean_failure(
        project.alembic("upgrade", "head"),
        "Precondition failed",
        "five accounts",
        "expected 5, found 2",
        "rolled back",
        "stays at r1",
    )
    assert db(project).snapshot() == before
    assert db(project).history()[-1]["outcome"] == "failed"


def test_derived_precondition_catches_a_column_added_by_hand(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    assert project.alembic("upgrade", "head").returncode == 0
    db(project).execute("ALTER TABLE accounts ADD COLUMN email text")
    project.add(
        "r2",
        'op.add_column("accounts", sa.Column("email", sa.Text()))',
        'op.drop_column("accounts", "email")',
    )
    before = db(project).snapshot()
    assert_clean_failure(
        project.alembic("upgrade", "head"),
        'column "accounts"."email" does not exist',
        "expected absent, found present",
        "derived from add_column at line",
    )
    assert db(project).snapshot() == before


def test_precondition_that_raises_is_reported_with_its_line(project: Project) -> None:
    project.add(
        "r1",
        CREATE_ACCOUNTS,
        DROP_ACCOUNTS,
        extra="""
def preconditions():
    assert False, "the maintenance window is closed"
""",
    )
    assert_clean_failure(
        project.alembic("upgrade", "head"), "preconditions()", "maintenance window", "at line"
    )
    assert db(project).version() == []


def test_failing_verify_rolls_the_revision_back(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    assert project.alembic("upgrade", "head").returncode == 0
    project.add(
        "r2",
        'op.add_column("accounts", sa.Column("email", sa.Text()))',
        'op.drop_column("accounts", "email")',
        extra="""
def verify():
    op.require_column("accounts", "email", nullable=False)
""",
    )
    before = db(project).snapshot()
    assert_clean_failure(
        project.alembic("upgrade", "head"),
        "Verification failed",
        "expected NOT NULL, found nullable",
        "rolled back",
    )
    assert db(project).snapshot() == before  # the added column is gone again
    assert db(project).version() == ["r1"]


def test_sql_error_in_upgrade_is_reported_with_line_and_rolled_back(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    assert project.alembic("upgrade", "head").returncode == 0
    project.add(
        "r2",
        'op.add_column("accounts", sa.Column("email", sa.Text()))\nop.execute("INSERT INTO nowhere VALUES (1)")',
        'op.drop_column("accounts", "email")',
    )
    before = db(project).snapshot()
    assert_clean_failure(
        project.alembic("upgrade", "head"), "r2", "at line", "nowhere", "rolled back"
    )
    assert db(project).snapshot() == before


def test_statement_timeout_cancels_and_explains(project: Project) -> None:
    project.add("r1", 'op.execute("SELECT pg_sleep(3)")', 'op.execute("SELECT 1")')
    result = project.alembic("-x", "statement_timeout=300ms", "upgrade", "head")
    assert_clean_failure(result, "statement_timeout", "rolled back")
    assert db(project).version() == []


# ---------------------------------------------------------------- locks


def _hold_access_share(database: Database) -> object:
    conn = database.connect()
    conn.execute("SELECT count(*) FROM accounts")  # ACCESS SHARE until the transaction ends
    return conn


def test_lock_held_by_open_transaction_is_waited_for_outside_the_queue_then_fails_cleanly(
    project: Project,
) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    assert project.alembic("upgrade", "head").returncode == 0
    project.add(
        "r2",
        'op.add_column("accounts", sa.Column("email", sa.Text()))',
        'op.drop_column("accounts", "email")',
    )
    holder = db(project).connect()
    holder.execute("SELECT count(*) FROM accounts /* report me */")
    pid = holder.info.backend_pid
    before = db(project).snapshot()
    try:
        result = project.alembic(*FAST_LOCKS, "-x", "lock_retries=2", "upgrade", "head")
        assert_clean_failure(
            result,
            'Revision r2 "revision r2"',
            'could not take ACCESS EXCLUSIVE on "accounts" within lock_wait_budget',
            "waiting outside the lock queue",
            "were not queued behind the migration",
            f"pid {pid}",
            "report me",
            "in a transaction open for",
            "rolled back",
            "stays at r1",
        )
    finally:
        holder.rollback()
        holder.close()
    assert db(project).snapshot() == before
    failed = db(project).history()[-1]
    assert (failed["revision"], failed["outcome"], failed["attempts"]) == ("r2", "failed", 1)


def test_lock_released_while_waiting_outside_the_queue_lets_the_revision_succeed(
    project: Project,
) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    assert project.alembic("upgrade", "head").returncode == 0
    project.add(
        "r2",
        'op.add_column("accounts", sa.Column("email", sa.Text()))',
        'op.drop_column("accounts", "email")',
    )
    holder = db(project).connect()
    holder.execute("SELECT count(*) FROM accounts")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "alembic",
            *FAST_LOCKS,
            "-x",
            "lock_wait_budget=60s",
            "upgrade",
            "head",
        ],
        cwd=project.root,
        env=project.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    queued = 0
    try:
        # while the blocker holds its lock, the guard waits without ever queueing a request
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and proc.poll() is None:
            queued += db(project).scalar(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                " WHERE NOT l.granted AND a.application_name = 'alembic-safe'"
            )
            time.sleep(0.02)
    finally:
        holder.rollback()
        holder.close()
    text, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, text
    assert queued == 0, "the migration's lock request joined the queue behind the blocker"
    assert "waiting outside the lock queue" in text
    row = db(project).history()[-1]
    assert (row["revision"], row["outcome"]) == ("r2", "applied")


def test_three_concurrent_upgrades_apply_each_revision_exactly_once(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS + '\nop.execute("SELECT pg_sleep(1)")', DROP_ACCOUNTS)
    project.add(
        "r2",
        'op.add_column("accounts", sa.Column("email", sa.Text()))',
        'op.drop_column("accounts", "email")',
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "alembic", "upgrade", "head"],
            cwd=project.root,
            env=project.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    assert sorted(applied(project)) == [("r1", "upgrade"), ("r2", "upgrade")]
    assert sum("waiting for the migration lock" in o for o in outputs) >= 1
    assert sum("nothing to do" in o for o in outputs) == 2
    assert db(project).version() == ["r2"]


def test_sigkill_in_the_middle_of_a_revision_keeps_the_previous_revision(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    project.add(
        "r2",
        """
op.create_table("audit", sa.Column("id", sa.Integer, primary_key=True))
op.execute("SELECT pg_sleep(coalesce(current_setting('test.sleep', true), '0')::float)")
""",
        'op.drop_table("audit")',
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=project.root,
        env=project.env(PGOPTIONS="-c test.sleep=60"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        sleeping = db(project).scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(coalesce%' AND pid <> pg_backend_pid()"
        )
        if sleeping:
            break
        time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("the slow revision never started")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    killed = time.monotonic()
    # the guard sets client_connection_check_interval: the server notices the dead client
    # within about a second, cancels the statement, rolls back and frees the deploy lock
    while time.monotonic() < killed + 20 and db(project).scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'alembic-safe'"
    ):
        time.sleep(0.1)
    assert time.monotonic() - killed < 10, "the orphaned migration kept running"
    assert db(project).version() == ["r1"]
    assert db(project).scalar("SELECT to_regclass('audit') IS NULL") is True
    rerun = project.alembic("upgrade", "head")  # the deploy lock died with the session
    assert rerun.returncode == 0, output(rerun)
    assert db(project).version() == ["r2"]


PARTIAL_UPGRADE = """
op.add_column("accounts", sa.Column("h1", sa.Integer))
op.create_index_concurrently("ix_accounts_h1", "accounts", ["h1"])
op.execute("UPDATE accounts SET h1 = 1 WHERE id > 0")
if not context.is_offline_mode() and os.environ.get("TEST_BOOM"):
    raise RuntimeError("boom after the concurrent build")
"""
PARTIAL_DOWNGRADE = """
op.drop_index_concurrently("ix_accounts_h1", "accounts")
op.drop_column("accounts", "h1")
"""


def test_partly_committed_revision_is_reported_recorded_and_finished_by_a_rerun(
    project: Project,
) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    path = project.add(
        "r2", PARTIAL_UPGRADE, PARTIAL_DOWNGRADE, extra="import os\nfrom alembic import context"
    )
    lines = path.read_text().splitlines()

    def line(fragment: str) -> int:
        return next(n for n, text in enumerate(lines, 1) if fragment in text)

    text = assert_clean_failure(
        project.alembic("upgrade", "head", TEST_BOOM="1"),
        f"failed at line {line('raise RuntimeError')}: RuntimeError: boom after the concurrent",
        "It stopped part-way: 2 of its 3 operation(s) are committed",
        f"Committed:\n    step 1 add_column (line {line('op.add_column')}): ALTER TABLE "
        "accounts ADD COLUMN h1 INTEGER",
        f"step 2 create_index_concurrently (line {line('op.create_index_concurrently')})",
        f"Rolled back:\n    step 3 execute (line {line('UPDATE accounts')}): UPDATE accounts",
        "The database stays at r1",
        "it skips the committed steps",
    )
    assert "It was rolled back" not in text and "PendingRollbackError" not in text
    assert db(project).version() == ["r1"]
    assert db(project).scalar("SELECT count(*) FROM accounts WHERE h1 IS NOT NULL") == 0
    assert db(project).scalar(
        "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_accounts_h1'::regclass"
    )
    row = db(project).history()[-1]
    assert (row["revision"], row["outcome"]) == ("r2", "partial")
    assert "step 1 add_column" in row["message"] and "Rolled back" in row["message"]
    states = [(s["number"], s["name"], s["state"]) for s in row["progress"]["steps"]]
    assert states == [
        (1, "add_column", "committed"),
        (2, "create_index_concurrently", "committed"),
        (3, "execute", "rolled back"),
    ]

    again = project.alembic("upgrade", "head", TEST_BOOM="1")  # fails again, after the skip
    assert again.returncode != 0 and "committed step(s) 1, 2; they are skipped" in output(again)
    assert "Committed by the earlier run:" in output(again)
    states = [s["state"] for s in db(project).history()[-1]["progress"]["steps"]]
    assert states == ["committed earlier", "committed earlier", "rolled back"]

    rerun = project.alembic("upgrade", "head")

    assert rerun.returncode == 0, output(rerun)
    assert "committed step(s) 1, 2; they are skipped" in output(rerun)
    assert db(project).version() == ["r2"]
    assert db(project).scalar("SELECT count(*) FROM accounts WHERE h1 = 1") == 2
    assert db(project).scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid") == 0
    last = db(project).history()[-1]
    assert (last["revision"], last["outcome"]) == ("r2", "applied")
    assert [s["state"] for s in last["progress"]["steps"]] == [
        "committed earlier",
        "committed earlier",
        "committed",
    ]
    down = project.alembic("-x", "confirm=r2", "downgrade", "r1")
    assert down.returncode == 0, output(down)
    assert db(project).version() == ["r1"]


def test_rerun_refuses_when_a_committed_step_was_changed_in_the_file(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    path = project.add(
        "r2", PARTIAL_UPGRADE, PARTIAL_DOWNGRADE, extra="import os\nfrom alembic import context"
    )
    assert project.alembic("upgrade", "head", TEST_BOOM="1").returncode != 0
    path.write_text(
        path.read_text().replace('sa.Column("h1", sa.Integer)', 'sa.Column("h1", sa.BigInteger)')
    )

    text = assert_clean_failure(
        project.alembic("upgrade", "head"),
        "stopped part-way in an earlier run (partial",
        "which committed step 1 add_column",
        "no longer has that step as it was",
    )
    assert "Traceback" not in text
    assert db(project).version() == ["r1"]


# ---------------------------------------------------------------- connection faults and bad files


def test_unreachable_server_is_a_clear_error(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    result = project.alembic(
        "upgrade",
        "head",
        DATABASE_URL="postgresql+psycopg://nobody:pw-123-secret@127.0.0.1:1/nowhere",
    )
    text = assert_clean_failure(
        result, "Cannot connect to", "Check that the server runs", "Nothing was applied"
    )
    assert "pw-123-secret" not in text


def test_wrong_password_never_shows_the_password(project: Project, database: Database) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    server = database.server
    url = f"postgresql+psycopg://{server.user}:Wr0ng-S3cret@{server.host}:{server.port}/{database.name}"
    text = assert_clean_failure(
        project.alembic("upgrade", "head", DATABASE_URL=url),
        "password authentication failed",
        "Check the user name and password",
    )
    assert "Wr0ng-S3cret" not in text
    assert "***" in text


def test_revision_with_syntax_error_is_reported_by_file_and_line(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    bad = project.add("r2", "pass", "pass")
    bad.write_text(bad.read_text().replace("def upgrade():", "def upgrade(:"))
    assert_clean_failure(
        project.alembic("upgrade", "head"), bad.name, "SyntaxError", "nothing was applied"
    )
    assert db(project).version() == []


def test_revision_with_broken_import_is_reported_by_file(project: Project) -> None:
    path = project.add(
        "r1", CREATE_ACCOUNTS, DROP_ACCOUNTS, extra="import module_that_does_not_exist"
    )
    assert_clean_failure(
        project.alembic("upgrade", "head"), "module_that_does_not_exist", path.name, "line 20"
    )
    assert db(project).version() == []


def test_bad_setting_is_a_configuration_error(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    assert_clean_failure(
        project.alembic("-x", "lock_timeout=soon", "upgrade", "head"), "not a duration"
    )
    ini = project.ini.read_text().replace("lock_retries = 5", "lock_retrys = 5")
    project.ini.write_text(ini)
    assert_clean_failure(
        project.alembic("upgrade", "head"),
        "Unknown alembic-safe setting 'lock_retrys'",
        "Did you mean 'lock_retries'",
    )


def _limited_memory() -> None:  # runs in the child: 1.5 GB of address space at most
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))


@pytest.mark.parametrize(
    ("argument", "allowed"),
    [
        ("lock_retries=2000000000", "lock_retries accepts 0 to 1000"),
        ("lock_timeout=99999999999h", "lock_timeout accepts 0 (no timeout) or 1ms to 2147483647ms"),
        ("statement_timeout=9999999999", "statement_timeout accepts 0 (no timeout) or 1ms"),
        ("backup_jobs=0", "backup_jobs accepts 1 to 512"),
    ],
)
def test_numbers_outside_their_range_are_refused_before_anything_runs(
    project: Project, argument: str, allowed: str
) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "-x", argument, "upgrade", "head"],
        cwd=project.root,
        env=project.env(),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited_memory,
        check=False,
    )
    text = assert_clean_failure(result, "is out of range", allowed)
    assert "DataError" not in text and "MemoryError" not in text
    assert db(project).version() == []


def test_misspelled_x_key_is_an_error_and_other_keys_pass_to_env_py(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    text = assert_clean_failure(
        project.alembic("-x", "lock_timout=1ms", "upgrade", "head"),
        "-x lock_timout=... is not an alembic-safe setting",
        "Did you mean -x lock_timeout=...?",
    )
    assert db(project).version() == [], text
    env_py = project.root / "migrations" / "env.py"
    env_py.write_text(
        env_py.read_text()
        + "\nprint('env.py got', context.get_x_argument(as_dictionary=True).get('tenant'))\n"
    )
    done = project.alembic("-x", "tenant=acme", "-x", "Lock-Timeout=2s", "upgrade", "head")
    assert done.returncode == 0, output(done)
    assert "env.py got acme" in output(done)
    assert db(project).version() == ["r1"]


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("postgresql://u:pw-123-secret@127.0.0.1:abc/db", "port of the database URL"),
        ("postgresql://u:pw-123-secret@127.0.0.1:70000/db", "port of the database URL"),
        (
            "postgresql+nodriver://u:pw-123-secret@127.0.0.1/db",
            "driver of the URL cannot be loaded",
        ),
        ("mysql://u:pw-123-secret@127.0.0.1/db", "works with PostgreSQL only"),
    ],
)
def test_bad_urls_are_clear_errors_online_offline_and_in_our_commands(
    project: Project, url: str, phrase: str
) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    offline = _offline_with_url(project, url)
    if "nodriver" in url:  # offline SQL needs the dialect, not the driver
        assert offline.returncode == 0 and "CREATE TABLE accounts" in offline.stdout
    else:
        assert_clean_failure(offline, phrase)
    for result in (
        project.alembic("upgrade", "head", DATABASE_URL=url),
        project.alembic_safe("history", "--url", url),
        project.alembic_safe("backup", "--url", url),
    ):
        text = output(result)
        assert result.returncode != 0, text
        assert "Traceback" not in text and "internal error" not in text, text
        assert phrase in text and "pw-123-secret" not in text, text
    assert db(project).version() == []


def _offline_with_url(project: Project, url: str) -> subprocess.CompletedProcess[str]:
    ini = project.ini.read_text()
    project.ini.write_text(ini.replace("sqlalchemy.url =", f"sqlalchemy.url = {url}\n#", 1))
    try:
        return project.alembic("upgrade", "head", "--sql")
    finally:
        project.ini.write_text(ini)


def test_postgres_scheme_url_works_online_and_offline(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    url = db(project).url.replace("postgresql+psycopg://", "postgres://")
    offline = _offline_with_url(project, url)
    assert offline.returncode == 0 and "CREATE TABLE accounts" in offline.stdout, output(offline)
    done = project.alembic("upgrade", "head", DATABASE_URL=url)
    assert done.returncode == 0, output(done)
    assert db(project).version() == ["r1"]


def test_broken_alembic_ini_is_a_clear_error_in_our_commands(project: Project) -> None:
    project.ini.write_text("garbage before any section\n" + project.ini.read_text())
    for args in (("check",), ("history",), ("doc",)):
        result = project.alembic_safe(*args)
        text = output(result)
        assert result.returncode == 2, text
        assert "Traceback" not in text and "internal error" not in text, text
        assert "alembic.ini" in text and "File contains no section headers" in text
        assert "cannot be read" in text.lower() or "cannot read" in text.lower()


# ---------------------------------------------------------------- data migrations, stamp, adoption


def test_data_migration_that_reads_rows_is_planned_and_applied_online(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    project.add(
        "r2",
        """
op.add_column("accounts", sa.Column("slug", sa.Text()))
conn = op.get_bind()
for row in conn.execute(sa.text("SELECT id, name FROM accounts")).fetchall():
    conn.execute(sa.text("UPDATE accounts SET slug = :s WHERE id = :i"), {"s": row.name + "-x", "i": row.id})
""",
        'op.drop_column("accounts", "slug")',
    )
    plan = project.alembic_safe("plan", "r2")
    assert "needs a database" in output(plan) and "fetchall" in output(plan)
    result = project.alembic("upgrade", "head")
    assert result.returncode == 0, output(result)
    assert sorted(r[0] for r in db(project).execute("SELECT slug FROM accounts")) == [
        "ann-x",
        "bob-x",
    ]


def test_stamp_and_current_pass_through(project: Project) -> None:
    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    assert project.alembic("stamp", "r1").returncode == 0
    assert db(project).version() == ["r1"]
    current = project.alembic("current")
    assert current.returncode == 0 and "r1" in output(current)


def test_stock_project_adopts_the_hook_with_one_line(stock_project: Project) -> None:
    env_py = stock_project.root / "migrations" / "env.py"
    source = env_py.read_text()
    tail = "if context.is_offline_mode():\n    run_migrations_offline()\nelse:\n    run_migrations_online()\n"
    assert tail in source
    env_py.write_text(
        source.replace(
            tail, "import alembic_safe; alembic_safe.run_migrations(context, target_metadata)\n"
        )
    )
    ini = stock_project.ini.read_text().replace("driver://user:pass@localhost/dbname", "")
    stock_project.ini.write_text(ini)
    stock_project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    bad = stock_project.add("r2", 'op.drop_column("accounts", "name")', "pass")
    assert_clean_failure(stock_project.alembic("upgrade", "head"), "empty downgrade")
    bad.unlink()
    result = stock_project.alembic("upgrade", "head")
    assert result.returncode == 0, output(result)
    assert applied(stock_project) == [("r1", "upgrade")]


# ---------------------------------------------------------------- offline SQL


def test_offline_sql_is_the_reviewed_script_and_applies_with_psql(
    project: Project, database: Database
) -> None:
    project.add(
        "r1",
        CREATE_ACCOUNTS,
        DROP_ACCOUNTS,
        message="create accounts",
    )
    project.add(
        "r2",
        'op.add_column("accounts", sa.Column("email", sa.Text()))',
        'op.drop_column("accounts", "email")',
        message="add email",
        extra="""
def preconditions():
    op.require_sql("SELECT count(*) FROM accounts", equals=2)
""",
    )
    forward = project.alembic("upgrade", "head", "--sql")
    script = forward.stdout
    assert forward.returncode == 0, output(forward)
    for expected in (
        "-- Migration: add email",
        "-- Ticket/Issue: #1",
        "-- Pre-migration validation",
        "DO $alembic_safe$",
        "RAISE EXCEPTION",
        "BEGIN;",
        "COMMIT;",
        "-- Post-migration validation",
    ):
        assert expected in script, expected
    assert script.index("-- Pre-migration validation") < script.index("BEGIN;")
    dsn = database.url.replace("+psycopg", "")
    psql = [psql_program(database.server), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn]
    applied = subprocess.run(
        psql,
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    assert applied.returncode == 0, applied.stderr
    assert database.version() == ["r2"]
    again = subprocess.run(
        psql,
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode != 0 and "pre-migration validation failed" in again.stderr

    backward = project.alembic("downgrade", "r2:base", "--sql")
    assert backward.returncode == 0, output(backward)
    assert "-- Rollback Migration: add email" in backward.stdout
    assert "ALTER TABLE accounts DROP COLUMN email" in backward.stdout


HOSTILE_DOC = '''"""add hostile things $alembic_safe$ -- the title

Purpose: hostile
Ticket: OPS-1
  DELETE FROM victim;
Author: mallory
  UPDATE victim SET v = 'pwned';
Impact: none
  DROP TABLE victim;
Risks: none
  \\! touch {marker}

Revision ID: h1
Revises:
Create Date: 2026-01-01 00:00:00
"""
'''
HOSTILE_NAME = "c'); DELETE FROM victim; --\\"
HOSTILE_EXTRA = '''
irreversible = """the reason
DELETE FROM victim;
  UPDATE victim SET v = 'pwned';"""


def preconditions():
    op.require_sql(
        "SELECT count(*) FROM victim",
        equals=2,
        message="victim keeps 2 rows $alembic_safe$; DELETE FROM victim; $alembic_safe_1$ "
        "a\\\\' ; DELETE FROM victim; -- %s",
    )
    op.require_column('we"ird', NAME, exists=False)
'''


def _hostile_project(project: Project, marker: Path) -> None:
    path = project.add(
        "h1",
        f"""
op.create_table('we"ird', sa.Column("id", sa.Integer, primary_key=True))
op.add_column('we"ird', sa.Column({HOSTILE_NAME!r}, sa.Integer))
""",
        f"""
op.drop_column('we"ird', {HOSTILE_NAME!r})
op.drop_table('we"ird')
""",
        extra=HOSTILE_EXTRA.replace("NAME", repr(HOSTILE_NAME)),
    )
    text = path.read_text()
    rest = text[text.index("from alembic import op") :]
    path.write_text(HOSTILE_DOC.format(marker=marker) + rest)


def _psql(url: str, script: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url.replace("+psycopg", "")],
        input=script,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


VICTIM = (
    "CREATE TABLE victim (id int PRIMARY KEY, v text); INSERT INTO victim VALUES (1, 'a'), (2, 'b')"
)


def test_hostile_headers_messages_and_names_never_become_sql_in_offline_scripts(
    project: Project, database: Database, tmp_path: Path
) -> None:
    marker = tmp_path / "psql-ran-a-meta-command"
    _hostile_project(project, marker)

    forward = project.alembic("upgrade", "head", "--sql")
    assert forward.returncode == 0, output(forward)
    script = forward.stdout
    assert script.count("DELETE FROM victim") >= 3  # the hostile text is there, made harmless
    assert "--   DELETE FROM victim;" in script  # the ticket's second line
    for line in script.splitlines():  # only header text holds these
        if any(bad in line for bad in ("pwned", "DROP TABLE victim", "\\! touch")):
            assert line.startswith("--"), line
    database.execute(VICTIM)
    # standard_conforming_strings off: a backslash in a literal must not end it early
    applied = _psql(database.url, script, PGOPTIONS="-c standard_conforming_strings=off")
    assert applied.returncode == 0, applied.stderr
    assert database.execute("SELECT id, v FROM victim ORDER BY id") == [(1, "a"), (2, "b")]
    assert database.version() == ["h1"]
    assert not marker.exists()

    exported = project.alembic_safe("export", str(tmp_path / "sql"))
    assert exported.returncode == 0, output(exported)
    forward_file, rollback_file = sorted((tmp_path / "sql").glob("001_*.sql"))
    other = new_database(database.server)
    try:
        other.execute(VICTIM)
        for path in (forward_file, rollback_file):
            done = _psql(other.url, path.read_text())
            assert done.returncode == 0, f"{path.name}: {done.stderr}"
            assert other.execute("SELECT id, v FROM victim ORDER BY id") == [(1, "a"), (2, "b")]
        assert other.version() == []
        assert not marker.exists()
    finally:
        database.server.drop_database(other.name)


def test_the_backfill_do_block_is_quoted_with_a_tag_absent_from_its_body() -> None:
    from alembic_safe.operations import _sql

    block = _sql.backfill_do_block(
        None,
        "victim",
        values={"note": "'$alembic_safe$; DELETE FROM victim; --'"},
        where=None,
        key="id",
        batch_size=10,
    )
    tag = block.split()[1]  # DO <tag>
    assert tag.startswith("$") and tag.endswith("$")
    assert block.count(tag) == 2, block  # it opens and closes the block, nothing in between


# ---------------------------------------------------------------- connection sharing (programmatic)


def test_shared_connection_runs_guarded_and_one_inside_a_transaction_is_refused(
    project: Project,
) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, pool, text

    from alembic_safe.errors import ConfigError

    project.add("r1", CREATE_ACCOUNTS, DROP_ACCOUNTS)
    engine = create_engine(db(project).url, poolclass=pool.NullPool)
    cwd = os.getcwd()
    os.chdir(project.root)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))  # autobegun, not committed
            config = Config(str(project.ini), attributes={"connection": conn})
            with pytest.raises(ConfigError, match="already inside a transaction"):
                command.upgrade(config, "head")
            conn.rollback()
            command.upgrade(config, "head")
    finally:
        os.chdir(cwd)
        engine.dispose()
    assert db(project).version() == ["r1"]
    assert applied(project) == [("r1", "upgrade")]
