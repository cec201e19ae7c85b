"""Backups that fit a deploy: where they go, how many stay, when the guard dumps, progress."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, pool

from alembic_safe.backup.store import IGNORE_TEXT
from alembic_safe.pg import client
from alembic_safe.pg.progress import Progress, format_size, table_sizes
from tests.support import Database, Project, output

TABLE = """
op.create_table("accounts", sa.Column("id", sa.BigInteger, primary_key=True),
                sa.Column("note", sa.Text))
"""


def _labels(directory: Path) -> list[dict[str, object]]:
    return [json.loads(p.read_text()) for p in sorted(directory.glob("*.dump.json"))]


def _fill(database: Database, rows: int) -> None:
    database.execute(
        f"INSERT INTO accounts SELECT g, md5(g::text) FROM generate_series(1, {rows}) g"
    )


def test_auto_dumps_the_schema_before_an_index_and_the_rows_before_a_delete(
    project: Project, private_state_home: Path
) -> None:
    assert project.database is not None
    project.add("r1", TABLE, 'op.drop_table("accounts")')
    assert project.alembic("-x", "backup=never", "upgrade", "head").returncode == 0
    _fill(project.database, 1000)
    project.add(
        "r2",
        'op.create_index("ix_accounts_note", "accounts", ["note"])',
        'op.drop_index("ix_accounts_note", table_name="accounts")',
    )
    project.add("r3", 'op.execute("DELETE FROM accounts WHERE id > 900")', 'op.execute("SELECT 1")')
    index_only = project.alembic("upgrade", "r2")
    assert index_only.returncode == 0, output(index_only)
    assert "backup = auto, and no pending step destroys or changes rows" in output(index_only)
    deleting = project.alembic("upgrade", "r3")
    assert deleting.returncode == 0, output(deleting)
    assert "backup = auto, and r3 changes rows of existing tables" in output(deleting)
    directory = private_state_home / "alembic-safe" / "backups"  # outside the project
    labels = _labels(directory)
    assert [(label["scope"], label["to_revisions"]) for label in labels] == [
        ("schema", ["r2"]),
        ("full", ["r3"]),
    ]
    assert not (project.root / "backups").exists()
    assert project.database.scalar("SELECT count(*) FROM accounts") == 900


def test_backups_inside_a_repository_get_an_ignore_file_and_the_last_five_stay(
    project: Project, tmp_path: Path
) -> None:
    subprocess.run(["git", "init", "-q", str(project.root)], check=True)
    project.add("r1", TABLE, 'op.drop_table("accounts")')
    assert project.alembic("-x", "backup=never", "upgrade", "head").returncode == 0
    for _ in range(7):
        made = project.alembic_safe("-x", "backup_dir=backups", "backup")
        assert made.returncode == 0, output(made)
    directory = project.root / "backups"
    assert (directory / ".gitignore").read_text() == IGNORE_TEXT
    assert len(list(directory.glob("*.dump"))) == 5  # backup_keep defaults to 5
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "backups/" not in status and "alembic.ini" in status


def test_a_real_dump_reports_its_share_of_the_database_and_the_time_left(
    project: Project, tmp_path: Path
) -> None:
    database = project.database
    assert database is not None
    database.execute("CREATE TABLE small (id int, note text)")
    database.execute("INSERT INTO small SELECT g, md5(g::text) FROM generate_series(1, 1000) g")
    database.execute("CREATE TABLE big (id int, note text)")
    database.execute(
        "INSERT INTO big SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 200000) g"
    )
    engine = create_engine(database.url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        sizes = table_sizes(connection)
    engine.dispose()
    assert set(sizes) == {"public.small", "public.big"} and sizes["public.big"] > 50_000_000
    tools = client.find_tools(0)
    out = tmp_path / "x.dump"
    lines: list[str] = []
    args = [str(tools["pg_dump"].path), "--verbose", "--no-password", "-Fc", f"--file={out}"]
    with (
        client.libpq_environment(client.PgTarget.from_url(database.url)) as env,
        Progress(
            "backup", total_tables=2, emit=lines.append, live=False, interval=0.2, table_bytes=sizes
        ) as progress,  # fmt: skip
    ):
        run = client.run(
            args, env, progress, measure=lambda: out.stat().st_size if out.exists() else 0
        )
        assert run.returncode == 0, run.output()
        progress.done("done")
    assert lines[0] == f"backup: started ({format_size(sum(sizes.values()))} of rows)"
    assert lines[-1] == "backup: done"
    shares = [int(line.split("% of ")[0].rsplit(" ", 1)[1]) for line in lines if "% of" in line]
    assert shares == sorted(shares), lines  # never goes back
    # pg_dump named both tables as table_sizes() does, so their bytes were counted
    assert progress.tables == 2 and progress.current in sizes
    assert progress.covered_done == sum(sizes.values()) - sizes[progress.current]
    assert progress.share() == 1.0
