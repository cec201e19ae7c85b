"""Exit codes of guarded ``alembic`` runs and of ``alembic-safe``, on the real server.

A refusal or a failed revision exits 1 and a configuration error 2 (not Alembic's 255),
with Alembic's ``FAILED: ...`` line and no traceback; from Python the error propagates.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic import command
from alembic.config import Config

from alembic_safe.errors import UnsafeMigrationError
from tests.support import Project, output

CREATE = 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))'


def _failed(result: subprocess.CompletedProcess[str], code: int, phrase: str) -> None:
    text = output(result)
    assert result.returncode == code, text
    assert "FAILED: " in text and phrase in text, text
    assert "Traceback" not in text, text


def test_a_refusal_exits_1(project: Project) -> None:
    project.add("r1", CREATE, "pass")
    _failed(project.alembic("upgrade", "head"), 1, "empty downgrade")


def test_a_failed_revision_exits_1(project: Project) -> None:
    project.add("r1", 'op.execute("SELECT * FROM no_such_table")', 'op.execute("SELECT 1")')
    _failed(project.alembic("-x", "backup=skip", "upgrade", "head"), 1, "no_such_table")


def test_a_configuration_error_exits_2(project: Project) -> None:
    project.add("r1", CREATE, 'op.drop_table("t")')
    _failed(project.alembic("-x", "lock_timeout=soon", "upgrade", "head"), 2, "lock_timeout")
    _failed(project.alembic("upgrade", "head", DATABASE_URL="mysql://u@h/db"), 2, "PostgreSQL only")


def test_raiseerr_keeps_alembics_traceback(project: Project) -> None:
    project.add("r1", CREATE, "pass")
    result = project.alembic("--raiseerr", "upgrade", "head")
    assert result.returncode == 1 and "UnsafeMigrationError" in output(result)


def test_from_python_the_error_propagates(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert project.database is not None
    project.add("r1", CREATE, "pass")
    monkeypatch.setenv("DATABASE_URL", project.database.url)
    monkeypatch.chdir(project.root)
    monkeypatch.syspath_prepend(str(project.root))
    with pytest.raises(UnsafeMigrationError, match="empty downgrade"):
        command.upgrade(Config(str(project.ini)), "head")


def test_check_into_a_closed_pipe_ends_quietly(project: Project) -> None:
    for n in range(1, 4):
        project.add(f"r{n}", 'op.create_index("ix_t", "t", ["id"])', 'op.drop_index("ix_t")')
    result = subprocess.run(
        f"set -o pipefail; {sys.executable} -m alembic_safe check | head -1",
        shell=True,
        executable="/bin/bash",
        cwd=project.root,
        capture_output=True,
        text=True,
        env=project.env(),
        check=False,
    )
    assert result.stdout.count("\n") == 1 and "create-index-non-concurrently" in result.stdout
    assert result.stderr == "", result.stderr
    assert result.returncode == 1  # the verdict: errors found


def test_unknown_ini_section_is_a_configuration_error(project: Project) -> None:
    result = project.alembic_safe("-n", "nosuch", "check")
    assert result.returncode == 2
    assert "alembic.ini has no [nosuch] section (-n nosuch)" in result.stderr
    assert "Sections there: alembic, alembic_safe" in result.stderr
    assert "internal error" not in result.stderr
