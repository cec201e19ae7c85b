"""Backup pieces that need no database: names, labels, passfiles, retention, progress, tools."""

from __future__ import annotations

import io
import json
import os
import stat
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from alembic_safe import _pgbin, backup, cli
from alembic_safe.backup.step import Pending, heads_after
from alembic_safe.errors import BackupError, ConfigError
from alembic_safe.pg import client as _libpq
from alembic_safe.pg.client import PgTarget, libpq_environment
from alembic_safe.pg.progress import Progress, format_seconds, format_size

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


# --------------------------------------------------------------------------- names and labels


def test_name_carries_database_revisions_and_utc_time() -> None:
    name = backup.backup_name("shop", ["ae1027a6acf"], ["3f2a9c1d4e5b"], WHEN)
    assert name == "shop__20260102T030405Z__ae1027a6acf__3f2a9c1d4e5b.dump"
    info = backup.label_from_name(Path(name))
    assert info is not None
    assert (info.database, info.from_revisions, info.to_revisions) == (
        "shop",
        ["ae1027a6acf"],
        ["3f2a9c1d4e5b"],
    )
    assert info.created_at == WHEN


def test_name_of_a_first_upgrade_merge_heads_and_directory_format() -> None:
    name = backup.backup_name(
        "my_app", [], ["a1", "b2"], WHEN, backup_format="directory", counter=2
    )
    assert name == "my_app__20260102T030405Z-2__base__a1+b2.dumpdir"
    info = backup.label_from_name(Path(name))
    assert info is not None and info.database == "my_app"
    assert info.from_revisions == [] and info.to_revisions == ["a1", "b2"]
    assert info.format == "directory"


@pytest.mark.parametrize("database", ["a/../../etc", "we__ird", "  spaced name ", "Ünïcode", ".."])
def test_name_is_a_plain_file_name_whatever_the_database_is_called(database: str) -> None:
    name = backup.backup_name(database, ["r1"], ["r2"], WHEN)
    assert "/" not in name and not name.startswith(".")
    assert backup.label_from_name(Path(name)) is not None  # it parses back


def test_label_round_trip_and_label_for_another_file_is_ignored(tmp_path: Path) -> None:
    name = backup.backup_name("shop", ["r1"], ["r2"], WHEN)
    info = backup.BackupInfo(
        file=name,
        database="shop",
        from_revisions=["r1"],
        to_revisions=["r2"],
        created=WHEN.isoformat(),
        scope="full",
        format="custom",
        reason="manual",
    )
    (tmp_path / name).write_text("dump")
    backup.label_path(tmp_path / name).write_text(info.to_json())
    assert backup.read_label(tmp_path / name) == info
    other = tmp_path / backup.backup_name("shop", ["r1"], ["r3"], WHEN)
    backup.label_path(other).write_text(info.to_json())  # names a different file
    assert backup.read_label(other) is None
    backup.label_path(other).write_text(json.dumps({"file": other.name}))  # not ours
    assert backup.read_label(other) is None


def test_heads_after_follows_upgrades_merges_and_downgrades() -> None:
    def entry(revision: str, parents: tuple[str, ...], direction: str = "upgrade") -> Pending:
        return Pending(revision, direction, parents, ())

    assert heads_after((), [entry("a", ()), entry("b", ("a",))]) == ["b"]
    assert heads_after(("x", "y"), [entry("m", ("x", "y"))]) == ["m"]
    assert heads_after(("b",), [entry("b", ("a",), "downgrade")]) == ["a"]
    assert heads_after(("m",), [entry("m", ("x", "y"), "downgrade")]) == ["x", "y"]


# --------------------------------------------------------------------------- credentials


def test_password_goes_into_a_passfile_in_memory_that_only_the_child_inherits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PGPASSWORD", "inherited")
    monkeypatch.setenv("DATABASE_URL", "postgresql://app:s3cr:et@db.internal/shop")
    target = PgTarget.from_url("postgresql+psycopg://app:s3cr:et\\x@db.internal:6543/shop")
    with libpq_environment(target) as child:
        env = child.env
        (fd,) = child.pass_fds
        assert env["PGPASSFILE"] == f"/proc/self/fd/{fd}"
        passfile = Path(env["PGPASSFILE"])
        assert stat.S_IMODE(passfile.stat().st_mode) == 0o600 and passfile.is_file()
        assert os.readlink(passfile).startswith("/memfd:")  # in memory, on no disk
        assert passfile.read_text() == "*:*:*:*:s3cr\\:et\\\\x\n"
        assert "PGPASSWORD" not in env and "DATABASE_URL" not in env
        assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
            "db.internal",
            "6543",
            "app",
            "shop",
        )
        assert all("s3cr" not in value for value in env.values())
    with pytest.raises(OSError):
        os.fstat(fd)  # closed with the block


def test_without_memory_files_the_passfile_is_private_named_after_us_and_removed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delattr(os, "memfd_create")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    target = PgTarget.from_url("postgresql+psycopg://app:pw@db/shop")
    with libpq_environment(target) as child:
        passfile = Path(child.env["PGPASSFILE"])
        assert passfile.parent.parent == tmp_path
        assert passfile.parent.name.startswith(f"alembic-safe-pass-{os.getpid()}-")
        assert stat.S_IMODE(passfile.stat().st_mode) == 0o600
        assert stat.S_IMODE(passfile.parent.stat().st_mode) == 0o700
        assert child.pass_fds == ()
    assert not passfile.parent.exists()


def test_a_password_with_a_line_break_is_refused() -> None:
    target = PgTarget.from_url("postgresql+psycopg://app:two%0Alines@db/shop")
    with pytest.raises(ConfigError, match="line break"), libpq_environment(target):
        pass


def test_url_query_settings_become_libpq_variables() -> None:
    target = PgTarget.from_url(
        "postgresql://app@/shop?host=/var/run/postgresql&sslmode=require&prepare_threshold=0"
    )
    with libpq_environment(target) as child:
        env = child.env
        assert env["PGHOST"] == "/var/run/postgresql" and env["PGSSLMODE"] == "require"
        assert "PGPASSFILE" not in os.environ or env["PGPASSFILE"] == os.environ["PGPASSFILE"]
    assert "***" in PgTarget.from_url("postgresql://a:pw@h/d").shown()


# --------------------------------------------------------------------------- finding the tools


def _script(path: Path, body: str) -> None:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)


def test_explicit_directory_is_used_or_refused_never_replaced(tmp_path: Path) -> None:
    with pytest.raises(BackupError) as missing:
        _libpq.find_tools(15, pg_bindir=str(tmp_path))
    assert "Could not find pg_dump" in missing.value.message
    assert f"{tmp_path}/pg_dump" in missing.value.format_message()
    _script(tmp_path / "pg_dump", 'echo "pg_dump (PostgreSQL) 13.4"\n')
    _script(tmp_path / "pg_restore", 'echo "pg_restore (PostgreSQL) 13.4"\n')
    with pytest.raises(BackupError) as old:
        _libpq.find_tools(15, pg_bindir=str(tmp_path))
    assert "The server runs PostgreSQL 15" in old.value.message
    assert "13.4" in old.value.format_message()
    found = _libpq.find_tools(13, pg_bindir=str(tmp_path))
    assert found["pg_dump"].path == tmp_path / "pg_dump" and found["pg_dump"].major == 13


def test_search_failure_says_missing_or_too_old(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALEMBIC_SAFE_PG_BINDIR", raising=False)
    checked = ["/usr/bin (PATH): no pg_dump, pg_restore"]
    monkeypatch.setattr(_pgbin, "find_programs", lambda *a, **k: (None, checked))
    with pytest.raises(BackupError) as missing:
        _libpq.find_tools(16)
    text = missing.value.format_message()
    assert "Could not find pg_dump and pg_restore" in text and "/usr/bin (PATH)" in text
    assert "postgresql-client-16" in text and "To fix this, either:" in text
    older = [*checked, "/usr/lib/postgresql/14/bin (/usr/lib/postgresql/*/bin): PostgreSQL 14"]
    monkeypatch.setattr(_pgbin, "find_programs", lambda *a, **k: (None, older))
    with pytest.raises(BackupError) as too_old:
        _libpq.find_tools(16)
    assert "PostgreSQL 16" in too_old.value.message
    assert "PostgreSQL 14" in too_old.value.format_message()


# --------------------------------------------------------------------------- directory, retention


def test_directory_is_created_private_and_tightened(tmp_path: Path) -> None:
    fresh = backup.prepare_directory(tmp_path / "a" / "b")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    said: list[str] = []
    backup.prepare_directory(loose, said.append)
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700 and "made it 0700" in said[0]
    (tmp_path / "file").write_text("x")
    with pytest.raises(BackupError) as under_file:
        backup.prepare_directory(tmp_path / "file" / "backups")
    assert "a part of its path is a file" in under_file.value.message


def _fake_backup(
    directory: Path, database: str, minutes_ago: int, *, labelled: bool = True
) -> Path:
    created = WHEN - timedelta(minutes=minutes_ago)
    path = directory / backup.backup_name(database, ["r1"], ["r2"], created)
    path.write_text(f"dump of {database} at {created}")
    if labelled:
        info = backup.BackupInfo(
            file=path.name,
            database=database,
            from_revisions=["r1"],
            to_revisions=["r2"],
            created=created.isoformat(),
            scope="full",
            format="custom",
            reason="manual",
        )
        backup.label_path(path).write_text(info.to_json())
    return path


def test_retention_deletes_only_our_oldest_labelled_backups_of_that_database(
    tmp_path: Path,
) -> None:
    ours = [_fake_backup(tmp_path, "shop", m) for m in (50, 40, 30, 20)]
    unlabelled = _fake_backup(tmp_path, "shop", 90, labelled=False)
    other_db = _fake_backup(tmp_path, "crm", 99)
    foreign = [tmp_path / "notes.txt", tmp_path / "shop.dump", tmp_path / "x.dump.json"]
    for path in foreign:
        path.write_text("not ours")
    partial = tmp_path / f".{ours[0].name}.partial-1a2b"
    partial.write_text("interrupted")

    deleted = backup.apply_retention(tmp_path, "shop", 2, protect=ours[-1])

    assert deleted == ours[:2]
    for path in ours[:2]:
        assert not path.exists() and not backup.label_path(path).exists()
    for path in [*ours[2:], unlabelled, other_db, *foreign, partial]:
        assert path.exists(), path
    assert backup.apply_retention(tmp_path, "shop", 0) == []  # 0 keeps everything


def test_scan_lists_ours_oldest_first_with_partial_and_unlabelled_states(tmp_path: Path) -> None:
    newer = _fake_backup(tmp_path, "shop", 1)
    older = _fake_backup(tmp_path, "shop", 9, labelled=False)
    (tmp_path / f".{newer.name}.partial-ffff").write_text("")
    (tmp_path / "README").write_text("not ours")
    listed = backup.scan(tmp_path)
    assert [(item.path.name, item.state) for item in listed] == [
        (older.name, "unlabelled"),
        (f".{newer.name}.partial-ffff", "partial"),
        (newer.name, "complete"),
    ]


# --------------------------------------------------------------------------- progress


def test_progress_off_a_terminal_is_plain_lines() -> None:
    lines: list[str] = []
    with Progress("backup of \"shop\"", total_tables=3, emit=lines.append, live=False,
                  interval=0.0) as progress:  # fmt: skip
        progress.table_done("public.a")
        progress.set_bytes(2048)
        progress.done("done")
    assert lines[0] == 'backup of "shop": started'
    assert any("1/3 tables, 2.0 KiB" in line for line in lines)
    assert lines[-1] == 'backup of "shop": done'


def test_progress_on_a_terminal_draws_a_bar_and_emits_only_the_summary() -> None:
    stream = io.StringIO()
    lines: list[str] = []
    with Progress("restore", total_tables=2, emit=lines.append, stream=stream, live=True) as bar:
        bar.table_done("public.a")
        bar.table_done("public.b")
        bar.done("done")
    assert lines == ["restore: done"]
    drawn = stream.getvalue()
    assert "restore" in drawn and "2/2" in drawn and "\x1b[" in drawn  # ANSI: a live display


def test_progress_counts_database_bytes_with_the_rate_of_finished_tables() -> None:
    lines: list[str] = []
    sizes = {"public.a": 100 * 1024, "public.b": 300 * 1024}
    with Progress("backup", total_tables=2, emit=lines.append, live=False, interval=3600,
                  table_bytes=sizes) as progress:  # fmt: skip
        assert lines == ["backup: started (400.0 KiB of rows)"]
        progress.table_done("public.a")
        progress.set_bytes(50 * 1024)  # a is done when b starts: 100 KiB of rows in 50 written
        progress.table_done('"public"."b"')
        assert progress.share() == 0.25
        progress.set_bytes(100 * 1024)  # 50 KiB more written, at 2 bytes of rows per byte
        assert progress.share() == 0.5
        progress.set_bytes(10 * 1024 * 1024)  # never more than the table itself
        assert progress.share() == 1.0
        progress.set_bytes(100 * 1024)
        progress.started -= 10  # as if 10 s had passed
        assert round(progress.seconds_left() or 0) == 10
        assert progress.describe().startswith("2/2 tables, 100.0 KiB written, 50% of 400.0 KiB")
        assert progress.describe().endswith("~10 s left")
        progress.done("done")
    assert progress.share() == 1.0 and progress.seconds_left() is None


def test_progress_without_sizes_has_no_estimate() -> None:
    with Progress("restore", total_tables=4, emit=[].append, live=False) as progress:
        progress.table_done("public.a")
        progress.table_done("public.b")
        assert progress.share() == 0.25 and progress.seconds_left() is None
        assert "left" not in progress.describe() and "%" not in progress.describe()


def test_format_seconds() -> None:
    assert [format_seconds(s) for s in (4.2, 75, 120, 7300)] == [
        "4 s", "1 min 15 s", "2 min", "2 h 1 min"
    ]  # fmt: skip


def test_format_size() -> None:
    assert [format_size(n) for n in (0, 1536, 5 * 1024**3)] == ["0 B", "1.5 KiB", "5.0 GiB"]


# --------------------------------------------------------------------------- CLI


def test_cli_backups_of_an_empty_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["backups", "--dir", str(tmp_path / "none")]) == 0
    assert "No backups in" in capsys.readouterr().out


def test_cli_restore_of_a_missing_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code = cli.main(["restore", "nope.dump", "--url", "postgresql://u@localhost:1/x"])
    assert code == 2
    assert "No such backup: nope.dump" in capsys.readouterr().err
