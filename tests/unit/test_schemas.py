"""Schema-qualified names: the page's quoting and where the history table is looked for."""

from __future__ import annotations

from pathlib import Path

from alembic_safe import commands
from alembic_safe.config import Settings
from alembic_safe.docs.markdown import cell, inline, qualified, text
from alembic_safe.guard.history import configured_schema
from tests.support import Project


def test_pages_quote_each_part_of_a_qualified_name() -> None:
    assert qualified('drops column "sales.users"."phone"') == 'drops column "sales"."users"."phone"'
    assert inline('locks "audit.events" and "users"') == 'locks "audit"."events" and "users"'
    assert cell('"a.b" | x') == '"a"."b" \\| x'
    assert qualified('"Mixed.Case"') == '"Mixed.Case"'  # not a pair of plain names
    assert text('"sales.users"') == '"sales.users"'  # free text from a person stays as written


def test_history_schema_comes_from_the_setting_then_env_py(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "app")
    config = commands.config_from(project.ini)
    assert configured_schema(config, Settings()) is None
    env_py = project.root / "migrations" / "env.py"
    env_py.write_text(
        env_py.read_text().replace(
            "run_migrations(context, target_metadata,",
            'run_migrations(context, target_metadata, version_table_schema="sales",',
        )
    )
    assert configured_schema(config, Settings()) == "sales"
    assert configured_schema(config, Settings(version_table_schema="ops")) == "ops"
    assert configured_schema(None, Settings()) is None
