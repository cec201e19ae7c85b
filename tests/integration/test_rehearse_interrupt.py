"""Interrupting a rehearsal, and ``--keep``: nothing is left behind unless asked for."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from alembic_safe.postgres import PostgresServer
from tests.integration.test_rehearse import DROP_USERS, USERS
from tests.support import Project

SLOW = USERS + '\nop.execute("SELECT pg_sleep(60)")'


class Running:
    """``alembic-safe rehearse`` in the background, its stderr read line by line."""

    def __init__(self, project: Project, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "alembic_safe", "rehearse", *args],
            cwd=project.root,
            env=project.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"{pattern!r} never appeared in:\n{''.join(self.seen)}")

    def finish(self, timeout: float = 60) -> tuple[int, str, str]:
        self.process.wait(timeout=timeout)
        self.reader.join(timeout=10)  # the reader sees stderr to its end
        assert self.process.stdout is not None and self.process.stderr is not None
        stdout = self.process.stdout.read()
        self.process.stdout.close()
        self.process.stderr.close()
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return self.process.returncode, stdout, "".join(self.seen)


def _servers_of(pid: int) -> dict[int, Path]:
    """PostgreSQL postmasters started by ``pid``: their pid and data directory."""
    found: dict[int, Path] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid and argv and argv[0].endswith(b"postgres") and b"-D" in argv:
            found[int(entry.name)] = Path(argv[argv.index(b"-D") + 1].decode())
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and " Z " not in stat.read_text()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_rehearsal_leaves_no_server_behind(
    stock_project: Project, signum: signal.Signals
) -> None:
    stock_project.add("r1", SLOW, DROP_USERS)
    running = Running(stock_project, "--ephemeral")
    running.wait_for(r"\[1/1\] r1")
    servers: dict[int, Path] = {}
    deadline = time.monotonic() + 10
    while not servers and time.monotonic() < deadline:
        servers = _servers_of(running.process.pid)
    assert servers, "the rehearsal's throwaway server was not found"
    time.sleep(1.0)  # inside pg_sleep now

    running.process.send_signal(signum)
    code, _, stderr = running.finish()

    assert code == 130, stderr
    assert "error: interrupted" in stderr and "Traceback" not in stderr
    for pid, data in servers.items():
        assert not _alive(pid), f"postgres {pid} is still running"
        assert not data.parent.exists(), f"{data.parent} is still there"


def test_an_interrupted_template_rehearsal_drops_its_database(
    stock_project: Project, pg_server: PostgresServer
) -> None:
    assert stock_project.database is not None
    stock_project.add("r1", SLOW, DROP_USERS)
    running = Running(stock_project, "--url", stock_project.database.url, "--template")
    running.wait_for(r"\[1/1\] r1")
    time.sleep(1.0)

    running.process.send_signal(signal.SIGTERM)
    code, _, stderr = running.finish()

    assert code == 130, stderr
    with pg_server.connect(autocommit=True) as conn:
        left = conn.execute(
            "SELECT datname FROM pg_database WHERE datname ~ '_rehearsal_'"
        ).fetchall()
    assert left == []


def test_keep_holds_the_scratch_database_until_interrupted(stock_project: Project) -> None:
    stock_project.add("r1", USERS, DROP_USERS)
    running = Running(stock_project, "--ephemeral", "--keep")
    match = running.wait_for(r'connect with psql "(?P<conninfo>[^"]+)"')
    conninfo = match["conninfo"]
    assert "password" not in conninfo
    with psycopg.connect(conninfo) as conn:  # no password: the server's own socket
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("r1",)]
    servers = _servers_of(running.process.pid)
    assert servers

    running.process.send_signal(signal.SIGINT)
    code, stdout, stderr = running.finish()

    assert code == 0, stderr  # the rehearsal passed; the interrupt only ends the hold
    assert "The scratch database is kept: psql" in stdout
    assert "removing the scratch database and its server" in stderr
    for pid, data in servers.items():
        assert not _alive(pid)
        assert not data.parent.exists()
