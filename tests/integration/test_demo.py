"""The README's first command: `alembic-safe demo` runs end to end on its own server."""

from __future__ import annotations

import subprocess
import sys

from tests.support import subprocess_env


def test_demo_runs_every_guard_and_cleans_up() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "alembic_safe", "demo"],
        capture_output=True,
        text=True,
        timeout=300,
        env=subprocess_env(),
        check=False,
    )
    text = result.stdout + result.stderr
    assert result.returncode == 0, text
    assert "UNEXPECTED" not in text
    assert text.count("-> ok:") == 9  # one per guard shown
    assert "Traceback" not in text
    assert "the throwaway server is stopped and removed" in text
