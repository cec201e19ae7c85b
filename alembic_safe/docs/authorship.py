"""Who added a revision file, and the ticket its commit names: from the file's git history.

The impact page names the author and the ticket from the revision's docstring header;
where the header has none (Alembic's stock template writes neither), the commit that added
the file knows the author, and its message often names the ticket (``PROJ-123``, ``#42``).
One ``git log`` answers for every file of a run.  Outside a git work tree, for a file not
committed yet, or without ``git``, nothing is known and the page says "not stated".
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

TICKET = re.compile(r"(?<![\w/])(?:[A-Z][A-Z0-9]+-\d+|#\d+)\b")
"""A ticket reference in a commit message: ``PROJ-123`` or ``#42``."""
_RECORD = "\x1e"
_FIELD = "\x1f"


@dataclass(frozen=True)
class Origin:
    """The commit that added a revision file."""

    author: str
    date: str
    """``YYYY-MM-DD`` of the commit."""
    ticket: str | None


def origins(paths: Iterable[str | Path]) -> dict[Path, Origin]:
    """The adding commit of each file in ``paths`` that git knows (resolved path -> origin)."""
    files = [Path(p).resolve() for p in paths]
    git = shutil.which("git")
    if not files or git is None:
        return {}
    found: dict[Path, Origin] = {}
    for top, members in _by_repository(git, files).items():
        wanted = {f.relative_to(top).as_posix(): f for f in members}
        log = _run(
            [
                git,
                "-c",
                "core.quotepath=off",
                "log",
                "--diff-filter=A",
                "--no-renames",
                "--name-only",
                f"--format={_RECORD}%an{_FIELD}%as{_FIELD}%B{_FIELD}",
                "--",
                *sorted(wanted),
            ],
            top,
        )
        for record in (log or "").split(_RECORD)[1:]:
            author, date, message, names = [*record.split(_FIELD), "", "", "", ""][:4]
            ticket = TICKET.search(message)
            for name in names.split("\n"):
                path = wanted.get(name.strip())
                if path is not None and path not in found:  # newest first: keep the first add
                    found[path] = Origin(
                        author.strip(), date.strip(), ticket.group(0) if ticket else None
                    )
    return found


def _by_repository(git: str, files: list[Path]) -> dict[Path, list[Path]]:
    groups: dict[Path, list[Path]] = {}
    tops: dict[Path, Path | None] = {}
    for file in files:
        directory = file.parent
        if directory not in tops:
            out = _run([git, "rev-parse", "--show-toplevel"], directory)
            tops[directory] = Path(out.strip()).resolve() if out and out.strip() else None
        top = tops[directory]
        if top is not None:
            groups.setdefault(top, []).append(file)
    return groups


def _run(args: list[str], cwd: Path) -> str | None:
    try:
        done = subprocess.run(
            args, cwd=cwd, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
