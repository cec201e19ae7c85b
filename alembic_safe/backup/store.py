"""The backup directory: private (0700, files 0600), listed, verified and pruned.

:func:`scan` lists our backups (never other files), :func:`apply_retention` deletes the
oldest of our own complete backups of a database beyond ``backup_keep``, and
:func:`list_backups` / :func:`verify` read each archive back with ``pg_restore --list``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from alembic_safe.backup.names import (
    LABEL_SUFFIX,
    NAME_PATTERN,
    PARTIAL_MARK,
    BackupInfo,
    label_from_name,
    label_path,
    read_label,
)
from alembic_safe.errors import BackupError
from alembic_safe.pg.client import find_tools, read_listing
from alembic_safe.pg.progress import Emit

IGNORE_FILE = ".gitignore"
IGNORE_TEXT = "# Written by alembic-safe: backups hold the database's rows; never commit them.\n*\n"


def default_directory() -> Path:
    """Where backups go when ``backup_dir`` is not set: a per-user state directory.

    ``$XDG_STATE_HOME/alembic-safe/backups`` (``~/.local/state/...`` when unset), on macOS
    ``~/Library/Application Support/alembic-safe/backups``, on Windows
    ``%LOCALAPPDATA%\\alembic-safe\\backups``: outside the project, so a deploy image or a
    ``git add -A`` never picks them up.
    """
    state = os.environ.get("XDG_STATE_HOME", "")
    if state and Path(state).is_absolute():
        root = Path(state)
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Application Support"
    elif sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        root = Path(os.environ["LOCALAPPDATA"])
    else:
        root = Path.home() / ".local" / "state"
    return root / "alembic-safe" / "backups"


def resolve_directory(value: str | Path, base: Path | None = None) -> Path:
    """``backup_dir`` as an absolute path; relative to ``base`` (the alembic.ini directory).

    An empty value means :func:`default_directory`.
    """
    if not str(value).strip():
        return default_directory()
    path = Path(os.path.expanduser(str(value)))
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    return path


def repository_of(directory: Path) -> Path | None:
    """The root of the git work tree that holds ``directory``, if any."""
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def ensure_ignored(directory: Path, emit: Emit | None = None) -> Path | None:
    """Inside a git work tree, put an ignore file in ``directory`` that ignores everything.

    Returns the file when one was written; an existing ignore file is left as it is.
    """
    if repository_of(directory) is None:
        return None
    ignore = directory / IGNORE_FILE
    if ignore.exists():
        return None
    try:
        ignore.write_text(IGNORE_TEXT, encoding="utf-8")
    except OSError as exc:
        raise BackupError.directory_unusable(
            str(directory), f"cannot write its {IGNORE_FILE}: {os_reason(exc)}"
        ) from None
    if emit is not None:
        emit(f"backup directory {directory} is inside a git repository; wrote {ignore.name}")
    return ignore


def prepare_directory(directory: Path, emit: Emit | None = None) -> Path:
    """Create the directory 0700 (or tighten it) and prove it is writable."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError:
        raise BackupError.directory_unusable(str(directory), "it is a file") from None
    except NotADirectoryError:
        raise BackupError.directory_unusable(
            str(directory), "a part of its path is a file, not a directory"
        ) from None
    except OSError as exc:
        raise BackupError.directory_unusable(str(directory), os_reason(exc)) from None
    if not directory.is_dir():
        raise BackupError.directory_unusable(str(directory), "it is not a directory")
    mode = stat.S_IMODE(directory.stat().st_mode)
    if mode & 0o077:
        try:
            directory.chmod(0o700)
        except OSError as exc:
            raise BackupError.directory_unusable(
                str(directory),
                f"it is readable by others (mode {mode:o}) and cannot be made private: "
                f"{os_reason(exc)}",
            ) from None
        if emit is not None:
            emit(f"backup directory {directory} was mode {mode:o}; made it 0700")
    probe = directory / f".alembic-safe-probe-{secrets.token_hex(4)}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        probe.unlink()
    except OSError as exc:
        raise BackupError.directory_unusable(str(directory), os_reason(exc)) from None
    ensure_ignored(directory, emit)
    return directory


def os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def size_of(path: Path) -> int:
    try:
        if path.is_dir():
            return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
        return path.stat().st_size
    except OSError:
        return 0


@dataclass
class Listed:
    """One entry of the backup directory that belongs to alembic-safe."""

    path: Path
    info: BackupInfo | None
    """The label; None when it is missing or unreadable (then ``guessed`` has the name's facts)."""
    guessed: BackupInfo | None
    state: str
    """``complete``, ``unlabelled`` (no valid label) or ``partial`` (an interrupted dump)."""
    size: int

    @property
    def best(self) -> BackupInfo | None:
        return self.info or self.guessed


def scan(directory: Path) -> list[Listed]:
    """Our backups in ``directory``, oldest first; other files are not listed."""
    if not directory.is_dir():
        return []
    found: list[Listed] = []
    for path in directory.iterdir():
        name = path.name
        if name.endswith(LABEL_SUFFIX) and not name.startswith("."):
            continue
        if name.startswith(".") and PARTIAL_MARK in name:
            original = name[1:].split(PARTIAL_MARK, 1)[0]
            if NAME_PATTERN.match(original):
                found.append(
                    Listed(path, None, label_from_name(Path(original)), "partial", size_of(path))
                )
            continue
        if not NAME_PATTERN.match(name):
            continue
        info = read_label(path)
        state = "complete" if info is not None else "unlabelled"
        found.append(Listed(path, info, label_from_name(path), state, size_of(path)))
    found.sort(key=lambda item: (item.best.created if item.best else "", item.path.name))
    return found


def apply_retention(
    directory: Path, database: str, keep: int, *, protect: Path | None = None
) -> list[Path]:
    """Delete the oldest complete backups of ``database`` beyond ``keep``; return what went.

    Only entries with our name pattern *and* a label naming them count; nothing else in the
    directory is ever touched.  ``keep = 0`` keeps everything.
    """
    if keep <= 0:
        return []
    ours = [
        item
        for item in scan(directory)
        if item.state == "complete" and item.info is not None and item.info.database == database
    ]
    deleted = []
    for item in ours[: max(0, len(ours) - keep)]:
        if protect is not None and item.path == protect:
            continue
        if item.path.is_dir() and not (item.path / "toc.dat").is_file():
            continue  # not what pg_dump writes; leave it alone
        remove(item.path)
        remove(label_path(item.path))
        deleted.append(item.path)
    if deleted:
        fsync_directory(directory)
    return deleted


@dataclass(frozen=True)
class Status:
    """A listed backup and whether ``pg_restore --list`` reads it."""

    item: Listed
    verifies: bool | None
    """None: not tried (a partial file, or no pg_restore)."""
    detail: str


def list_backups(directory: Path, *, pg_bindir: str = "", check: bool = True) -> list[Status]:
    """Every backup of ours in ``directory``, oldest first, each verified if ``check``."""
    result = []
    for item in scan(directory):
        if item.state == "partial":
            result.append(Status(item, None, "interrupted dump; safe to delete"))
        elif not check:
            result.append(Status(item, None, "not checked"))
        else:
            major = item.info.pg_dump_major if item.info else 0
            ok, detail = verify(item.path, pg_bindir=pg_bindir, min_major=major)
            result.append(Status(item, ok, detail))
    return result


def verify(path: Path, *, pg_bindir: str = "", min_major: int = 0) -> tuple[bool | None, str]:
    """(True, detail) when ``pg_restore --list`` reads the archive; None when it cannot be tried."""
    try:
        tools = find_tools(min_major, pg_bindir=pg_bindir, names=("pg_restore",))
    except BackupError as exc:
        return None, exc.message
    try:
        listing = read_listing(tools["pg_restore"].path, path)
    except ValueError as exc:
        return False, str(exc)
    return True, f"{listing.entries} entries"
