"""The revision record on a real server: the guarded upgrade runs each upgrade() at most twice
(plan, apply), and the guard, the linter and the page agree about destructive steps."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from tests.support import Project, output


def test_guarded_upgrade_runs_upgrade_at_most_twice_and_downgrade_once(
    project: Project, tmp_path: Path
) -> None:
    log = tmp_path / "runs.log"
    counter = 'with open({log!r}, "a") as _log:\n    _log.write("{rev} {fn}\\n")\n'
    for rev, up, down in (
        (
            "a1",
            'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))',
            'op.drop_table("t")',
        ),
        ("b2", 'op.add_column("t", sa.Column("x", sa.Integer))', 'op.drop_column("t", "x")'),
    ):
        project.add(
            rev,
            counter.format(log=str(log), rev=rev, fn="upgrade") + up,
            counter.format(log=str(log), rev=rev, fn="downgrade") + down,
        )
    result = project.alembic("-x", "backup=skip", "upgrade", "head")
    assert result.returncode == 0, output(result)
    counts = Counter(log.read_text().splitlines())
    assert counts["a1 upgrade"] == 2 and counts["b2 upgrade"] == 2, counts
    assert counts["a1 downgrade"] <= 1 and counts["b2 downgrade"] <= 1, counts

    log.unlink()
    offline = project.alembic("upgrade", "base:head", "--sql")
    assert offline.returncode == 0, output(offline)
    counts = Counter(log.read_text().splitlines())
    assert max(counts.values()) == 1, counts  # --sql replays the recorded plan


def test_drop_index_cascade_is_confirmed_by_the_guard_and_reported_by_check(
    project: Project,
) -> None:
    assert project.database is not None
    project.add(
        "a1",
        """
        op.create_table("users", sa.Column("id", sa.Integer, primary_key=True), sa.Column("email", sa.Text))
        op.create_index("ux_users_email", "users", ["email"], unique=True)
        op.create_table("invites", sa.Column("id", sa.Integer, primary_key=True), sa.Column("email", sa.Text))
        op.create_foreign_key("fk_invites_email", "invites", "users", ["email"], ["email"])
        """,
        'op.drop_table("invites")\nop.drop_table("users")',
    )
    assert project.alembic("-x", "backup=skip", "upgrade", "head").returncode == 0
    project.add(
        "b2",
        'op.execute("DROP INDEX ux_users_email CASCADE")',
        'op.create_index("ux_users_email", "users", ["email"], unique=True)\n'
        'op.create_foreign_key("fk_invites_email", "invites", "users", ["email"], ["email"])',
    )
    checked = project.alembic_safe("check", "--url", project.database.url, "--format", "json")
    findings = json.loads(checked.stdout)
    drops = [f for f in findings if f["revision"] == "b2" and f["destructive"]]
    assert [f["rule"] for f in drops] == ["destructive-statement"], findings

    refused = project.alembic("-x", "backup=skip", "upgrade", "head")
    assert refused.returncode != 0
    assert "destructive steps nobody confirmed" in output(refused)
    assert "CASCADE" in output(refused)
    constraint = project.database.scalar(
        "SELECT count(*) FROM pg_constraint WHERE conname = 'fk_invites_email'"
    )
    assert constraint == 1, "nothing may be applied without the confirmation"

    confirmed = project.alembic("-x", "backup=skip", "-x", "confirm=b2", "upgrade", "head")
    assert confirmed.returncode == 0, output(confirmed)
    assert (
        project.database.scalar(
            "SELECT count(*) FROM pg_constraint WHERE conname = 'fk_invites_email'"
        )
        == 0
    )
