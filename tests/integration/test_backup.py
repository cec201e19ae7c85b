"""The backup step of the guarded upgrade, and the backup / backups / restore commands.

Every test runs ``alembic upgrade`` or ``alembic-safe`` in a subprocess against the real
test server.  Faults are real where this machine allows it (a full tmpfs, a read-only
mount, a fake pg_dump that reports an old version) and each one must end with nothing
applied and no file left that looks like a complete backup.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from alembic_safe.pg.client import find_tools, read_listing
from alembic_safe.postgres import PostgresServer
from tests.support import Database, Project, output

ACCOUNTS = """
op.create_table(
    "accounts",
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("email", sa.Text, nullable=False),
    sa.Column("note", sa.Text),
)
op.create_table(
    "orders",
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("account_id", sa.BigInteger, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("amount", sa.Numeric(10, 2), nullable=False),
)
op.create_table("audit", sa.Column("id", sa.BigInteger, primary_key=True), sa.Column("what", sa.Text))
"""
DROP_ACCOUNTS = 'op.drop_table("orders")\nop.drop_table("audit")\nop.drop_table("accounts")'


def _fill(database: Database, rows: int = 300) -> None:
    database.execute(
        "INSERT INTO accounts SELECT g, 'user' || g || '@example.org',"
        " CASE WHEN g %% 7 = 0 THEN NULL ELSE 'note ' || md5(g::text) || ' é✓' END"
        " FROM generate_series(1, %s) g",
        (rows,),
    )
    database.execute(
        "INSERT INTO orders SELECT g, 1 + g %% %s, (g * 7 %% 100) + 0.25"
        " FROM generate_series(1, %s) g",
        (rows, rows * 2),
    )
    database.execute("INSERT INTO audit SELECT g, 'event ' || g FROM generate_series(1, 50) g")


def _at_r1(project: Project, rows: int = 300) -> Database:
    project.add("r1", ACCOUNTS, DROP_ACCOUNTS, message="accounts and orders")
    done = project.alembic("-x", "backup=never", "upgrade", "head")
    assert done.returncode == 0, output(done)
    assert project.database is not None
    _fill(project.database, rows)
    return project.database


DESTRUCTIVE = """
op.drop_column("accounts", "note")
op.execute("DELETE FROM orders WHERE amount > 50")
"""
RESTORE_NOTE = 'op.add_column("accounts", sa.Column("note", sa.Text))'


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.is_dir() else []


def _pg_restore() -> Path:
    return find_tools(0, names=("pg_restore",))["pg_restore"].path


@pytest.fixture
def scratch(pg_server: PostgresServer) -> Iterator[list[str]]:
    """Names of extra databases a test creates; dropped afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        pg_server.drop_database(name)


def _new_name() -> str:
    return f"r_{uuid.uuid4().hex[:12]}"


# --------------------------------------------------------------------------- round trip


def test_restore_brings_back_every_row_a_destructive_revision_removed(
    project: Project, tmp_path: Path, scratch: list[str]
) -> None:
    database = _at_r1(project)
    before = database.snapshot()
    project.add("r2", DESTRUCTIVE, RESTORE_NOTE, message="drop note")
    backups = tmp_path / "backups"

    done = project.alembic("-x", f"backup_dir={backups}", "-x", "confirm=r2", "upgrade", "head")

    assert done.returncode == 0, output(done)
    assert re.search(r"backup of .* \(full\): started \([\d.]+ \w+ of rows\)", output(done)), (
        output(done)
    )
    assert database.version() == ["r2"]
    assert database.snapshot() != before  # the revision really removed data
    history = database.history()[1:]  # after r1's row
    assert [(h["revision"], h["outcome"]) for h in history] == [("r2", "applied")]
    path = Path(history[0]["backup"])
    assert path.parent == backups
    assert path.name.startswith(f"{database.name}__") and path.name.endswith("__r1__r2.dump")
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    for name in _files(backups):
        assert stat.S_IMODE((backups / name).stat().st_mode) == 0o600, name
    assert _files(backups) == [path.name, path.name + ".json"]
    label = json.loads((backups / (path.name + ".json")).read_text())
    assert label["from_revisions"] == ["r1"] and label["to_revisions"] == ["r2"]
    assert label["database"] == database.name and label["scope"] == "full"
    # progress off a terminal: plain lines, one at the start and one at the end
    assert f'backup of "{database.name}" (full): started' in done.stdout
    assert "verified" in done.stdout

    target = _new_name()
    scratch.append(target)
    restored = project.alembic_safe("restore", str(path), "--into", target)

    assert restored.returncode == 0, output(restored)
    assert f'into "{target}"' in restored.stdout and "at revision r1" in restored.stdout
    assert "***" in restored.stdout or database.server.password not in restored.stdout
    copy = Database(database.server, target)
    assert copy.version() == ["r1"]
    assert copy.snapshot() == before  # every row back: same checksums of every table


def test_restore_by_default_creates_a_new_dated_database(
    project: Project, tmp_path: Path, scratch: list[str], pg_server: PostgresServer
) -> None:
    database = _at_r1(project, rows=20)
    made = project.alembic_safe("backup", "--out", str(tmp_path / "b"))
    assert made.returncode == 0, output(made)
    path = Path(made.stdout.strip())

    restored = project.alembic_safe("restore", str(path))

    assert restored.returncode == 0, output(restored)
    with pg_server.connect() as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                (f"{database.name}_restored_%",),
            )
        ]
    scratch.extend(names)
    assert len(names) == 1
    assert Database(pg_server, names[0]).snapshot() == database.snapshot()


# --------------------------------------------------------------------------- scope


def test_tables_scope_keeps_the_rows_of_touched_tables_and_the_whole_schema(
    project: Project, tmp_path: Path, scratch: list[str]
) -> None:
    database = _at_r1(project)
    accounts_before = database.snapshot()["tables"]["public.accounts"]
    project.add("r2", 'op.drop_column("accounts", "note")', RESTORE_NOTE, message="drop note")
    backups = tmp_path / "backups"

    done = project.alembic(
        "-x", f"backup_dir={backups}", "-x", "backup_scope=tables", "-x", "confirm=r2",
        "upgrade", "head",
    )  # fmt: skip

    assert done.returncode == 0, output(done)
    path = Path(database.history()[-1]["backup"])
    listing = read_listing(_pg_restore(), path)
    # accounts is touched; orders references it (a cascade reaches it); audit is untouched
    assert listing.has_data("public", "accounts")
    assert listing.has_data("public", "orders")
    assert listing.has_data("public", "alembic_version")
    assert not listing.has_data("public", "audit")
    assert any(" TABLE public audit " in line for line in _toc(path))  # its schema is there
    label = json.loads(path.with_name(path.name + ".json").read_text())
    assert label["scope"] == "tables"
    assert "public.audit" not in label["data_tables"]
    assert {"public.accounts", "public.orders"} <= set(label["data_tables"])

    target = _new_name()
    scratch.append(target)
    restored = project.alembic_safe("restore", str(path), "--into", target)
    assert restored.returncode == 0, output(restored)
    copy = Database(database.server, target).snapshot()
    assert copy["tables"]["public.accounts"] == accounts_before
    assert copy["tables"]["public.audit"]["rows"] == 0


def test_tables_scope_keeps_the_rows_of_a_table_whose_name_has_a_dot(
    project: Project, tmp_path: Path, scratch: list[str]
) -> None:
    database = _at_r1(project, rows=20)
    database.execute('CREATE TABLE "we.ird" (id int PRIMARY KEY, x text)')
    database.execute("INSERT INTO \"we.ird\" SELECT g, 'x' || g FROM generate_series(1, 100) g")
    rows = 'SELECT id, x FROM "we.ird" ORDER BY id'
    before = database.execute(rows)
    assert len(before) == 100
    project.add(
        "r2",
        'op.drop_column("we.ird", "x")\n'
        'op.create_table("fresh", sa.Column("id", sa.Integer, primary_key=True))\n'
        'op.execute("INSERT INTO fresh VALUES (1)")',
        'op.drop_table("fresh")\nop.add_column("we.ird", sa.Column("x", sa.Text))',
        message="drop we.ird x",
    )
    backups = tmp_path / "backups"

    done = project.alembic(
        "-x", f"backup_dir={backups}", "-x", "backup_scope=tables", "-x", "confirm=r2",
        "upgrade", "head",
    )  # fmt: skip

    assert done.returncode == 0, output(done)
    assert "(1 table(s) with data)" not in done.stdout  # the version table is not alone
    assert "full database instead" not in done.stdout  # "fresh" is created by the revision
    path = Path(database.history()[-1]["backup"])
    label = json.loads(path.with_name(path.name + ".json").read_text())
    assert label["scope"] == "tables" and 'public."we.ird"' in label["data_tables"]
    assert "public.audit" not in label["data_tables"]
    assert read_listing(_pg_restore(), path).has_data("public", "we.ird")
    target = _new_name()
    scratch.append(target)
    restored = project.alembic_safe("restore", str(path), "--into", target)
    assert restored.returncode == 0, output(restored)
    assert Database(database.server, target).execute(rows) == before


@pytest.mark.parametrize(
    ("setup", "upgrade", "why"),
    [
        (
            "CREATE VIEW recent_audit AS SELECT * FROM audit WHERE id > 0",
            'op.execute("DELETE FROM recent_audit WHERE id > 25")',
            '"recent_audit" is a view, and the rows behind a view are not followed',
        ),
        (
            "CREATE SCHEMA app; CREATE TABLE app.ledger (id int PRIMARY KEY);"
            " INSERT INTO app.ledger SELECT generate_series(1, 40)",
            'op.execute("SET LOCAL search_path TO app, public")\n'
            'op.execute("DELETE FROM ledger WHERE id > 10")',
            'no table "ledger" is found in the database',
        ),
    ],
)
def test_tables_scope_falls_back_to_full_when_a_touched_name_is_not_a_table_it_finds(
    project: Project, tmp_path: Path, scratch: list[str], setup: str, upgrade: str, why: str
) -> None:
    database = _at_r1(project, rows=300)
    for statement in setup.split("; "):
        database.execute(statement)
    before = database.snapshot()
    project.add("r2", upgrade, 'op.execute("SELECT 1")', message="delete through a name")
    backups = tmp_path / "backups"

    done = project.alembic(
        "-x", f"backup_dir={backups}", "-x", "backup_scope=tables", "upgrade", "head"
    )

    assert done.returncode == 0, output(done)
    assert why in done.stdout and "backing up the full database instead" in done.stdout
    path = Path(database.history()[-1]["backup"])
    label = json.loads(path.with_name(path.name + ".json").read_text())
    assert label["scope"] == "full" and label["data_tables"] is None
    assert database.snapshot() != before  # the revision deleted rows
    target = _new_name()
    scratch.append(target)
    restored = project.alembic_safe("restore", str(path), "--into", target)
    assert restored.returncode == 0, output(restored)
    copy = Database(database.server, target).snapshot()
    assert copy["tables"] == before["tables"]


def _toc(path: Path) -> list[str]:
    out = subprocess.run(
        [str(_pg_restore()), "--list", str(path)], capture_output=True, text=True, check=True
    )
    return out.stdout.splitlines()


def test_directory_format_with_parallel_jobs(
    project: Project, tmp_path: Path, scratch: list[str]
) -> None:
    database = _at_r1(project, rows=50)
    before = database.snapshot()
    backups = tmp_path / "backups"

    made = project.alembic_safe(
        "-x", "backup_format=directory", "-x", "backup_jobs=2", "backup", "--out", str(backups)
    )

    assert made.returncode == 0, output(made)
    path = Path(made.stdout.strip())
    assert path.is_dir() and path.name.endswith("__r1__r1.dumpdir")
    assert stat.S_IMODE(path.stat().st_mode) == 0o700
    for item in path.iterdir():
        assert stat.S_IMODE(item.stat().st_mode) == 0o600, item
    target = _new_name()
    scratch.append(target)
    restored = project.alembic_safe("-x", "backup_jobs=2", "restore", str(path), "--into", target)
    assert restored.returncode == 0, output(restored)
    assert Database(database.server, target).snapshot() == before


# --------------------------------------------------------------------------- settings


def test_backup_skip_is_warned_and_recorded_in_the_history(
    project: Project, tmp_path: Path
) -> None:
    database = _at_r1(project, rows=5)
    project.add(
        "r2",
        'op.add_column("accounts", sa.Column("age", sa.Integer))',
        'op.drop_column("accounts", "age")',
    )
    backups = tmp_path / "backups"

    done = project.alembic("-x", f"backup_dir={backups}", "-x", "backup=skip", "upgrade", "head")

    assert done.returncode == 0, output(done)
    assert "warning: the backup is skipped (-x backup=skip)" in done.stdout
    assert [h["backup"] for h in database.history()] == [
        "none (backup = never)",
        "skipped (-x backup=skip)",
    ]
    assert _files(backups) == []


def test_backup_destructive_backs_up_only_before_destructive_revisions(
    project: Project, tmp_path: Path
) -> None:
    database = _at_r1(project, rows=5)
    backups = tmp_path / "backups"
    settings = ("-x", f"backup_dir={backups}", "-x", "backup=destructive")
    project.add(
        "r2",
        'op.add_column("accounts", sa.Column("age", sa.Integer))',
        'op.drop_column("accounts", "age")',
    )
    assert project.alembic(*settings, "upgrade", "head").returncode == 0
    assert _files(backups) == []
    project.add(
        "r3",
        'op.drop_column("accounts", "age")',
        'op.add_column("accounts", sa.Column("age", sa.Integer))',
    )

    done = project.alembic(*settings, "-x", "confirm=r3", "upgrade", "head")

    assert done.returncode == 0, output(done)
    labels = [h["backup"] for h in database.history()[1:]]
    assert labels[0].startswith("none (backup = destructive")
    assert Path(labels[1]).name in _files(backups)


# --------------------------------------------------------------------------- faults


def _write_script(path: Path, body: str) -> None:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)


def _assert_nothing_applied(database: Database, result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode != 0, output(result)
    assert "Traceback" not in output(result)
    assert "nothing was applied" in output(result)
    assert database.version() == ["r1"]
    assert database.scalar("SELECT count(*) FROM accounts WHERE note IS NOT NULL") > 0
    rows = [(h["revision"], h["outcome"]) for h in database.history()]
    assert rows == [("r1", "applied"), ("r2", "refused")]  # the failed backup is logged
    assert database.history()[-1]["message"]


def test_missing_pg_dump_applies_nothing(project: Project, tmp_path: Path) -> None:
    database = _at_r1(project, rows=5)
    project.add("r2", DESTRUCTIVE, RESTORE_NOTE)
    empty = tmp_path / "bin"
    empty.mkdir()
    backups = tmp_path / "backups"

    done = project.alembic(
        "-x", f"backup_dir={backups}", "-x", "confirm=r2", "upgrade", "head",
        ALEMBIC_SAFE_PG_BINDIR=str(empty),
    )  # fmt: skip

    _assert_nothing_applied(database, done)
    text = output(done)
    assert "Could not find pg_dump, which the backup needs" in text
    assert f"{empty}/pg_dump" in text and "To fix this, either:" in text
    for way_out in (
        "apt-get install",
        "pg_bindir",
        "alembic-safe[binaries]",
        "-x backup=skip",
        "backup = never",
    ):
        assert way_out in text, (way_out, text)
    assert _files(backups) == []


def test_pg_dump_older_than_the_server_is_refused(project: Project, tmp_path: Path) -> None:
    database = _at_r1(project, rows=5)
    project.add("r2", DESTRUCTIVE, RESTORE_NOTE)
    fake = tmp_path / "old-bin"
    fake.mkdir()
    for name in ("pg_dump", "pg_restore"):
        _write_script(fake / name, f'echo "{name} (PostgreSQL) 9.6.24"\n')
    backups = tmp_path / "backups"

    done = project.alembic(
        "-x", f"pg_bindir={fake}", "-x", f"backup_dir={backups}", "-x", "confirm=r2",
        "upgrade", "head",
    )  # fmt: skip

    _assert_nothing_applied(database, done)
    text = output(done)
    major = database.server.major
    assert f"The server runs PostgreSQL {major}, but the newest pg_dump found is older" in text
    assert "9.6.24" in text
    assert f"postgresql-client-{major}" in text
    assert _files(backups) == []


@contextlib.contextmanager
def _mounted_tmpfs(path: Path, options: str) -> Iterator[bool]:
    """Mount a tmpfs on ``path``; yield False (mounting nothing) where mount is not allowed."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", str(path)], capture_output=True, check=False)


def test_backup_directory_under_a_file_applies_nothing(project: Project, tmp_path: Path) -> None:
    database = _at_r1(project, rows=5)
    project.add("r2", DESTRUCTIVE, RESTORE_NOTE)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file")

    done = project.alembic(
        "-x", f"backup_dir={blocker}/backups", "-x", "confirm=r2", "upgrade", "head"
    )

    _assert_nothing_applied(database, done)
    assert "a part of its path is a file" in output(done)
    assert blocker.read_text() == "a file"


def test_read_only_backup_directory_applies_nothing(project: Project, tmp_path: Path) -> None:
    database = _at_r1(project, rows=5)
    project.add("r2", DESTRUCTIVE, RESTORE_NOTE)
    backups = tmp_path / "ro"
    with _mounted_tmpfs(backups, "ro,size=1m,mode=0700") as mounted:
        if not mounted:  # no mount here: a directory without write permission (not root)
            backups.chmod(0o500)
            assert os.geteuid() != 0, "needs mount (root) or a non-root user to simulate"

        done = project.alembic("-x", f"backup_dir={backups}", "-x", "confirm=r2", "upgrade", "head")

        _assert_nothing_applied(database, done)
        assert "cannot be used" in output(done)
        assert ("Read-only file system" if mounted else "Permission denied") in output(done)
        assert _files(backups) == []


def test_disk_full_during_the_dump_applies_nothing_and_leaves_no_file(
    project: Project, tmp_path: Path
) -> None:
    database = _at_r1(project, rows=5)
    database.execute(  # about 2 MB that compresses poorly
        "CREATE TABLE blobs AS SELECT g AS id, md5(g::text) || md5((g * 31)::text) AS body"
        " FROM generate_series(1, 30000) g"
    )
    project.add("r2", DESTRUCTIVE, RESTORE_NOTE)
    backups = tmp_path / "small"
    with _mounted_tmpfs(backups, "size=192k,mode=0700") as mounted:
        extra: dict[str, str] = {}
        if not mounted:  # no tmpfs here: a pg_dump that fills its file and fails like one
            fake = tmp_path / "full-bin"
            fake.mkdir()
            real = find_tools(database.server.major)
            _write_script(
                fake / "pg_dump",
                f'case "$1" in --version) exec {real["pg_dump"].path} --version;; esac\n'
                'for a in "$@"; do case "$a" in --file=*) f="${a#--file=}";; esac; done\n'
                'head -c 65536 /dev/zero > "$f"\n'
                'echo "pg_dump: error: could not write to output file: No space left on device" >&2\n'
                "exit 1\n",
            )
            os.symlink(real["pg_restore"].path, fake / "pg_restore")
            extra["ALEMBIC_SAFE_PG_BINDIR"] = str(fake)

        done = project.alembic(
            "-x", f"backup_dir={backups}", "-x", "confirm=r2", "upgrade", "head", **extra
        )

        _assert_nothing_applied(database, done)
        text = output(done)
        assert "pg_dump" in text and "No space left on device" in text
        assert "The disk of the backup directory is full" in text
        assert _files(backups) == []  # no partial file, no label


def test_unverifiable_dump_applies_nothing(project: Project, tmp_path: Path) -> None:
    """pg_dump says it succeeded but wrote garbage: pg_restore --list catches it."""
    database = _at_r1(project, rows=5)
    project.add("r2", DESTRUCTIVE, RESTORE_NOTE)
    fake = tmp_path / "liar-bin"
    fake.mkdir()
    real = find_tools(database.server.major)
    _write_script(
        fake / "pg_dump",
        f'case "$1" in --version) exec {real["pg_dump"].path} --version;; esac\n'
        'for a in "$@"; do case "$a" in --file=*) f="${a#--file=}";; esac; done\n'
        'echo "not an archive" > "$f"\n',
    )
    os.symlink(real["pg_restore"].path, fake / "pg_restore")
    backups = tmp_path / "backups"

    done = project.alembic(
        "-x", f"pg_bindir={fake}", "-x", f"backup_dir={backups}", "-x", "confirm=r2",
        "upgrade", "head",
    )  # fmt: skip

    _assert_nothing_applied(database, done)
    assert "does not verify" in output(done)
    assert _files(backups) == []


# --------------------------------------------------------------------------- secrets, names


def test_pg_dump_command_line_has_no_password_and_a_temporary_file_name(
    project: Project, tmp_path: Path
) -> None:
    database = _at_r1(project, rows=2000)
    password = database.server.password
    assert password
    project.add("r2", DESTRUCTIVE, RESTORE_NOTE)
    real = find_tools(database.server.major)
    wrapper = tmp_path / "wrapper-bin"
    wrapper.mkdir()
    log = tmp_path / "calls.log"
    for name in ("pg_dump", "pg_restore"):
        _write_script(
            wrapper / name,
            '{ printf "argv:"; tr "\\000" " " < /proc/$$/cmdline; echo;'
            ' printf "passfile:%s mode:%s\\n" "$PGPASSFILE" "$(stat -L -c %a "$PGPASSFILE")";'
            ' printf "PGPASSWORD:%s\\n" "${PGPASSWORD:+set}";'
            ' printf "DATABASE_URL:%s\\n" "${DATABASE_URL:+set}";'
            ' printf "environ:"; tr "\\000" " " < /proc/$$/environ; echo; } >> "$CALLS_LOG"\n'
            f'exec {real[name].path} "$@"\n',
        )
    seen: list[str] = []
    stop = threading.Event()

    def watch() -> None:  # what `ps` shows of any running pg_dump
        while not stop.is_set():
            for pid in os.listdir("/proc"):
                if pid.isdigit():
                    with contextlib.suppress(OSError):
                        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                        if b"pg_dump" in cmdline and b"--file" in cmdline:
                            seen.append(cmdline.replace(b"\0", b" ").decode())
            time.sleep(0.002)

    watcher = threading.Thread(target=watch)
    watcher.start()
    backups = tmp_path / "backups"
    try:
        done = project.alembic(
            "-x", f"pg_bindir={wrapper}", "-x", f"backup_dir={backups}", "-x", "confirm=r2",
            "upgrade", "head", CALLS_LOG=str(log), APP_DATABASE_URL=database.url,
        )  # fmt: skip
    finally:
        stop.set()
        watcher.join()

    assert done.returncode == 0, output(done)
    calls = log.read_text()
    dump_calls = [line for line in calls.splitlines() if "--file=" in line]
    assert dump_calls, calls
    assert seen, "the watcher saw no running pg_dump"
    for text in [calls, *seen, output(done), *_files(backups)]:
        assert password not in text
    assert "mode:600" in calls and "PGPASSWORD:\n" in calls and "DATABASE_URL:\n" in calls
    after_dump = calls.split(dump_calls[0], 1)[1]
    passfile = after_dump.split("passfile:")[1].split()[0]
    assert passfile.startswith("/proc/self/fd/")  # a file in memory, inherited, never on disk
    assert "environ:" in calls and "PGHOST=" in calls  # the environment was really read
    # pg_dump wrote under a hidden .partial name; the final name appeared only afterwards
    written = dump_calls[0].split("--file=")[1].split()[0]
    final = Path(database.history()[-1]["backup"])
    assert Path(written).parent == final.parent
    assert Path(written).name.startswith(f".{final.name}.partial-")
    assert not Path(written).exists() and final.exists()
    assert password not in final.with_name(final.name + ".json").read_text()
    assert all(password not in str(row) for row in database.history())


def test_password_files_left_by_killed_runs_are_removed_at_start(
    project: Project, tmp_path: Path
) -> None:
    database = _at_r1(project, rows=5)
    password = database.server.password
    assert password
    temp = tmp_path / "tmp"
    temp.mkdir()
    leftovers = {
        "alembic-safe-k3j9x0aq": True,  # an earlier version's directory, nobody uses it
        "alembic-safe-pass-999999999-abc": True,  # its process is gone
        f"alembic-safe-pass-{os.getpid()}-def": False,  # its process runs: not touched
    }
    for name in leftovers:
        (temp / name).mkdir(mode=0o700)
        (temp / name / "pgpass").write_text(f"*:*:*:*:{password}\n")
    (temp / "alembic-safe-pg-unrelated").mkdir()  # not a passfile directory
    (temp / "alembic-safe-pg-unrelated" / "pgpass").write_text("keep")
    (temp / "alembic-safe-pg-unrelated" / "other").write_text("keep")

    made = project.alembic_safe("backup", "--out", str(tmp_path / "b"), TMPDIR=str(temp))

    assert made.returncode == 0, output(made)
    for name, removed in leftovers.items():
        assert (temp / name).exists() != removed, name
    assert (temp / "alembic-safe-pg-unrelated" / "pgpass").exists()
    on_disk = [p for p in temp.rglob("*") if p.is_file() and password in p.read_text()]
    assert on_disk == [temp / f"alembic-safe-pass-{os.getpid()}-def" / "pgpass"]


# --------------------------------------------------------------------------- retention, listing


def test_retention_deletes_only_our_own_oldest_backups(project: Project, tmp_path: Path) -> None:
    database = _at_r1(project, rows=5)
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o700)
    foreign = {
        "notes.txt": "keep me",
        "other.dump": "someone else's dump",
        # our name pattern but no label: not provably ours
        f"{database.name}__20200101T000000Z__base__r1.dump": "unlabelled",
    }
    for name, content in foreign.items():
        (backups / name).write_text(content)
    other_db = "otherdb__20200101T000000Z__r1__r1.dump"
    (backups / other_db).write_text("another database's backup")
    (backups / (other_db + ".json")).write_text(
        json.dumps(
            {
                "tool": "alembic-safe",
                "file": other_db,
                "database": "otherdb",
                "from_revisions": ["r1"],
                "to_revisions": ["r1"],
                "created": "2020-01-01T00:00:00+00:00",
                "scope": "full",
                "format": "custom",
                "reason": "manual",
            }
        )
    )

    made = []
    for _ in range(3):
        result = project.alembic_safe("-x", "backup_keep=2", "backup", "--out", str(backups))
        assert result.returncode == 0, output(result)
        made.append(Path(result.stdout.strip()).name)

    names = _files(backups)
    assert made[0] not in names and made[0] + ".json" not in names
    assert {made[1], made[2], made[1] + ".json", made[2] + ".json"} <= set(names)
    for name, content in foreign.items():
        assert (backups / name).read_text() == content
    assert other_db in names and other_db + ".json" in names
    assert "retention (backup_keep = 2): deleted " + made[0] in output(result)


def test_backups_lists_size_revisions_age_and_whether_each_verifies(
    project: Project, tmp_path: Path
) -> None:
    _at_r1(project, rows=5)
    backups = tmp_path / "backups"
    good = Path(project.alembic_safe("backup", "--out", str(backups)).stdout.strip())
    time.sleep(1.1)
    bad = Path(project.alembic_safe("backup", "--out", str(backups)).stdout.strip())
    with bad.open("r+b") as handle:  # damage the header: no longer a pg_dump archive
        handle.write(b"\0" * 64)
    leftover = backups / f".{good.name}.partial-abcd"
    leftover.write_text("interrupted")

    listed = project.alembic_safe("backups", "--dir", str(backups))

    assert listed.returncode == 0, output(listed)
    lines = listed.stdout.splitlines()
    text = listed.stdout
    assert good.name in text and bad.name in text
    assert "revisions r1" in text and "old" in text and "scope full" in text
    assert "KiB" in text or " B," in text
    good_line = lines[lines.index(f"  {good.name}") + 1]
    bad_line = lines[lines.index(f"  {bad.name}") + 1]
    assert ", verifies (" in good_line
    assert "DOES NOT VERIFY" in bad_line
    assert f"  {leftover.name} [partial]" in lines


# --------------------------------------------------------------------------- restore guards


def test_restore_refuses_a_non_empty_database_without_force_and_confirmation(
    project: Project, tmp_path: Path, scratch: list[str], pg_server: PostgresServer
) -> None:
    database = _at_r1(project, rows=30)
    made = project.alembic_safe("backup", "--out", str(tmp_path / "b"))
    path = made.stdout.strip()
    target = _new_name()
    pg_server.create_database(target)
    scratch.append(target)
    occupied = Database(pg_server, target)
    occupied.execute("CREATE TABLE precious (id int); INSERT INTO precious VALUES (1)")

    refused = project.alembic_safe("restore", path, "--into", target)
    assert refused.returncode == 1, output(refused)
    assert f'Refusing to restore into "{target}"' in refused.stderr
    assert "--force" in refused.stderr and "Traceback" not in output(refused)

    unconfirmed = project.alembic_safe("restore", path, "--into", target, "--force")
    assert unconfirmed.returncode == 1, output(unconfirmed)
    assert "was not confirmed" in unconfirmed.stderr
    assert occupied.scalar("SELECT count(*) FROM precious") == 1
    with pg_server.connect() as conn:
        leftovers = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (f"{target}_%",)
        ).fetchall()
    assert leftovers == []

    replaced = project.alembic_safe("restore", path, "--into", target, "--force", "--yes")
    assert replaced.returncode == 0, output(replaced)
    with pg_server.connect() as conn:
        kept = [
            r[0]
            for r in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                (f"{target}_before_restore_%",),
            )
        ]
    scratch.extend(kept)
    assert len(kept) == 1 and kept[0] in replaced.stdout
    assert Database(pg_server, kept[0]).scalar("SELECT count(*) FROM precious") == 1
    assert Database(pg_server, target).snapshot() == database.snapshot()


def test_restore_into_an_empty_existing_database(
    project: Project, tmp_path: Path, scratch: list[str], pg_server: PostgresServer
) -> None:
    database = _at_r1(project, rows=10)
    path = project.alembic_safe("backup", "--out", str(tmp_path / "b")).stdout.strip()
    target = _new_name()
    pg_server.create_database(target)
    scratch.append(target)

    restored = project.alembic_safe("restore", path, "--into", target)

    assert restored.returncode == 0, output(restored)
    assert Database(pg_server, target).snapshot() == database.snapshot()


def test_restore_checks_alembic_version_against_the_label(
    project: Project, tmp_path: Path, scratch: list[str]
) -> None:
    _at_r1(project, rows=5)
    path = Path(project.alembic_safe("backup", "--out", str(tmp_path / "b")).stdout.strip())
    label_file = path.with_name(path.name + ".json")
    label = json.loads(label_file.read_text())
    label["from_revisions"] = ["abc123"]
    label_file.write_text(json.dumps(label))
    target = _new_name()
    scratch.append(target)

    restored = project.alembic_safe("restore", str(path), "--into", target)

    assert restored.returncode == 1, output(restored)
    assert f'"{target}" is at revision r1' in restored.stderr
    assert "label says abc123" in restored.stderr
    assert "kept for inspection" in restored.stderr


def test_restore_of_a_file_that_is_not_a_backup_is_a_clear_error(
    project: Project, tmp_path: Path
) -> None:
    _at_r1(project, rows=1)
    stray = tmp_path / "random.dump"
    stray.write_text("hello")
    missing = project.alembic_safe("restore", str(tmp_path / "nope.dump"))
    assert missing.returncode == 2 and "No such backup" in missing.stderr
    result = project.alembic_safe("restore", str(stray))
    assert result.returncode == 1 and "is not a usable backup" in result.stderr
    assert "Traceback" not in output(result) + output(missing)


def test_restore_creates_the_database_with_the_backed_up_encoding_and_locale(
    project: Project, tmp_path: Path, scratch: list[str], pg_server: PostgresServer
) -> None:
    source = _new_name()
    with pg_server.connect(autocommit=True) as conn:
        conn.execute(
            f"CREATE DATABASE \"{source}\" TEMPLATE template0 ENCODING 'LATIN1'"
            " LC_COLLATE 'C' LC_CTYPE 'C'"
        )
    scratch.append(source)
    Database(pg_server, source).execute("CREATE TABLE t (v text); INSERT INTO t VALUES ('été')")
    made = project.alembic_safe(
        "backup", "--out", str(tmp_path / "b"), DATABASE_URL=pg_server.url(source)
    )
    assert made.returncode == 0, output(made)
    path = Path(made.stdout.strip())
    target = _new_name()
    scratch.append(target)

    restored = project.alembic_safe("restore", str(path), "--into", target)

    assert restored.returncode == 0, output(restored)
    with pg_server.connect() as conn:
        row = conn.execute(
            "SELECT pg_encoding_to_char(encoding), datcollate FROM pg_database WHERE datname = %s",
            (target,),
        ).fetchone()
    assert row == ("LATIN1", "C")
    assert Database(pg_server, target).scalar("SELECT v FROM t") == "été"
    # a locale this server lacks: a warning, and the server's defaults
    label_file = path.with_name(path.name + ".json")
    label = json.loads(label_file.read_text())
    label.update(encoding="UTF8", collate="xx_XX.UTF-8", ctype="xx_XX.UTF-8")
    label_file.write_text(json.dumps(label))
    other = _new_name()
    scratch.append(other)
    again = project.alembic_safe("restore", str(path), "--into", other)
    assert again.returncode == 0, output(again)
    assert "warning: cannot create" in again.stderr and "sort differently" in again.stderr


def test_restore_with_force_leaves_a_database_in_use_unchanged(
    project: Project, tmp_path: Path, scratch: list[str], pg_server: PostgresServer
) -> None:
    _at_r1(project, rows=5)
    path = project.alembic_safe("backup", "--out", str(tmp_path / "b")).stdout.strip()
    target = _new_name()
    pg_server.create_database(target)
    scratch.append(target)
    Database(pg_server, target).execute("CREATE TABLE precious (id int)")

    with pg_server.connect(target):  # an application still connected
        result = project.alembic_safe("restore", path, "--into", target, "--force", "--yes")

    assert result.returncode == 1, output(result)
    assert f'"{target}" cannot be replaced while 1 session(s) use it' in result.stderr
    assert "nothing was changed" in result.stderr
    with pg_server.connect() as conn:
        leftovers = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (f"{target}_%",)
        ).fetchall()
    assert leftovers == []
    assert Database(pg_server, target).scalar("SELECT to_regclass('precious') IS NOT NULL")


def test_manual_tables_scope_follows_the_pending_revisions_or_the_named_tables(
    project: Project, tmp_path: Path
) -> None:
    _at_r1(project, rows=5)
    project.add("r2", 'op.drop_column("accounts", "note")', RESTORE_NOTE)  # pending

    pending = project.alembic_safe("backup", "--out", str(tmp_path / "a"), "--scope", "tables")
    named = project.alembic_safe(
        "backup", "--out", str(tmp_path / "b"), "--scope", "tables", "--table", "audit"
    )
    unknown = project.alembic_safe("backup", "--scope", "tables", "--table", "nope")

    assert pending.returncode == 0, output(pending)
    label = json.loads(Path(pending.stdout.strip() + ".json").read_text())
    assert {"public.accounts", "public.orders"} <= set(label["data_tables"])
    assert "public.audit" not in label["data_tables"]
    assert named.returncode == 0, output(named)
    label = json.loads(Path(named.stdout.strip() + ".json").read_text())
    assert "public.audit" in label["data_tables"]
    assert "public.accounts" not in label["data_tables"]
    assert unknown.returncode == 2 and "No such table: nope" in unknown.stderr


def test_downgrade_is_backed_up_too(project: Project, tmp_path: Path) -> None:
    database = _at_r1(project, rows=5)
    project.add("r2", 'op.add_column("accounts", sa.Column("age", sa.Integer))',
                'op.drop_column("accounts", "age")')  # fmt: skip
    backups = tmp_path / "backups"
    assert project.alembic("-x", "backup=never", "upgrade", "head").returncode == 0

    done = project.alembic("-x", f"backup_dir={backups}", "-x", "confirm=r2", "downgrade", "r1")

    assert done.returncode == 0, output(done)
    row = database.history()[-1]
    assert (row["revision"], row["direction"]) == ("r2", "downgrade")
    path = Path(row["backup"])
    assert path.name.endswith("__r2__r1.dump") and path.exists()
    assert json.loads(path.with_name(path.name + ".json").read_text())["reason"] == (
        "before downgrade"
    )
