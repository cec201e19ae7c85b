"""``alembic-safe adopt``: stock, pyproject-based and async projects, on the real server."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.support import Database, Project, output

OLD_FINDING = 'op.create_index("ix_t_id", "t", ["id"])'
TABLE = 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))'


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _stock(
    tmp_path: Path,
    database: Database,
    template: str = "generic",
    driver: str = "postgresql+psycopg",
) -> Project:
    """Alembic's own template, with the database in sqlalchemy.url (its env.py reads it)."""
    project = Project.create(tmp_path / "svc", database, stock=True, template=template)
    url = database.server.url(database.name, driver=driver).replace("%", "%%")
    ini = project.ini.read_text().replace("driver://user:pass@localhost/dbname", url)
    project.ini.write_text(ini)
    return project


def test_adopt_a_stock_project_dry_run_apply_and_again(tmp_path: Path, database: Database) -> None:
    project = _stock(tmp_path, database)
    project.add("r1", TABLE, 'op.drop_table("t")')
    project.add("r2", OLD_FINDING, 'op.drop_index("ix_t_id", table_name="t")')
    before = _tree(project.root)
    dry = project.alembic_safe("adopt", "--dry-run")
    assert dry.returncode == 0, output(dry)
    assert _tree(project.root) == before  # a dry run writes nothing
    assert (
        "+        alembic_safe.run_migrations(context, target_metadata, connectable=connection)"
        in dry.stdout
    )
    assert (
        "-        context.configure(" in dry.stdout and "Dry run: nothing was written" in dry.stdout
    )

    done = project.alembic_safe("adopt")
    assert done.returncode == 0, output(done)
    migrations = project.root / "migrations"
    assert (migrations / "script.py.mako.orig").read_text() != (
        migrations / "script.py.mako"
    ).read_text()
    assert "def verify() -> None:" in (migrations / "script.py.mako").read_text()
    assert "alembic_safe_doc.module = alembic_safe.write_hook" in project.ini.read_text()
    assert "baseline = .alembic-safe-baseline.json" in project.ini.read_text()
    assert "(1 recorded)" in done.stdout
    adopted = _tree(project.root)
    again = project.alembic_safe("adopt")
    assert again.returncode == 0 and "Nothing to change: the project is adopted." in again.stdout
    assert _tree(project.root) == adopted  # re-running changes nothing

    # the old finding is in the baseline; a new one fails the check
    assert project.alembic_safe("check").returncode == 0
    revision = project.alembic("revision", "-m", "index the ids again")
    text = output(revision)
    assert revision.returncode == 0, text
    assert "RuntimeWarning" not in text and "found in sys.modules" not in text
    new_file = next(migrations.glob("versions/*_index_the_ids_again.py"))
    assert "Purpose: index the ids again" in new_file.read_text()
    assert list((project.root / "docs" / "migrations").glob("*_index_the_ids_again.md"))
    new_file.write_text(
        new_file.read_text().replace(
            '    """Upgrade schema."""\n    pass',
            '    """Upgrade schema."""\n    op.create_index("ix_t_id2", "t", ["id"])',
        )
    )
    failing = project.alembic_safe("check")
    assert failing.returncode == 1 and "ix_t_id2" in failing.stdout, output(failing)

    # and the upgrade is guarded: the new revision's empty downgrade is refused
    upgrade = project.alembic("upgrade", "head")
    assert upgrade.returncode == 1 and "FAILED:" in output(upgrade), output(upgrade)
    assert database.version() == []


def test_adopt_a_pyproject_project_puts_the_hook_in_pyproject(
    tmp_path: Path, database: Database
) -> None:
    project = _stock(tmp_path, database, template="pyproject")
    done = project.alembic_safe("adopt")
    assert done.returncode == 0, output(done)
    pyproject = (project.root / "pyproject.toml").read_text()
    assert "[[tool.alembic.post_write_hooks]]\n" in pyproject
    assert 'module = "alembic_safe.write_hook"' in pyproject
    assert '[tool.alembic-safe]\nbaseline = ".alembic-safe-baseline.json"' in pyproject
    revision = project.alembic("revision", "-m", "first")
    assert revision.returncode == 0, output(revision)
    assert "Running post write hook 'alembic_safe_doc'" in output(revision)
    assert list((project.root / "docs" / "migrations").glob("*_first.md"))
    path = next(project.versions.glob("*_first.py"))
    path.write_text(
        path.read_text()
        .replace('    """Upgrade schema."""\n    pass', f'    """Upgrade schema."""\n    {TABLE}')
        .replace("    pass\n\n\ndef verify", '    op.drop_table("t")\n\n\ndef verify')
    )
    upgrade = project.alembic("-x", "backup=skip", "upgrade", "head")
    assert upgrade.returncode == 0, output(upgrade)
    assert [h["outcome"] for h in database.history()] == ["applied"]
    assert project.alembic_safe("adopt").stdout.endswith(
        "Nothing to change: the project is adopted.\n"
    )


def test_adopt_an_async_project_and_upgrade_on_asyncpg(tmp_path: Path, database: Database) -> None:
    project = _stock(tmp_path, database, template="async", driver="postgresql+asyncpg")
    project.add("r1", TABLE, 'op.drop_table("t")')
    done = project.alembic_safe("adopt")
    assert done.returncode == 0, output(done)
    env_py = (project.root / "migrations" / "env.py").read_text()
    assert "alembic_safe.run_migrations(context, target_metadata, connectable=connection)" in env_py
    assert "await connection.run_sync(do_run_migrations)" in env_py  # their async wrapper stays
    upgrade = project.alembic("-x", "backup=skip", "upgrade", "head", DATABASE_URL="")
    assert upgrade.returncode == 0, output(upgrade)
    assert [(h["revision"], h["outcome"]) for h in database.history()] == [("r1", "applied")]


def test_adopt_refuses_an_env_py_it_cannot_read_and_writes_nothing(
    tmp_path: Path, database: Database
) -> None:
    project = _stock(tmp_path, database)
    env_py = project.root / "migrations" / "env.py"
    env_py.write_text("from alembic import context\n\nrun_everything(context)\n")
    before = _tree(project.root)
    result = project.alembic_safe("adopt")
    assert result.returncode == 2
    assert "has no context.configure(...) followed by" in result.stderr
    assert "Adopt it by hand" in result.stderr and "Traceback" not in output(result)
    assert _tree(project.root) == before
    missing = project.alembic_safe("adopt", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "No Alembic configuration at" in missing.stderr
