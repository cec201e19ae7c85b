"""The throwaway PostgreSQL server (start, run as an unprivileged user, always clean up),
and what differs between the PostgreSQL majors that .ci/matrix runs."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, pool

from alembic_safe import _pgbin, postgres
from alembic_safe.analysis import deps
from alembic_safe.analysis.stats import LiveCatalog
from alembic_safe.errors import ServerNotFound, ServerStartError
from tests.integration.test_safe_operations import migration
from tests.support import Database, subprocess_env


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def test_server_starts_fast_runs_unprivileged_and_removes_itself() -> None:
    with postgres.throwaway_postgres() as server:
        workdir = Path(server.socket_dir or "")
        assert workdir.is_dir()
        assert server.started_in < 10
        with server.connect() as conn:
            pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
            assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
            owner = Path(f"/proc/{pid}").stat().st_uid  # while the backend lives
        if os.geteuid() == 0:
            assert owner != 0 and pwd.getpwuid(owner).pw_name in {"postgres", "nobody"}
        else:
            assert owner == os.geteuid()
        assert oct(workdir.stat().st_mode & 0o777) == "0o700"
        assert server.password and server.password not in repr(server)
    assert not workdir.exists()


def test_server_stops_and_is_removed_on_an_exception() -> None:
    with pytest.raises(KeyboardInterrupt), postgres.throwaway_postgres() as server:  # Ctrl-C
        workdir = Path(server.socket_dir or "")
        postmaster = int((workdir / "data" / "postmaster.pid").read_text().split()[0])
        raise KeyboardInterrupt
    assert not workdir.exists()
    assert not _alive(postmaster)


def test_server_dies_with_a_killed_parent() -> None:
    script = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from alembic_safe.postgres import throwaway_postgres
        with throwaway_postgres() as server:
            pid = (Path(server.socket_dir) / "data" / "postmaster.pid").read_text().split()[0]
            print(pid, server.socket_dir, flush=True)
            time.sleep(120)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=subprocess_env()
    )
    assert proc.stdout is not None
    pid_text, workdir = proc.stdout.readline().split()
    postmaster = int(pid_text)
    assert _alive(postmaster)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and _alive(postmaster):
        time.sleep(0.1)
    assert not _alive(postmaster), "the server outlived its killed parent"
    subprocess.run(["rm", "-rf", workdir], check=False)


def test_no_binaries_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        _pgbin, "candidate_dirs", lambda explicit=None: [("PATH", Path("/nonexistent/bin"))]
    )
    monkeypatch.setattr(postgres, "_docker_answers", lambda: False)
    monkeypatch.delenv(postgres.TEST_URL_ENV, raising=False)
    with pytest.raises(ServerNotFound) as raised, postgres.test_server():
        pass
    message = raised.value.format_message()
    assert "Could not find the PostgreSQL server programs" in message
    assert "No Docker engine answers" in message
    assert "ALEMBIC_SAFE_TEST_URL" in message and "apt-get install postgresql" in message


def test_existing_server_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, pg_server: postgres.PostgresServer
) -> None:
    monkeypatch.setenv(postgres.TEST_URL_ENV, pg_server.url())
    with postgres.test_server() as server:
        assert server.origin == postgres.TEST_URL_ENV
        assert (server.port, server.major) == (pg_server.port, pg_server.major)


def _modes(root: Path) -> dict[Path, int]:
    return {path: path.lstat().st_mode for path in [root, *root.rglob("*")]}


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _private_installation(bindir: Path, under: Path) -> Path:
    """The installation of ``bindir`` re-created under ``under`` (as pip would put a wheel)."""
    trees = [bindir.parent / "lib", bindir.parent / "share"]
    if (bindir / "pg_config").is_file():
        out = subprocess.run(
            [str(bindir / "pg_config"), "--pkglibdir", "--sharedir"],
            capture_output=True,
            text=True,
            check=True,
        )
        trees = [Path(line) for line in out.stdout.splitlines()]
    copy = under / bindir.relative_to("/")
    copy.mkdir(parents=True)
    for name in ("initdb", "postgres", "pg_config"):
        if (bindir / name).is_file():
            _link_or_copy(str(bindir / name), str(copy / name))
    for tree in {tree.resolve() for tree in trees if tree.is_dir()}:
        if not (under / tree.relative_to("/")).exists():
            shutil.copytree(
                tree, under / tree.relative_to("/"), symlinks=True, copy_function=_link_or_copy
            )
    return copy


def test_server_runs_from_binaries_in_a_private_directory(tmp_path: Path) -> None:
    """A virtualenv under root's 0700 home: the server's user cannot reach the programs."""
    programs, checked = _pgbin.find_programs(("initdb", "postgres"))
    assert programs is not None, checked
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    home.chmod(0o700)
    install = _private_installation(programs["postgres"].path.resolve().parent, home / "venv")
    before = _modes(home)
    with postgres.throwaway_postgres(bindir=str(install)) as server:
        workdir = Path(server.socket_dir or "")
        with server.connect() as conn:
            version = conn.execute("SHOW server_version_num").fetchone()[0]  # type: ignore[index]
        postmaster = (workdir / "data" / "postmaster.pid").read_text().split()[0]
        argv0 = Path(f"/proc/{postmaster}/cmdline").read_bytes().split(b"\0")[0].decode()
        assert server.bindir == install
        if os.geteuid() == 0:  # the unprivileged user runs a private copy in the server's directory
            assert Path(argv0).is_relative_to(workdir), argv0
            copy = Path(argv0)
            assert copy.stat().st_mode & 0o005 == 0o005  # readable and runnable by that user
        else:  # our own directory: run in place
            assert Path(argv0) == install / "postgres"
    assert int(version) // 10000 == programs["postgres"].major
    assert not workdir.exists()
    assert _modes(home) == before  # nothing of the user's was chmod-ed


def test_unrunnable_binaries_are_a_clear_error(tmp_path: Path) -> None:
    """Programs that report a version but cannot start: a ServerStartError, no traceback."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    home.chmod(0o700)
    shell = home / "sh"  # an interpreter only its owner can reach
    shutil.copy2("/bin/sh", shell)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for name in ("initdb", "postgres"):
        script = bindir / name
        script.write_text(f"#!{shell}\necho '{name} (PostgreSQL) 16.1'\n")
        script.chmod(0o755)
    with pytest.raises(ServerStartError) as raised, postgres.throwaway_postgres(bindir=str(bindir)):
        pass
    message = raised.value.format_message()
    if os.geteuid() == 0:
        assert f"Could not run {bindir}/initdb as the user" in message
        assert "Permission denied" in message and "ALEMBIC_SAFE_PG_BINDIR" in message
    else:
        assert "did not start" in message or "initdb" in message


def test_the_named_bin_directory_wins_over_a_newer_major(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    newer, older = tmp_path / "newer", tmp_path / "older"
    for directory, version in ((newer, "99.1"), (older, "13.4")):
        directory.mkdir()
        for name in ("initdb", "postgres"):
            script = directory / name
            script.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
            script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{newer}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv(_pgbin.BINDIR_ENV, raising=False)
    found, _ = _pgbin.find_programs(("initdb", "postgres"))
    assert found is not None and found["postgres"].major == 99
    monkeypatch.setenv(_pgbin.BINDIR_ENV, str(older))
    found, checked = _pgbin.find_programs(("initdb", "postgres"))
    assert found is not None and found["postgres"].path == older / "postgres", checked
    found, checked = _pgbin.find_programs(("initdb", "postgres"), min_major=14)
    assert found is not None and found["postgres"].major == 99  # too old: not used
    assert f"{older} ({_pgbin.BINDIR_ENV}): PostgreSQL 13" in checked


def test_the_session_server_runs_the_binaries_found(pg_server: postgres.PostgresServer) -> None:
    """With ALEMBIC_SAFE_PG_BINDIR set (.ci/matrix), the tests run that major."""
    if pg_server.origin == postgres.TEST_URL_ENV:
        assert pg_server.bindir is None
        return
    programs, checked = _pgbin.find_programs(("initdb", "postgres"))
    assert programs is not None, checked
    assert pg_server.bindir == programs["postgres"].path.parent
    assert pg_server.major == programs["postgres"].major
    with pg_server.connect() as conn:
        number = conn.execute("SHOW server_version_num").fetchone()[0]  # type: ignore[index]
    assert int(number) // 10000 == pg_server.major
    named = os.environ.get(_pgbin.BINDIR_ENV)
    if named:
        assert pg_server.bindir == Path(named).absolute()


# ------------------------------------------------- what differs between majors (.ci/matrix)


def test_the_live_catalog_reports_the_servers_major(database: Database) -> None:
    """Version-aware rules read the target major from the server under ``--url``."""
    engine = create_engine(database.url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            assert LiveCatalog(connection).server_version() == database.server.major
    finally:
        engine.dispose()


def test_add_not_null_keeps_a_column_that_is_already_not_null(database: Database) -> None:
    """PostgreSQL 18 names a column's NOT NULL constraint ``<table>_<column>_not_null``,
    the name of the CHECK that add_not_null uses on the way: it must not drop it."""
    database.execute("CREATE TABLE users (id int, email text NOT NULL)")
    with migration(database) as op:
        op.add_not_null("users", "email")  # nothing to do
    assert database.scalar(
        "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass"
        " AND attname = 'email'"
    )


def test_deps_lists_no_not_null_constraints(database: Database) -> None:
    """PostgreSQL 18 records NOT NULL constraints in pg_constraint, each depending on its column;
    they are part of the column, not objects that depend on it."""
    database.execute(
        "CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL);"
        "CREATE TABLE orders (id int, user_id int NOT NULL REFERENCES users)"
    )
    engine = create_engine(database.url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            column = [d.describe() for d in deps.dependents(connection, "users", "email")]
            table = [d.describe() for d in deps.dependents(connection, "users")]
    finally:
        engine.dispose()
    assert column == []
    assert table == [
        "foreign key constraint orders_user_id_fkey on table orders",
        "constraint users_pkey on table users",
    ]
