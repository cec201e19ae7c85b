"""``alembic-safe rehearse``: the stairway per revision on a scratch database.

Histories whose last downgrade is subtly wrong each fail with the right difference;
correct histories pass with a stock ``env.py`` and with ours.  Every run here is
``--ephemeral`` (a throwaway server, rows seeded into the tables a revision touches); the
sources (``--url``, ``--template``, ``--from-backup``) are in ``test_rehearse_sources.py``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from alembic_safe import rehearse
from alembic_safe.rehearse.results import file_sha256
from tests.support import Project, output

USERS = """
op.create_table(
    "users",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50)),
    sa.Column("age", sa.Integer),
    sa.Column("email", sa.Text),
)
"""
DROP_USERS = 'op.drop_table("users")'


def run(project: Project, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return project.run_module("alembic_safe", "rehearse", *args, timeout=timeout)


def run_json(project: Project, *args: str) -> tuple[int, dict[str, Any], str]:
    """Rehearse with ``--format json``: (exit code, the JSON object, stderr)."""
    done = run(project, *args, "--format", "json")
    assert "Traceback" not in done.stderr, done.stderr
    try:
        found = json.loads(done.stdout)
    except ValueError:
        raise AssertionError(f"stdout is not one JSON object:\n{output(done)}") from None
    return done.returncode, found, done.stderr


def last(found: dict[str, Any]) -> dict[str, Any]:
    revisions: list[dict[str, Any]] = found["revisions"]
    assert revisions, found
    return revisions[-1]


# ---------------------------------------------------------------- correct histories

CORRECT = [
    ("r1", USERS, DROP_USERS),
    (
        "r2",
        """
        mood = sa.Enum("happy", "sad", name="mood")
        mood.create(op.get_bind())
        op.add_column("users", sa.Column("mood", mood, server_default="happy"))
        op.create_check_constraint("ck_users_age", "users", "age >= 0")
        op.create_index("ix_users_email", "users", ["email"])
        op.execute("CREATE SEQUENCE invoice_seq")
        """,
        """
        op.execute("DROP SEQUENCE invoice_seq")
        op.drop_index("ix_users_email", table_name="users")
        op.drop_constraint("ck_users_age", "users", type_="check")
        op.drop_column("users", "mood")
        sa.Enum(name="mood").drop(op.get_bind())
        """,
    ),
    (
        "r3",
        """
        op.alter_column("users", "name", type_=sa.String(100), existing_type=sa.String(50))
        op.execute("UPDATE users SET email = lower(email) WHERE email IS NULL")
        """,
        'op.alter_column("users", "name", type_=sa.String(50), existing_type=sa.String(100))',
    ),
]


def _write(project: Project, history: list[tuple[str, str, str]]) -> None:
    for rev, up, down in history:
        project.add(rev, up, down)


def test_correct_history_passes_with_a_stock_env_py(stock_project: Project) -> None:
    _write(stock_project, CORRECT)
    code, found, stderr = run_json(stock_project, "--ephemeral")

    assert code == 0, stderr
    assert found["passed"] is True and found["exit_code"] == 0
    assert [r["revision"] for r in found["revisions"]] == ["r1", "r2", "r3"]
    for revision in found["revisions"]:
        assert revision["status"] == "passed", revision
        assert revision["round_trip_ok"] is True
        assert revision["differences"] == [] and revision["reupgrade_differences"] == []
        assert revision["upgrade_ms"] > 0 and revision["downgrade_ms"] > 0
    r2 = found["revisions"][1]
    assert r2["seeded"] == {"public.users": 3}  # the rows a round trip must keep
    assert r2["data_ok"] is True
    assert r2["data"] == [
        {
            "table": "users",
            "columns": ["age", "email", "id", "name"],
            "rows_before": 3,
            "rows_after": 3,
            "same_contents": True,
            "declared": None,
            "ok": True,
        }
    ]
    statements = [s["sql"] for s in r2["trace"]["statements"]]
    assert any("CREATE SEQUENCE invoice_seq" in s for s in statements), statements
    assert all(s["line"] for s in r2["trace"]["statements"])
    assert "[1/3] r1" in stderr and "round trip ok" in stderr

    results = stock_project.root / "docs" / "migrations" / "rehearsals"
    saved = sorted(p.name for p in results.iterdir())
    assert len(saved) == 3 and all(name.endswith(".json") for name in saved)
    path = next(stock_project.versions.glob("r2_*.py"))
    loaded = rehearse.load(results, path)
    assert loaded is not None and loaded.passed and loaded.revision == "r2"
    assert rehearse.rollback_tested(results, path)
    assert not rehearse.tested_on_copy(results, path)  # an empty database is not a copy
    path.write_text(path.read_text() + "\n# edited\n")
    assert rehearse.load(results, path) is None  # a result speaks for the exact file only


def test_correct_history_passes_with_the_guarded_env_py(project: Project) -> None:
    _write(project, CORRECT)
    project.add(
        "r4",
        'op.drop_column("users", "age")',
        """
        op.add_column("users", sa.Column("age", sa.Integer))
        op.create_check_constraint("ck_users_age", "users", "age >= 0")
        """,
        message="drop age",
    )
    project.add(
        "r5",
        'op.execute("UPDATE users SET name = upper(name)")',
        "pass",
        extra='irreversible = "the old spelling of the names is not kept"',
    )

    done = run(project, "--ephemeral")

    text = output(done)
    assert done.returncode == 0, text
    assert "rehearsal: backups and confirmations are off on the scratch database" in text
    assert "passed: 5 of 5 revision(s) passed" in done.stdout
    assert "declared irreversible: no round trip" in done.stderr
    assert not (project.root / "backups").exists()  # no backup, nothing confirmed by hand
    results = project.root / "docs" / "migrations" / "rehearsals"
    r4 = rehearse.load(results, next(project.versions.glob("r4_*.py")))
    assert r4 is not None and r4.passed
    # the upgrade drops "age" (destructive): its loss on the way back is declared, not a failure
    (users,) = r4.data
    assert users.lost and users.declared and "drop" in users.declared.lower()
    r5 = rehearse.load(results, next(project.versions.glob("r5_*.py")))
    assert r5 is not None and r5.status == "irreversible"


# ---------------------------------------------------------------- subtly wrong downgrades

BROKEN = {
    "enum-never-dropped": (
        """
        mood = sa.Enum("happy", "sad", name="mood")
        mood.create(op.get_bind())
        op.add_column("users", sa.Column("mood", mood))
        op.create_index("ix_users_email", "users", ["email"])
        """,
        """
        op.drop_index("ix_users_email", table_name="users")
        op.drop_column("users", "mood")
        """,
        "downgrade of r2 left behind: type mood",
    ),
    "check-constraint-left-behind": (
        """
        op.create_check_constraint("ck_users_age", "users", "age >= 0")
        op.create_index("ix_users_name", "users", ["name"])
        """,
        'op.drop_index("ix_users_name", table_name="users")',
        "downgrade of r2 left behind: constraint users.ck_users_age",
    ),
    "server-default-left-behind": (
        """
        op.alter_column("users", "name", server_default="anon", existing_type=sa.String(50))
        op.add_column("users", sa.Column("nickname", sa.Text))
        """,
        'op.drop_column("users", "nickname")',
        "downgrade of r2 left behind: column users.name has default 'anon'::character varying, "
        "had none",
    ),
    "column-restored-with-another-length": (
        'op.alter_column("users", "name", type_=sa.String(100), existing_type=sa.String(50))',
        'op.alter_column("users", "name", type_=sa.String(100), existing_type=sa.String(100))',
        "downgrade of r2 left behind: column users.name is varchar(100), was varchar(50)",
    ),
    "column-restored-with-another-type": (
        'op.alter_column("users", "age", type_=sa.BigInteger, existing_type=sa.Integer)',
        'op.alter_column("users", "age", type_=sa.Numeric, existing_type=sa.BigInteger)',
        "downgrade of r2 left behind: column users.age is numeric, was integer",
    ),
    "raw-sql-sequence-not-dropped": (
        """
        op.execute("CREATE SEQUENCE invoice_seq")
        op.add_column("users", sa.Column("invoice", sa.Integer))
        """,
        'op.drop_column("users", "invoice")',
        "downgrade of r2 left behind: sequence invoice_seq",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_subtly_wrong_downgrade_fails_with_the_difference(
    stock_project: Project, case: str
) -> None:
    up, down, expected = BROKEN[case]
    stock_project.add("r1", USERS, DROP_USERS)
    stock_project.add("r2", up, down)

    code, found, stderr = run_json(stock_project, "--ephemeral")

    assert code == 1, stderr
    assert found["passed"] is False and found["exit_code"] == 1
    assert found["revisions"][0]["status"] == "passed"
    r2 = last(found)
    assert r2["status"] == "failed" and r2["stage"] == "round-trip", r2
    assert r2["summary"] == expected
    assert r2["round_trip_ok"] is False
    assert expected in stderr  # the progress lines say it too


def test_an_index_dropped_under_the_wrong_name_fails_the_downgrade(
    stock_project: Project,
) -> None:
    stock_project.add("r1", USERS, DROP_USERS)
    stock_project.add(
        "r2",
        'op.create_index("ix_users_email", "users", ["email"])',
        'op.drop_index("ix_users_mail", table_name="users")',
    )
    stock_project.add("r3", 'op.add_column("users", sa.Column("x", sa.Integer))', "pass")

    path = next(stock_project.versions.glob("r2_*.py"))
    line = 1 + path.read_text().splitlines().index(
        '    op.drop_index("ix_users_mail", table_name="users")'
    )

    code, found, _ = run_json(stock_project, "--ephemeral")

    assert code == 1
    r2 = last(found)
    assert r2["revision"] == "r2" and r2["stage"] == "downgrade"
    assert r2["line"] == line  # the drop_index line of the revision file
    assert 'index "ix_users_mail" does not exist' in r2["error"]
    assert r2["error"].startswith(f"downgrade of r2 failed at line {line}: ")
    assert found["not_run"] == ["r3"]  # the run stops at the first failure


def test_a_downgrade_that_drops_and_adds_a_column_again_loses_its_data(
    stock_project: Project,
) -> None:
    stock_project.add("r1", USERS, DROP_USERS)
    stock_project.add(
        "r2",
        'op.alter_column("users", "name", type_=sa.String(100), existing_type=sa.String(50))',
        """
        op.drop_column("users", "name")
        op.add_column("users", sa.Column("name", sa.String(50)))
        """,
    )

    code, found, _ = run_json(stock_project, "--ephemeral")

    assert code == 1
    r2 = last(found)
    assert r2["differences"] == []  # the schema is equal...
    assert r2["stage"] == "data" and r2["data_ok"] is False  # ...but the names are gone
    assert r2["summary"] == (
        "downgrade of r2 lost data the revision does not declare: users: 3 rows before, "
        "3 after; other contents in (age, email, id, name)"
    )


def test_an_empty_downgrade_fails_before_anything_runs(stock_project: Project) -> None:
    stock_project.add("r1", USERS, "pass")

    code, found, _ = run_json(stock_project, "--ephemeral")

    assert code == 1
    r1 = last(found)
    assert r1["stage"] == "downgrade" and r1["upgrade_ms"] is None
    assert "has an empty downgrade() (pass)" in r1["error"]
    assert 'irreversible = "<why it cannot be reversed>"' in r1["error"]


def test_a_verify_that_fails_fails_the_revision(project: Project) -> None:
    project.add("r1", USERS, DROP_USERS)
    project.add(
        "r2",
        'op.add_column("users", sa.Column("phone", sa.Text))',
        'op.drop_column("users", "phone")',
        extra="""
        def verify():
            op.require_column("users", "telephone")
        """,
    )

    code, found, _ = run_json(project, "--ephemeral")

    assert code == 1
    r2 = last(found)
    assert r2["stage"] == "verify", r2
    assert 'column "users"."telephone" exists' in r2["error"]


def test_a_range_rehearses_only_its_revisions(stock_project: Project) -> None:
    _write(stock_project, CORRECT)

    code, found, stderr = run_json(stock_project, "--ephemeral", "r2:r3")

    assert code == 0, stderr
    assert [r["revision"] for r in found["revisions"]] == ["r2", "r3"]
    assert "bringing the copy up to r1 (not rehearsed)" in stderr


def test_revisions_that_print_keep_the_json_parseable(stock_project: Project) -> None:
    stock_project.add(
        "r1",
        'print("hello from upgrade")\n' + USERS,
        'print("hello from downgrade")\n' + DROP_USERS,
    )

    code, found, stderr = run_json(stock_project, "--ephemeral")

    assert code == 0
    assert found["revisions"][0]["status"] == "passed"
    assert "hello from upgrade" in stderr and "hello from downgrade" in stderr


def test_results_go_where_the_option_says(stock_project: Project, tmp_path: Path) -> None:
    stock_project.add("r1", USERS, DROP_USERS)
    target = tmp_path / "measured"

    code, _, _ = run_json(stock_project, "--ephemeral", "--results", str(target))

    assert code == 0
    (saved,) = target.iterdir()
    path = next(stock_project.versions.glob("r1_*.py"))
    assert saved.name == f"r1.{file_sha256(path)}.json"
    assert not (stock_project.root / "docs").exists()


def test_seed_rows_follow_types_keys_and_references(stock_project: Project) -> None:
    stock_project.add(
        "r1",
        """
        op.create_table("parents", sa.Column("id", sa.Integer, primary_key=True))
        kind = sa.Enum("a", "b", name="kind")
        op.create_table(
            "children",
            sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
            sa.Column("parent_id", sa.Integer, sa.ForeignKey("parents.id"), nullable=False),
            sa.Column("kind", kind, nullable=False),
            sa.Column("code", sa.String(2), nullable=False, unique=True),
            sa.Column("born", sa.Date),
            sa.Column("data", sa.dialects.postgresql.JSONB),
        )
        op.create_table(
            "picky",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("n", sa.Integer, sa.CheckConstraint("n > 100"), nullable=False),
        )
        """,
        """
        op.drop_table("picky")
        op.drop_table("children")
        op.drop_table("parents")
        sa.Enum(name="kind").drop(op.get_bind())
        """,
    )
    stock_project.add(
        "r2",
        """
        op.add_column("children", sa.Column("note", sa.Text))
        op.add_column("picky", sa.Column("note", sa.Text))
        """,
        """
        op.drop_column("picky", "note")
        op.drop_column("children", "note")
        """,
    )

    code, found, stderr = run_json(stock_project, "--ephemeral")

    assert code == 0, stderr
    r2 = last(found)
    assert r2["seeded"] == {"public.parents": 3, "public.children": 3}
    assert list(r2["unseeded"]) == ["public.picky"]
    assert "check constraint" in r2["unseeded"]["public.picky"]
    assert [(t["table"], t["rows_before"], t["ok"]) for t in r2["data"]] == [("children", 3, True)]
    text = run(stock_project, "--ephemeral").stdout
    assert "not seeded: public.picky: PostgreSQL refused the rows: " in text
