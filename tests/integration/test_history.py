"""`alembic-safe history`: the audit log of a database."""

from __future__ import annotations

from tests.support import Project, output


def test_history_lists_applied_failed_and_refused_runs(project: Project) -> None:
    empty = project.alembic_safe("history")
    assert empty.returncode == 0 and "No migration runs recorded yet" in output(empty)
    project.add(
        "r1",
        'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))',
        'op.drop_table("t")',
    )
    project.add("r2", 'op.drop_table("t")', 'op.create_table("t", sa.Column("id", sa.Integer))')
    assert project.alembic("upgrade", "head").returncode != 0  # r2 unconfirmed
    assert project.alembic("upgrade", "r1").returncode == 0
    result = project.alembic_safe("history")
    text = output(result)
    assert result.returncode == 0, text
    lines = text.splitlines()
    assert lines[0].split()[:5] == ["started", "revision", "direction", "outcome", "ms"]
    assert "r1" in lines[1] and "applied" in lines[1] and "@" in lines[1]
    assert "r2" in lines[2] and "refused" in lines[2] and 'drops table "t"' in lines[2]


def test_history_on_an_unreachable_server(project: Project) -> None:
    result = project.alembic_safe("history", "--url", "postgresql://u:hunter2@127.0.0.1:1/x")
    assert result.returncode == 2
    assert "Cannot connect" in result.stderr and "hunter2" not in output(result)
