"""Schema-qualified projects end to end: include_schemas=True and version_table_schema."""

from __future__ import annotations

import re

from tests.support import Project, output

SCHEMAS = """
op.execute("CREATE SCHEMA IF NOT EXISTS sales")
op.execute("CREATE SCHEMA IF NOT EXISTS audit")
"""
TABLES = """
op.create_table("users", sa.Column("id", sa.BigInteger, primary_key=True), schema="sales")
op.create_table("posts", sa.Column("id", sa.BigInteger, primary_key=True),
                sa.Column("user_id", sa.BigInteger), schema="sales")
op.create_table("events", sa.Column("id", sa.BigInteger, primary_key=True),
                sa.Column("user_id", sa.BigInteger), schema="audit")
"""
DROP_TABLES = """
op.drop_table("events", schema="audit")
op.drop_table("posts", schema="sales")
op.drop_table("users", schema="sales")
"""
FK = """
op.create_foreign_key("fk_events_user", "events", "users", ["user_id"], ["id"],
                      source_schema="audit", referent_schema="sales")
op.create_index("ix_posts_user_id", "posts", ["user_id"], schema="sales")
op.add_column("users", sa.Column("phone", sa.String(20)), schema="sales")
"""
UNDO_FK = """
op.drop_column("users", "phone", schema="sales")
op.drop_index("ix_posts_user_id", table_name="posts", schema="sales")
op.drop_constraint("fk_events_user", "events", type_="foreignkey", schema="audit")
"""


def _schema_project(project: Project) -> Project:
    env_py = project.root / "migrations" / "env.py"
    env_py.write_text(
        env_py.read_text().replace(
            "alembic_safe.run_migrations(context, target_metadata,",
            "alembic_safe.run_migrations(context, target_metadata, include_schemas=True, "
            'version_table_schema="sales",',
        )
    )
    assert project.database is not None
    project.database.execute("CREATE SCHEMA sales")
    project.add("s1", SCHEMAS, 'op.execute("DROP SCHEMA audit")')
    project.add("s2", TABLES, DROP_TABLES)
    project.add("s3", FK, UNDO_FK)
    return project


def test_upgrade_derives_checks_in_the_right_schemas_and_logs_there(project: Project) -> None:
    _schema_project(project)
    result = project.alembic("-x", "backup=skip", "upgrade", "head")
    assert result.returncode == 0, output(result)
    assert project.database is not None
    assert project.database.scalar("SELECT version_num FROM sales.alembic_version") == "s3"
    assert project.database.scalar("SELECT count(*) FROM sales.alembic_safe_history") == 3
    down = project.alembic("-x", "backup=skip", "-x", "confirm=s3", "downgrade", "s2")
    assert down.returncode == 0, output(down)
    history = project.alembic_safe("history")
    text = output(history)
    assert history.returncode == 0, text
    assert "No migration runs recorded yet" not in text
    assert [line.split()[2] for line in text.splitlines()[1:]] == ["s3", "s3", "s2", "s1"]


def test_check_matches_schema_qualified_drops_in_the_downgrade(project: Project) -> None:
    _schema_project(project)
    result = project.alembic_safe("check", "--format", "json")
    assert "incomplete-downgrade" not in result.stdout, result.stdout
    project.add(
        "s4",
        'op.create_index("ix_posts_id", "posts", ["id"], schema="sales")',
        'op.execute("SELECT 1")',
    )
    result = project.alembic_safe("check", "s4")
    assert "incomplete-downgrade" in result.stdout
    assert 'op.drop_index("ix_posts_id", table_name="posts", schema="sales")' in result.stdout


def test_pages_quote_schema_table_and_column_apart(project: Project) -> None:
    _schema_project(project)
    result = project.alembic_safe("doc")
    assert result.returncode == 0, output(result)
    [page] = (project.root / "docs" / "migrations").glob("s3_*.md")
    # the SQL scripts are what export writes; code spans are Python (the linter's suggestions)
    prose = re.sub(r"`[^`]*`", "", page.read_text().split("## SQL")[0])
    assert '"sales.users"' not in prose and '"audit.events"' not in prose
    assert 'drops column "sales"."users"."phone"' in prose
    assert 'column "sales"."users"."phone" does not exist (derived from add_column' in prose
    assert 'to "sales"."users"' in prose  # the tables of the foreign key, in the impact table
