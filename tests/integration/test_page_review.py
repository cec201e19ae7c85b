"""The impact page as a reviewer of an adopted project reads it, checked on the real server."""

from __future__ import annotations

import re
import subprocess

from tests.integration.test_export import psql
from tests.support import Project, output

TABLE = 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("n", sa.Integer))'
CONCURRENT_THEN_MORE = """
op.create_index_concurrently("ix_t_n", "t", ["n"])
op.add_column("t", sa.Column("note", sa.Text))
"""
UNDO = """
op.drop_column("t", "note")
op.drop_index_concurrently("ix_t_n", table_name="t")
"""


def _page(project: Project, revision: str) -> str:
    result = project.alembic_safe("doc")
    assert result.returncode == 0, output(result)
    [page] = (project.root / "docs" / "migrations").glob(f"{revision}_*.md")
    return page.read_text()


def test_concurrent_steps_say_what_a_later_failure_leaves_and_are_named_concurrently(
    project: Project,
) -> None:
    project.add("r1", TABLE, 'op.drop_table("t")')
    project.add("r2", CONCURRENT_THEN_MORE, UNDO)
    page = _page(project, "r2")
    assert "| CREATE INDEX CONCURRENTLY | SHARE UPDATE EXCLUSIVE | `t` |" in page
    assert (
        "- step 1 (line 23) runs outside the transaction and commits on its own; if a later "
        "step (step 2) fails, this step stays applied while `alembic_version` still names the "
        "previous revision, so running the revision again must be safe (alembic-safe's "
        "concurrent operations and `if_not_exists=True` are) or the applied steps must be "
        "undone by hand"
    ) in page
    assert "a failure leaves the steps before it applied" not in page


def test_the_rollback_command_on_the_page_works_now(project: Project) -> None:
    assert project.database is not None
    project.add("r1", TABLE, 'op.drop_table("t")')
    project.add(
        "r2", 'op.add_column("t", sa.Column("note", sa.Text))', 'op.drop_column("t", "note")'
    )
    page = _page(project, "r2")
    [line] = [line for line in page.splitlines() if line.startswith("- **Rollback available:**")]
    commands = re.findall(r"`([^`]+)`", line)
    assert commands[0] == "alembic downgrade r1"
    script = commands[1]
    assert script == "alembic downgrade r2:r1 --sql > rollback.sql"
    assert commands[2] == "psql -v ON_ERROR_STOP=1 -f rollback.sql"
    assert project.alembic("-x", "backup=never", "upgrade", "head").returncode == 0
    offline = project.alembic(*script.split()[1:-2])
    assert offline.returncode == 0, output(offline)
    (project.root / "rollback.sql").write_text(offline.stdout)
    psql(project.database, project.root / "rollback.sql")
    assert project.database.version() == ["r1"]
    assert (
        project.database.scalar(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'note'"
        )
        == 0
    )


def test_author_and_ticket_come_from_git_when_the_header_has_none(project: Project) -> None:
    path = project.add("r1", TABLE, 'op.drop_table("t")')
    path.write_text(path.read_text().replace("Ticket: #1\nAuthor: tests\n", ""))
    unstated = _page(project, "r1")
    assert "**Author:** not stated" in unstated and "**Ticket:** not stated" in unstated

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=project.root, check=True, capture_output=True)

    git("init", "-q")
    git("add", str(path))
    git(
        "-c", "user.name=Ann Example", "-c", "user.email=ann@example.com",
        "commit", "-q", "-m", "Create table t\n\nFor PROJ-42.",
    )  # fmt: skip
    page = _page(project, "r1")
    assert re.search(
        r"\*\*Author:\*\* Ann Example \(added the file on \d{4}-\d\d-\d\d, from git\)", page
    )
    assert "**Ticket:** PROJ-42 (named by the commit that added the file)" in page
