"""Offline capture of what revisions do, on projects that never touch a database."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.config import Config

from alembic_safe.analysis import destructive
from alembic_safe.capture.project import Project as AlembicProject
from alembic_safe.record import RecordBook
from tests.support import Project


@pytest.fixture
def files(tmp_path: Path) -> Project:
    return Project.create(tmp_path / "app")


def load(files: Project) -> AlembicProject:
    return AlembicProject.load(Config(str(files.ini)))


def body_line(path: Path, offset: int = 0) -> int:
    """Line number of the ``offset``-th statement of ``upgrade()`` in a revision file."""
    lines = path.read_text().splitlines()
    return next(i for i, line in enumerate(lines) if line.startswith("def upgrade(")) + 2 + offset


def test_ops_are_recorded_with_sql_line_and_tables(files: Project) -> None:
    path = files.add(
        "r1",
        """
op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))
op.add_column("users", sa.Column("email", sa.Text()), schema="app")
op.execute("UPDATE users SET email = 'x' WHERE id = 1; DELETE FROM users")
""",
        'op.drop_table("users")',
    )
    project = load(files)
    plan = RecordBook.of(project).plan(project.revisions("r1")[0], "upgrade")
    assert plan.complete
    assert [s.name for s in plan.steps] == ["create_table", "add_column", "execute"]
    assert [s.lineno for s in plan.steps] == [body_line(path, i) for i in range(3)]
    assert plan.steps[1].tables == ("app.users",)
    assert plan.steps[1].sql == "ALTER TABLE app.users ADD COLUMN email TEXT;"
    assert [s.tag for s in plan.steps[2].statements] == ["UPDATE", "DELETE"]
    assert any("deletes every row" in r for r in destructive.step_reasons(plan.steps[2]))
    assert all(s.in_transaction for s in plan.steps)


def test_autocommit_block_steps_run_outside_the_transaction(files: Project) -> None:
    files.add(
        "r1",
        """
op.add_column("users", sa.Column("email", sa.Text()))
with op.get_context().autocommit_block():
    op.create_index("ix_email", "users", ["email"], postgresql_concurrently=True)
op.execute("SELECT 1")
""",
        'op.drop_column("users", "email")',
    )
    project = load(files)
    plan = RecordBook.of(project).plan(project.revisions("r1")[0], "upgrade")
    assert [(s.name, s.in_transaction, s.transactional) for s in plan.steps] == [
        ("add_column", True, True),
        ("create_index", False, False),
        ("execute", True, True),
    ]
    assert plan.has_non_transactional_steps


def test_data_migration_is_captured_up_to_the_first_row_read(files: Project) -> None:
    path = files.add(
        "r1",
        """
op.add_column("users", sa.Column("slug", sa.Text()))
conn = op.get_bind()
conn.execute(sa.text("UPDATE users SET slug = name WHERE slug IS NULL"))
conn.commit()
rows = conn.execute(sa.text("SELECT id FROM users")).fetchall()
op.drop_column("users", "name")
""",
        "pass",
    )
    project = load(files)
    plan = RecordBook.of(project).plan(project.revisions("r1")[0], "upgrade")
    assert [s.name for s in plan.steps] == [
        "add_column",
        "get_bind().execute",
        "get_bind().commit",
        "get_bind().execute",
    ]
    assert plan.needs_database is not None
    assert f"line {body_line(path, 4)}" in plan.needs_database and "fetchall" in plan.needs_database
    assert not plan.complete


def test_reflection_needs_a_database(files: Project) -> None:
    path = files.add("r1", 'sa.inspect(op.get_bind()).get_columns("users")', "pass")
    project = load(files)
    plan = RecordBook.of(project).plan(project.revisions("r1")[0], "upgrade")
    assert plan.needs_database is not None and f"line {body_line(path)}" in plan.needs_database


def test_not_implemented_and_missing_downgrades(files: Project) -> None:
    files.add("r1", "pass", "raise NotImplementedError()")
    path = files.add("r2", "pass", "pass")
    path.write_text(path.read_text().split("def downgrade():")[0])
    project = load(files)
    r1, r2 = project.revisions()
    assert RecordBook.of(project).plan(r1, "downgrade").not_implemented
    assert RecordBook.of(project).plan(r2, "downgrade").missing


def test_broken_files_are_load_errors_and_the_rest_still_loads(files: Project) -> None:
    files.add("r1", 'op.create_table("a", sa.Column("id", sa.Integer))', 'op.drop_table("a")')
    broken = files.add("r2", "pass", "pass", extra="import no_such_module_here")
    syntax = files.add("r3", "pass", "pass")
    syntax.write_text(syntax.read_text().replace("def upgrade():", "def upgrade(:"))
    files.add("r4", 'op.drop_table("a")', 'op.create_table("a", sa.Column("id", sa.Integer))')
    project = load(files)
    errors = {Path(e.path).name: e.reason for e in project.load_errors}
    assert "No module named 'no_such_module_here'" in errors[broken.name]
    assert errors[syntax.name].startswith(f"line {body_line(syntax) - 1}: SyntaxError")
    assert [s.revision for s in project.revisions()] == ["r1", "r2", "r3", "r4"]
    r4 = project.revisions("r4")[0]
    assert RecordBook.of(project).get(r4).destructions("upgrade")
    r2 = project.revisions("r2")[0]
    plan = RecordBook.of(project).plan(r2, "upgrade")
    assert plan.error is not None and "cannot be imported" in plan.error


def test_merges_branch_labels_and_depends_on_load(files: Project) -> None:
    files.add("root", "pass", "pass")
    files.add("left", "pass", "pass", down="root", branch_labels=("feature",))
    files.add("right", "pass", "pass", down="root", depends_on="left")
    files.add("merge", "pass", "pass", down=("left", "right"))
    project = load(files)
    order = [s.revision for s in project.revisions()]
    assert (
        order[0] == "root"
        and order[-1] == "merge"
        and set(order) == {"root", "left", "right", "merge"}
    )
    assert [s.revision for s in project.revisions("left:merge")][-1] == "merge"
    assert [s.revision for s in project.revisions("feature@head")] == [
        "merge"
    ]  # the label is inherited


def test_bad_revision_range_is_a_clear_error(files: Project) -> None:
    files.add("r1", "pass", "pass")
    from alembic_safe.errors import ConfigError

    with pytest.raises(ConfigError, match="does not match this project"):
        load(files).revisions("nope:")


def test_a_revision_named_like_a_keyword_is_explained(files: Project) -> None:
    files.add("base", "pass", "pass")
    files.add("child", "pass", "pass")
    from alembic_safe.errors import ProjectLoadError

    with pytest.raises(ProjectLoadError, match="'base' are reserved words"):
        load(files)
