"""``check --rehearse``: revisions that read the database are linted as they really ran."""

from __future__ import annotations

import json

from tests.support import Project, output

READS_THEN_DROPS = """
rows = op.get_bind().execute(sa.text("SELECT id FROM flags WHERE name = 'retire'")).fetchall()
if rows:
    op.drop_table("legacy")
"""


def history(project: Project) -> None:
    project.add(
        "a1",
        """
        op.create_table("flags", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.Text))
        op.create_table("legacy", sa.Column("id", sa.Integer, primary_key=True))
        op.execute("INSERT INTO flags (id, name) VALUES (1, 'retire')")
        """,
        'op.drop_table("legacy")\nop.drop_table("flags")',
    )
    project.add(
        "b2",
        READS_THEN_DROPS,
        'op.create_table("legacy", sa.Column("id", sa.Integer, primary_key=True))',
    )


def findings(project: Project, *args: str) -> list[dict[str, object]]:
    result = project.alembic_safe("check", "--format", "json", *args)
    assert result.returncode in (0, 1), output(result)
    parsed = json.loads(result.stdout)
    assert isinstance(parsed, list)
    return [f for f in parsed if f["revision"] == "b2"]


def test_a_revision_that_reads_rows_then_drops_is_checked_as_it_ran(project: Project) -> None:
    history(project)
    offline = findings(project)
    assert "drop-table" not in {f["rule"] for f in offline}, offline
    rehearsed = project.alembic_safe("check", "--format", "json", "--rehearse")
    assert rehearsed.returncode == 1, output(rehearsed)
    found = [f for f in json.loads(rehearsed.stdout) if f["revision"] == "b2"]
    drops = [f for f in found if f["rule"] == "drop-table"]
    assert len(drops) == 1, found
    assert drops[0]["line"] > 0 and drops[0]["destructive"] is True
    assert "b2 linted as executed on a copy" in rehearsed.stderr


def test_rehearse_with_nothing_incomplete_says_so(project: Project) -> None:
    project.add(
        "a1",
        'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))',
        'op.drop_table("t")',
    )
    result = project.alembic_safe("check", "--rehearse")
    assert result.returncode == 0, output(result)
    assert "every plan is complete offline" in result.stderr
