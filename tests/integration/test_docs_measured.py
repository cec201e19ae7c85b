"""Impact pages show what a rehearsal of exactly this file measured, and tick only then."""

from __future__ import annotations

from pathlib import Path

from tests.support import Project, output


def page_of(project: Project, revision: str) -> str:
    pages = sorted((project.root / "docs" / "migrations").glob(f"{revision}_*.md"))
    assert len(pages) == 1, pages
    return pages[0].read_text(encoding="utf-8")


def test_a_passed_rehearsal_on_a_copy_ticks_the_checklist_until_the_file_changes(
    project: Project,
) -> None:
    assert project.database is not None
    project.add(
        "a1",
        'op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))',
        'op.drop_table("users")',
    )
    assert project.alembic("-x", "backup=skip", "upgrade", "head").returncode == 0
    project.database.execute("INSERT INTO users SELECT generate_series(1, 500)")
    path: Path = project.add(
        "b2",
        'op.add_column("users", sa.Column("token", sa.Uuid, server_default=sa.text("gen_random_uuid()")))',
        'op.drop_column("users", "token")',
    )
    rehearsed = project.alembic_safe("rehearse", "--url", project.database.url, "--copy", "full")
    assert rehearsed.returncode == 0, output(rehearsed)

    assert project.alembic_safe("doc").returncode == 0
    page = page_of(project, "b2")
    assert "### Measured on a copy" in page
    assert "Rehearsed on a copy of a database" in page and "**passed**" in page
    assert "ACCESS EXCLUSIVE" in page and "rewrite" in page, page
    assert "- [x] Migration tested on a database copy" in page
    assert "- [x] Rollback tested" in page

    path.write_text(path.read_text() + "\n# reviewed\n")
    assert project.alembic_safe("doc").returncode == 0
    page = page_of(project, "b2")
    assert "No rehearsal result for this version of the file" in page
    assert "- [ ] Migration tested on a database copy" in page
    assert "- [ ] Rollback tested" in page


def test_a_failed_rehearsal_is_on_the_page_and_ticks_nothing(project: Project) -> None:
    project.add(
        "a1",
        "op.execute(\"CREATE TYPE mood AS ENUM ('ok', 'sad')\")",
        'op.execute("SELECT 1")',
    )
    result = project.alembic_safe("rehearse", "--ephemeral")
    assert result.returncode == 1, output(result)
    assert project.alembic_safe("doc").returncode == 0
    page = page_of(project, "a1")
    assert "**failed**" in page and "type mood" in page
    assert "- [ ] Migration tested on a database copy — the rehearsal failed" in page
    assert "- [ ] Rollback tested" in page
