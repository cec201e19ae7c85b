"""The sources of a rehearsal: ``--url`` (schema or full copy), ``--template``, ``--from-backup``.

The source database is exactly as before after every rehearsal (catalog and row
checksums), and bad inputs end with a clear message and exit code 2.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from alembic_safe.pg.client import find_tools
from alembic_safe.postgres import PostgresServer
from tests.integration.test_rehearse import DROP_USERS, USERS, last, run, run_json
from tests.support import Database, Project, output

ROWS = "INSERT INTO users (name, age, email) SELECT 'user' || i, i, 'u' || i || '@x' FROM generate_series(1, 40) i"
WIDEN = (
    'op.alter_column("users", "name", type_=sa.String(100), existing_type=sa.String(50))',
    'op.alter_column("users", "name", type_=sa.String(50), existing_type=sa.String(100))',
)


def _source_at_r1(project: Project) -> Database:
    """The project's database at r1 with 40 users; r2 is pending."""
    assert project.database is not None
    ini = project.ini.read_text()
    placeholder = "sqlalchemy.url = driver://user:pass@localhost/dbname"
    project.ini.write_text(ini.replace(placeholder, f"sqlalchemy.url = {project.database.url}"))
    project.add("r1", USERS, DROP_USERS)
    done = project.alembic("upgrade", "r1")
    assert done.returncode == 0, output(done)
    project.database.execute(ROWS)
    project.database.execute("ANALYZE users")
    project.add("r2", *WIDEN)
    return project.database


def _scratch_databases(server: PostgresServer) -> list[str]:
    with server.connect(autocommit=True) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname ~ '_rehearsal_'")
        return [r[0] for r in rows.fetchall()]


def test_a_schema_copy_rehearses_pending_revisions_and_leaves_the_source_alone(
    stock_project: Project,
) -> None:
    source = _source_at_r1(stock_project)
    before = source.snapshot()

    code, found, stderr = run_json(stock_project, "--url", source.url)

    assert code == 0, stderr
    assert found["source_kind"] == "url"
    assert "(pg_dump (schema copy))" in found["source"] and "***" in found["source"]
    assert source.server.password not in json.dumps(found) + stderr
    assert [r["revision"] for r in found["revisions"]] == ["r2"]  # r1 is applied there
    r2 = last(found)
    assert r2["status"] == "passed"
    assert r2["seeded"] == {"public.users": 3}  # a schema copy has no rows: seeded
    stats = r2["source_stats"]["public.users"]
    assert stats["rows"] == 40 and stats["bytes"] > 0  # the source's estimate, for the report
    assert source.snapshot() == before  # schema and every row as before
    assert source.version() == ["r1"]


def test_a_full_copy_checks_the_round_trip_on_the_source_rows(stock_project: Project) -> None:
    source = _source_at_r1(stock_project)
    before = source.snapshot()

    code, found, stderr = run_json(stock_project, "--url", source.url, "--copy", "full")

    assert code == 0, stderr
    r2 = last(found)
    assert r2["seeded"] == {}
    assert [(t["table"], t["rows_before"], t["rows_after"]) for t in r2["data"]] == [
        ("users", 40, 40)
    ]
    assert source.snapshot() == before


def test_a_template_copy_runs_on_the_source_server_and_is_dropped(
    stock_project: Project, pg_server: PostgresServer
) -> None:
    source = _source_at_r1(stock_project)
    before = source.snapshot()

    code, found, stderr = run_json(stock_project, "--url", source.url, "--template")

    assert code == 0, stderr
    assert "CREATE DATABASE ... TEMPLATE" in found["source"]
    assert last(found)["data"][0]["rows_before"] == 40
    assert source.snapshot() == before
    assert _scratch_databases(pg_server) == []


def test_a_template_copy_is_refused_while_others_are_connected(
    stock_project: Project, pg_server: PostgresServer
) -> None:
    source = _source_at_r1(stock_project)
    with source.connect() as other:
        other.execute("SELECT 1")

        done = run(stock_project, "--url", source.url, "--template")

        text = output(done)
        assert done.returncode == 2, text
        assert "Traceback" not in text
        assert "1 other session(s) are connected to" in text
        assert "the rehearsal never ends other sessions" in text
        assert "leave out --template" in text
        assert other.execute("SELECT 1").fetchone() == (1,)  # still connected
    assert _scratch_databases(pg_server) == []


def test_a_backup_restores_and_is_rehearsed(stock_project: Project, tmp_path: Path) -> None:
    source = _source_at_r1(stock_project)
    made = stock_project.alembic_safe(
        "backup", "--url", source.url, "--out", str(tmp_path / "backups")
    )
    assert made.returncode == 0, output(made)
    backup = Path(made.stdout.strip().splitlines()[-1])

    code, found, stderr = run_json(stock_project, "--from-backup", str(backup))

    assert code == 0, stderr
    assert found["source_kind"] == "backup"
    assert found["restored_revisions"] == ["r1"]  # the backup's label, proven by the restore
    assert last(found)["data"][0]["rows_before"] == 40
    text = run(stock_project, "--from-backup", str(backup)).stdout
    assert "The backup restores (its label says revision r1)." in text


def test_any_pg_dump_archive_restores_and_is_rehearsed(
    stock_project: Project, tmp_path: Path
) -> None:
    source = _source_at_r1(stock_project)
    archive = tmp_path / "plain.dump"
    pg_dump = find_tools(source.server.major, names=("pg_dump",))["pg_dump"].path
    subprocess.run(
        [str(pg_dump), "-Fc", "-f", str(archive), "-d", source.name,
         "-h", source.server.host, "-p", str(source.server.port), "-U", source.server.user],
        env={"PGPASSWORD": source.server.password or ""},
        check=True,
    )  # fmt: skip

    code, found, stderr = run_json(stock_project, "--from-backup", str(archive))

    assert code == 0, stderr
    assert found["restored_revisions"] is None  # no label: nothing to compare
    assert [r["revision"] for r in found["revisions"]] == ["r2"]


# ---------------------------------------------------------------- bad inputs


def _refused(project: Project, *args: str) -> str:
    done = run(project, *args)
    text = output(done)
    assert done.returncode == 2, text
    assert "Traceback" not in text, text
    assert text.startswith("error: ") or "\nerror: " in text, text
    return text


def test_a_missing_backup_file_is_a_clear_error(stock_project: Project, tmp_path: Path) -> None:
    stock_project.add("r1", USERS, DROP_USERS)
    text = _refused(stock_project, "--from-backup", str(tmp_path / "nope.dump"))
    assert "No such backup file" in text and "nope.dump" in text


def test_a_garbage_file_is_a_clear_error(stock_project: Project, tmp_path: Path) -> None:
    stock_project.add("r1", USERS, DROP_USERS)
    garbage = tmp_path / "garbage.dump"
    garbage.write_bytes(b"this is not an archive\n" * 10)
    text = _refused(stock_project, "--from-backup", str(garbage))
    assert "is not a pg_dump archive that pg_restore can read" in text
    assert "pg_dump -Fc" in text


def test_an_unreachable_url_is_a_clear_error(stock_project: Project) -> None:
    stock_project.add("r1", USERS, DROP_USERS)
    text = _refused(stock_project, "--url", "postgresql+psycopg://app:secret@127.0.0.1:1/shop")
    assert "Cannot connect to the source database" in text
    assert "postgresql+psycopg://app:***@127.0.0.1:1/shop" in text
    assert "secret" not in text


def test_a_bad_range_is_a_clear_error(stock_project: Project) -> None:
    stock_project.add("r1", USERS, DROP_USERS)
    text = _refused(stock_project, "--ephemeral", "nope:head")
    assert "Revision range 'nope:head' does not match this project" in text


def test_two_sources_at_once_are_a_clear_error(stock_project: Project, tmp_path: Path) -> None:
    stock_project.add("r1", USERS, DROP_USERS)
    text = _refused(stock_project, "--ephemeral", "--from-backup", str(tmp_path / "x.dump"))
    assert "--from-backup and --ephemeral were both given" in text
    text = _refused(stock_project, "--ephemeral", "--copy", "full")
    assert "--copy applies to --url only" in text


def test_a_range_of_applied_revisions_is_a_clear_error(stock_project: Project) -> None:
    source = _source_at_r1(stock_project)
    text = _refused(stock_project, "--url", source.url, "r1:r2")
    assert "r1 of the range 'r1:r2' are already applied on the copy (it is at r1)" in text
