"""The interactive confirmation of destructive steps, on a real pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

from tests.support import Project


def _run_on_tty(project: Project, answer: str) -> tuple[int, str]:
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=project.root,
        env=project.env(),
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        close_fds=True,
    )
    os.close(terminal)
    seen = b""
    answered = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(controller, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        if not answered and b"to apply it anyway" in seen:
            os.write(controller, answer.encode() + b"\n")
            answered = True
        if proc.poll() is not None and not ready:
            break
    proc.wait(timeout=30)
    os.close(controller)
    return proc.returncode, seen.decode(errors="replace")


def _destructive(project: Project) -> None:
    project.add(
        "r1",
        'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))',
        'op.drop_table("t")',
    )
    assert project.alembic("upgrade", "head").returncode == 0
    project.add(
        "r2",
        'op.drop_table("t")',
        'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))',
    )


def test_typing_the_revision_id_confirms(project: Project) -> None:
    _destructive(project)
    code, text = _run_on_tty(project, "r2")
    assert code == 0, text
    assert 'drops table "t"' in text
    assert project.database is not None and project.database.version() == ["r2"]


def test_any_other_answer_refuses_and_applies_nothing(project: Project) -> None:
    _destructive(project)
    code, text = _run_on_tty(project, "yes")
    assert code != 0, text
    assert "Not confirmed" in text and "nothing was applied" in text
    assert project.database is not None and project.database.version() == ["r1"]
