"""Offline capture of what revisions do, on projects that never touch a database."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from alembic.config import Config

from alembic_safe.analysis import destructive
from alembic_safe.capture.project import Project as AlembicProject
from alembic_safe.capture.recorder import import_env_plugins
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
op.execute("UPDATE users SET email = 'x' WHERE id = 1; DELETE FROM sessions")
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


def test_data_migration_is_captured_past_a_row_read_with_an_empty_answer(files: Project) -> None:
    path = files.add(
        "r1",
        """
op.add_column("users", sa.Column("slug", sa.Text()))
conn = op.get_bind()
conn.execute(sa.text("UPDATE users SET slug = name WHERE slug IS NULL"))
conn.commit()
rows = conn.execute(sa.text("SELECT id FROM users")).fetchall()
for row in rows:
    conn.execute(sa.text("UPDATE users SET slug = 'x' WHERE id = :id"), {"id": row[0]})
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
        "drop_column",
    ]
    assert plan.needs_database is None and not plan.stopped
    assert [(r.line, r.cause) for r in plan.reads] == [(body_line(path, 4), "read rows")]
    assert "fetchall() of SELECT id FROM users" in plan.reads[0].detail
    assert not plan.complete
    assert plan.status() == (
        f"needs a database: line {body_line(path, 4)}: read rows (fetchall() of SELECT id FROM users)"
        " (capture went on with empty answers)"
    )


def test_each_kind_of_read_is_noted_once_per_line(files: Project) -> None:
    path = files.add(
        "r1",
        """
conn = op.get_bind()
for _ in range(3):
    count = conn.execute(sa.text("SELECT count(*) FROM users")).scalar()
inspector = sa.inspect(conn)
if "ix_users_email" in [i["name"] for i in inspector.get_indexes("users")]:
    op.drop_index("ix_users_email", table_name="users")
if not inspector.has_table("audit"):
    op.create_table("audit", sa.Column("id", sa.Integer, primary_key=True))
result = conn.execute(sa.text("UPDATE users SET n = 0 WHERE n IS NULL"))
while result.rowcount > 0:
    result = conn.execute(sa.text("UPDATE users SET n = 0 WHERE n IS NULL"))
""",
        "pass",
    )
    project = load(files)
    plan = RecordBook.of(project).plan(project.revisions("r1")[0], "upgrade")
    assert [(r.line, r.cause) for r in plan.reads] == [
        (body_line(path, 2), "read rows"),
        (body_line(path, 4), "inspected the schema"),
        (body_line(path, 6), "inspected the schema"),
        (body_line(path, 9), "read rows"),
    ]
    assert "get_indexes('users')" in plan.reads[1].detail
    assert [s.name for s in plan.steps] == [
        *["get_bind().execute"] * 3,  # the loop runs; each SELECT is a step
        "create_table",  # has_table answered False
        "get_bind().execute",  # rowcount answered 0: the loop does not run
    ]
    assert not plan.stopped


def test_capture_stops_where_the_code_needs_the_real_answer(files: Project) -> None:
    path = files.add(
        "r1",
        """
conn = op.get_bind()
op.add_column("users", sa.Column("slug", sa.Text()))
first_id = conn.execute(sa.text("SELECT min(id) FROM users")).fetchone()[0]
op.drop_column("users", "name")
""",
        "pass",
    )
    reflect = files.add(
        "r2",
        """
op.add_column("users", sa.Column("slug", sa.Text()))
users = sa.Table("users", sa.MetaData(), autoload_with=op.get_bind())
op.drop_column("users", "name")
""",
        "pass",
    )
    meta = files.add(
        "r3",
        """
meta = sa.MetaData()
meta.reflect(op.get_bind())
users = meta.tables["users"]
""",
        "pass",
    )
    project = load(files)
    book = RecordBook.of(project)
    r1, r2, r3 = (book.plan(s, "upgrade") for s in project.revisions())
    assert r1.stopped and r1.error_lineno == body_line(path, 2)
    assert r1.needs_database is not None
    assert "depends on the answer guessed at" in r1.needs_database
    assert f"line {body_line(path, 2)}: read rows" in r1.needs_database
    assert [s.name for s in r1.steps] == ["add_column", "get_bind().execute"]
    assert r2.needs_database == (
        f'line {body_line(reflect, 1)}: inspected the schema (reflects the columns of "users")'
    )
    assert [s.name for s in r2.steps] == ["add_column"]
    assert r3.needs_database == (
        f"line {body_line(meta, 1)}: inspected the schema (reflects tables into a MetaData)"
    )
    assert not (r1.complete or r2.complete or r3.complete)


def test_an_orm_session_finds_nothing_and_its_writes_are_recorded(files: Project) -> None:
    models = """
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
"""
    path = files.add(
        "r1",
        """
session = Session(bind=op.get_bind())
for user in session.query(User).all():
    user.name = user.name.strip()
session.execute(sa.text("UPDATE users SET name = trim(name) WHERE name <> trim(name)"))
session.commit()
op.create_index("ix_users_name", "users", ["name"])
""",
        "pass",
        extra=models,
    )
    adds = files.add(
        "r2",
        """
session = Session(bind=op.get_bind())
session.add(User(name="admin"))
session.commit()
""",
        "pass",
        extra=models,
    )
    project = load(files)
    book = RecordBook.of(project)
    plan = book.plan(project.revisions("r1")[0], "upgrade")
    assert [(r.line, r.cause) for r in plan.reads] == [(body_line(path, 1), "used an ORM session")]
    assert [s.name for s in plan.steps] == ["get_bind().execute", "create_index"]
    assert plan.steps[0].statements[0].tag == "UPDATE"
    assert not plan.stopped
    flush = book.plan(project.revisions("r2")[0], "upgrade")
    assert flush.needs_database == (
        f"line {body_line(adds, 2)}: used an ORM session (flushes objects, which needs the database)"
    )


def test_a_connection_attribute_offline_capture_cannot_answer_stops_it(files: Project) -> None:
    path = files.add("r1", "level = op.get_bind().get_isolation_level()", "pass")
    project = load(files)
    plan = RecordBook.of(project).plan(project.revisions("r1")[0], "upgrade")
    assert plan.needs_database == (
        f"line {body_line(path)}: used the connection's get_isolation_level"
    )


def test_batch_operations_are_steps_at_their_own_line(files: Project) -> None:
    path = files.add(
        "r1",
        """
with op.batch_alter_table("artifact") as batch_op:
    batch_op.drop_index("ix_artifact_state_id")
    batch_op.drop_column("state_id")
    batch_op.add_column(sa.Column("note", sa.Text()))
""",
        "pass",
    )
    project = load(files)
    plan = RecordBook.of(project).plan(project.revisions("r1")[0], "upgrade")
    assert [(s.name, s.lineno) for s in plan.steps] == [
        ("drop_index", body_line(path, 1)),
        ("drop_column", body_line(path, 2)),
        ("add_column", body_line(path, 3)),
    ]
    assert [s.sql for s in plan.steps] == [
        "DROP INDEX ix_artifact_state_id;",
        "ALTER TABLE artifact DROP COLUMN state_id;",
        "ALTER TABLE artifact ADD COLUMN note TEXT;",
    ]


def test_statements_that_only_destroy_what_the_plan_created_are_not_destructive(
    files: Project,
) -> None:
    files.add(
        "r1",
        """
op.add_column("users", sa.Column("slug", sa.Text()))
op.execute("UPDATE users SET slug = lower(name)")
op.execute("UPDATE users SET slug = lower(name), name = upper(name)")
op.create_table("tmp", sa.Column("id", sa.Integer))
op.execute("DELETE FROM tmp")
op.drop_table("tmp")
op.drop_column("users", "slug")
op.drop_column("users", "name")
""",
        "pass",
    )
    project = load(files)
    plan = RecordBook.of(project).plan(project.revisions("r1")[0], "upgrade")
    reasons = [destructive.step_reasons(s) for s in plan.steps]
    assert reasons[1] == []
    assert reasons[2] == ['overwrites slug, name in every row of "users" (no WHERE)']
    assert reasons[4] == reasons[5] == reasons[6] == []
    assert reasons[7] == ['drops column "users"."name" and the data in it']


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


def test_operations_registered_by_env_py_imports_are_known(files: Project) -> None:
    plugin = files.root / "plugin_ops_for_capture.py"
    plugin.write_text(
        textwrap.dedent("""\
        from alembic.operations import MigrateOperation, Operations


        @Operations.register_operation("sync_values_for_capture")
        class SyncValues(MigrateOperation):
            def __init__(self, name):
                self.name = name

            @classmethod
            def sync_values_for_capture(cls, operations, name):
                return operations.invoke(cls(name))


        @Operations.implementation_for(SyncValues)
        def sync_values(operations, operation):
            operations.execute(f"ALTER TYPE {operation.name} ADD VALUE IF NOT EXISTS 'x'")
        """)
    )
    env = files.root / "migrations" / "env.py"
    env.write_text("import plugin_ops_for_capture  # registers an operation\n" + env.read_text())
    files.add("r1", 'op.sync_values_for_capture("status")', "pass")
    sys.path.insert(0, str(files.root))
    try:
        project = load(files)
        assert import_env_plugins(project.script.dir) == ["plugin_ops_for_capture"]
        plan = RecordBook.of(project).plan(project.revisions("r1")[0], "upgrade")
    finally:
        sys.path.remove(str(files.root))
    assert plan.complete
    assert [(s.name, s.sql) for s in plan.steps] == [
        ("sync_values", "ALTER TYPE status ADD VALUE IF NOT EXISTS 'x';")
    ]


def test_a_plan_with_guessed_answers_is_backed_up_and_not_rendered_as_sql(files: Project) -> None:
    from alembic_safe.analysis.backup_policy import decide
    from alembic_safe.config import Settings
    from alembic_safe.docs import sqlscript

    files.add(
        "r1",
        """
for row in op.get_bind().execute(sa.text("SELECT id FROM users")):
    op.execute(sa.text(f"UPDATE users SET x = 1 WHERE id = {row[0]}"))
""",
        "pass  # nothing to restore",
    )
    project = load(files)
    record = RecordBook.of(project).get(project.revisions("r1")[0])
    pending = record.pending("upgrade")
    assert not pending.complete and not record.upgrade.stopped
    assert decide(Settings(backup="destructive"), [pending]).due
    assert sqlscript.refusal(record, "upgrade") == record.upgrade.status()
