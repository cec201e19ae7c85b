"""Helpers called from the template pack's ``script.py.mako`` when a revision is written."""

from __future__ import annotations

import getpass
import shutil
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any


def author(config: Any = None) -> str:
    """Who writes the revision: ``author`` in ``[alembic_safe]``, git's user.name, or the OS user."""
    if config is not None:
        configured = (config.get_section("alembic_safe") or {}).get("author")
        if configured:
            return str(configured)
    git = shutil.which("git")
    if git:
        try:
            out = subprocess.run(
                [git, "config", "user.name"], capture_output=True, text=True, timeout=5, check=False
            )
            if out.returncode == 0 and out.stdout.strip():
                return out.stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            pass
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def templates_dir() -> Path:
    """The template pack directory: inside the wheel, or ``templates/`` of a source checkout."""
    packaged = Path(str(resources.files("alembic_safe"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"
