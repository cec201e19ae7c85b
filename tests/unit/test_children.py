"""Child processes get no secret in their environment and die with their parent."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from alembic_safe.pg import children


def test_environment_drops_every_variable_that_holds_a_password() -> None:
    base = {
        "DATABASE_URL": "postgresql://app@db/app",  # dropped by name, password or not
        "PGPASSWORD": "s3cret",
        "APP_DSN": "postgresql+psycopg://app:other-pw@db:5432/app",  # a URL with a password
        "TOKEN_HOLDER": "prefix-s3cret-suffix",  # holds the password being handed over
        "PGHOST": "db",
        "PUBLIC_URL": "https://example.org/a:b@c",  # not a user:password@ URL
        "PATH": "/usr/bin",
    }
    assert children.environment(["s3cret"], base) == {
        "PGHOST": "db",
        "PUBLIC_URL": "https://example.org/a:b@c",
        "PATH": "/usr/bin",
    }


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_child_dies_when_its_parent_is_killed(tmp_path: Path) -> None:
    pidfile = tmp_path / "child.pid"
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time\n"
            "from alembic_safe.pg import children\n"
            "p = subprocess.Popen(['sleep', '60'], preexec_fn=children.die_with_parent())\n"
            f"open({str(pidfile)!r}, 'w').write(str(p.pid))\n"
            "time.sleep(60)\n",
        ],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    deadline = time.monotonic() + 30
    while not pidfile.exists() or not pidfile.read_text():
        assert time.monotonic() < deadline, "the child never started"
        time.sleep(0.05)
    child = int(pidfile.read_text())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while _alive(child):
        assert time.monotonic() < deadline, "the child outlived its killed parent"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in {"Z", "X"}
