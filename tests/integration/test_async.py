"""Async env.py files: asyncpg and psycopg's async mode, guarded on the real server."""

from __future__ import annotations

from pathlib import Path

from tests.support import Database, Project, output

CREATE = """
op.create_table("accounts", sa.Column("id", sa.BigInteger, primary_key=True),
                sa.Column("name", sa.String(100)))
"""
DROP = 'op.drop_table("accounts")'
TAIL = "if context.is_offline_mode():\n    run_migrations_offline()\nelse:\n    run_migrations_online()\n"
ONE_LINE = "import alembic_safe\n\nalembic_safe.run_migrations(context, target_metadata)\n"


def _url(database: Database, driver: str) -> str:
    return database.server.url(database.name, driver=driver)


def _stock_async(tmp_path: Path, database: Database) -> Project:
    project = Project.create(tmp_path / "svc", database, stock=True, template="async")
    ini = project.ini.read_text().replace("driver://user:pass@localhost/dbname", "")
    project.ini.write_text(ini)
    return project


def _outcomes(database: Database) -> list[tuple[str, str, str]]:
    return [(h["revision"], h["direction"], h["outcome"]) for h in database.history()]


def test_stock_async_env_with_the_readme_line_is_guarded_on_asyncpg(
    tmp_path: Path, database: Database
) -> None:
    project = _stock_async(tmp_path, database)
    env_py = project.root / "migrations" / "env.py"
    source = env_py.read_text()
    assert TAIL in source and "run_sync" in source
    env_py.write_text(source.replace(TAIL, ONE_LINE))
    url = _url(database, "postgresql+asyncpg")
    project.add("r1", CREATE, DROP)
    bad = project.add("r2", 'op.drop_column("accounts", "name")', "pass")
    refused = project.alembic("upgrade", "head", DATABASE_URL=url)
    text = output(refused)
    assert refused.returncode == 1, text
    assert "FAILED:" in text and "empty downgrade" in text and "Traceback" not in text
    assert database.version() == []
    bad.unlink()
    applied = project.alembic("-x", "backup=skip", "upgrade", "head", DATABASE_URL=url)
    assert applied.returncode == 0, output(applied)
    assert database.version() == ["r1"]
    down = project.alembic(
        "-x", "confirm=r1", "-x", "backup=skip", "downgrade", "base", DATABASE_URL=url
    )
    assert down.returncode == 0, output(down)
    assert database.scalar("SELECT to_regclass('accounts')") is None
    assert _outcomes(database) == [
        ("r2", "upgrade", "refused"),
        ("r1", "upgrade", "applied"),
        ("r1", "downgrade", "applied"),
    ]


def test_stock_async_env_calling_the_hook_inside_run_sync_on_psycopg_async(
    tmp_path: Path, database: Database
) -> None:
    project = _stock_async(tmp_path, database)
    env_py = project.root / "migrations" / "env.py"
    source = env_py.read_text()
    body = (
        "    context.configure(connection=connection, target_metadata=target_metadata)\n\n"
        "    with context.begin_transaction():\n"
        "        context.run_migrations()\n"
    )
    assert body in source
    hooked = "    import alembic_safe\n\n    alembic_safe.run_migrations(context, target_metadata, connectable=connection)\n"
    env_py.write_text(source.replace(body, hooked, 1))
    url = _url(database, "postgresql+psycopg").replace("%", "%%")
    project.ini.write_text(
        project.ini.read_text().replace("sqlalchemy.url = \n", f"sqlalchemy.url = {url}\n")
    )
    project.add("r1", CREATE, DROP)
    result = project.alembic("-x", "backup=skip", "upgrade", "head", DATABASE_URL="")
    assert result.returncode == 0, output(result)
    assert "1 revision(s) to run" in output(result)
    assert _outcomes(database) == [("r1", "upgrade", "applied")]


def test_async_template_backs_up_and_applies_with_asyncpg(
    tmp_path: Path, database: Database
) -> None:
    project = Project.create(tmp_path / "app", database, template="async")
    env_py = (project.root / "migrations" / "env.py").read_text()
    assert "postgresql+asyncpg" in env_py and "alembic_safe.run_migrations(context" in env_py
    project.add("r1", CREATE, DROP)
    backups = tmp_path / "dumps"
    result = project.alembic(
        "-x",
        f"backup_dir={backups}",
        "-x",
        "backup=always",
        "upgrade",
        "head",
        DATABASE_URL=_url(database, "postgresql+asyncpg"),
    )
    assert result.returncode == 0, output(result)
    assert database.version() == ["r1"]
    [dump] = [p for p in backups.iterdir() if p.suffix == ".dump"]
    assert database.history()[0]["backup"] == str(dump)


def test_an_async_engine_passed_from_a_running_event_loop(
    tmp_path: Path, database: Database
) -> None:
    project = Project.create(tmp_path / "app", database, template="async")
    env_py = project.root / "migrations" / "env.py"
    env_py.write_text(
        env_py.read_text().replace(
            "alembic_safe.run_migrations(context, target_metadata)\n",
            "import asyncio, os\n"
            "from sqlalchemy.ext.asyncio import create_async_engine\n\n"
            "async def main():\n"
            "    engine = create_async_engine(os.environ['APP_DB'])\n"
            "    alembic_safe.run_migrations(context, target_metadata, connectable=engine)\n"
            "    await engine.dispose()\n\n"
            "asyncio.run(main())\n",
        )
    )
    project.add("r1", CREATE, DROP)
    result = project.alembic(
        "-x", "backup=skip", "upgrade", "head", APP_DB=_url(database, "postgresql+asyncpg")
    )
    assert result.returncode == 0, output(result)
    assert _outcomes(database) == [("r1", "upgrade", "applied")]


def test_async_url_to_a_closed_port_is_a_clear_configuration_error(
    tmp_path: Path, database: Database
) -> None:
    project = Project.create(tmp_path / "app", database, template="async")
    project.add("r1", CREATE, DROP)
    result = project.alembic(
        "upgrade", "head", DATABASE_URL="postgresql+asyncpg://u:hunter2@127.0.0.1:1/x"
    )
    text = output(result)
    assert result.returncode == 2, text
    assert "FAILED: Cannot connect to postgresql+asyncpg://u:***@127.0.0.1:1/x" in text
    assert "Traceback" not in text and "hunter2" not in text
