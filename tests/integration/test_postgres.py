"""The throwaway PostgreSQL server: start, run as an unprivileged user, always clean up."""

from __future__ import annotations

import os
import pwd
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from alembic_safe import _pgbin, postgres
from alembic_safe.errors import ServerNotFound
from tests.support import subprocess_env


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
