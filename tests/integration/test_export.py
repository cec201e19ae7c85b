"""``alembic-safe export``: the reviewed SQL files, applied with real psql on a real server."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from alembic_safe import cli
from alembic_safe.capture.project import Project as AlembicProject
from alembic_safe.commands import config_from
from alembic_safe.docs import sqlscript
from alembic_safe.postgres import PostgresServer
from alembic_safe.record import RecordBook
from tests.integration import docs_sample
from tests.support import (
    Database,
    Project,
    libpq_env,
    new_database,
    output,
    psql_program,
    subprocess_env,
)


def run_export(
    project: Project, directory: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    code = cli.main(["-c", str(project.ini), "export", str(directory)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def psql(database: Database, path: Path) -> None:
    env = subprocess_env(libpq_env(make_url(database.url)))
    result = subprocess.run(
        [psql_program(database.server), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, f"{path.name}: {result.stderr}"


def heads(database: Database) -> list[str] | None:
    if not database.scalar("SELECT to_regclass('alembic_version') IS NOT NULL"):
        return None
    return database.version()


def test_psql_applies_the_export_to_the_schema_of_alembic_upgrade_and_back(
    project: Project, pg_server: PostgresServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    assert project.database is not None
    upgraded = project.alembic("-x", "confirm=g7", "upgrade", "heads")
    assert upgraded.returncode == 0, output(upgraded)
    expected = project.database.snapshot()

    out = tmp_path / "sql"
    code, text = run_export(project, out, capsys)
    assert code == 0, text
    assert "7 revision(s) exported" in text
    docs_sample.compare(out, docs_sample.GOLDEN / "export")

    loaded = AlembicProject.load(config_from(project.ini))
    positions = sqlscript.order(RecordBook.of(loaded), loaded.all_revisions())
    forward = sorted(p for p in out.glob("*.sql") if "_rollback_" not in p.name)
    rollback = sorted(p for p in out.glob("*.sql") if "_rollback_" in p.name)
    assert [p.name[:3] for p in forward] == [f"{n:03d}" for n in range(1, 8)]

    target = new_database(pg_server)
    empty = target.snapshot()
    try:
        for position, path in zip(positions, forward, strict=True):
            psql(target, path)
            assert heads(target) == sorted(position.heads_after), path.name
        assert target.snapshot() == expected  # schema, and the version table's rows
        for position, path in zip(reversed(positions), reversed(rollback), strict=True):
            psql(target, path)
            before = sorted(position.heads_before)
            assert heads(target) == (before or None), path.name
        assert target.snapshot() == empty
    finally:
        pg_server.drop_database(target.name)


def test_second_export_changes_nothing_and_removes_stale_files(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    out = tmp_path / "sql"
    assert run_export(project, out, capsys)[0] == 0
    mine = out / "099_manual_fix.sql"
    mine.write_text("-- applied by hand in 2024\nSELECT 1;\n")
    code, text = run_export(project, out, capsys)
    assert code == 0, text
    assert "0 file(s) written, 15 unchanged" in text

    revision = project.versions / "g7_drop_legacy_code.py"
    revision.write_text(
        revision.read_text().replace('"""drop legacy code', '"""drop legacy_code column')
    )
    code, text = run_export(project, out, capsys)
    assert code == 0, text
    assert not (out / "007_drop_legacy_code.sql").exists()
    assert not (out / "007_rollback_drop_legacy_code.sql").exists()
    assert (
        (out / "007_drop_legacy_code_column.sql")
        .read_text()
        .startswith("-- Migration: drop legacy_code column\n")
    )
    assert f"removed {out / '007_drop_legacy_code.sql'}" in text
    assert mine.read_text() == "-- applied by hand in 2024\nSELECT 1;\n"


def test_a_revision_that_reads_rows_stops_the_export_before_writing(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    project.add(
        "h8",
        """
        bind = op.get_bind()
        for (user_id,) in bind.execute(sa.text("SELECT id FROM users")).fetchall():
            bind.execute(sa.text("UPDATE orders SET total = 0 WHERE user_id = :u"), {"u": user_id})
        """,
        "pass",
        message="reset totals",
        extra='irreversible = "totals are recomputed nightly"\n',
    )
    out = tmp_path / "sql"
    code, text = run_export(project, out, capsys)
    assert code == 2
    assert "cannot be rendered as SQL offline; nothing was written" in text
    assert "h8 (migrations/versions/h8_reset_totals.py)" in text
    assert "upgrade(): needs a database: line 25: read rows (fetchall() of SELECT" in text
    assert "op.execute" in text  # what to do
    assert "Traceback" not in text
    assert not out.exists()


def test_a_revision_that_does_not_import_stops_the_export(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    broken = project.versions / "c3_unique_index_on_email.py"
    broken.write_text(broken.read_text().replace("def upgrade():", "def upgrade(:"))
    out = tmp_path / "sql"
    code, text = run_export(project, out, capsys)
    assert code == 2
    assert "some revision files cannot be imported" in text
    assert "migrations/versions/c3_unique_index_on_email.py: line" in text
    assert "SyntaxError" in text and "Traceback" not in text
    assert not out.exists()


def test_export_into_a_directory_with_someone_elses_readme_is_refused(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    out = tmp_path / "sql"
    out.mkdir()
    (out / "README.md").write_text("# DBA notes\n")
    code, text = run_export(project, out, capsys)
    assert code == 2
    assert "is not a migration log written by alembic-safe" in text
    assert sorted(p.name for p in out.iterdir()) == ["README.md"]


def test_export_works_for_a_stock_alembic_project(
    stock_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(stock_project)
    out = tmp_path / "sql"
    code, text = run_export(stock_project, out, capsys)
    assert code == 0, text
    first = (out / "001_create_users_and_orders.sql").read_text()
    assert first.startswith("-- Migration: create users and orders\n")
    assert "DO $alembic_safe$" in first and "CREATE TABLE alembic_version" in first
