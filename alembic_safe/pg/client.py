"""Running PostgreSQL client programs (pg_dump, pg_restore, psql) safely.

* :func:`find_tools` finds programs whose major version is at least the server's; a
  directory named explicitly (``pg_bindir`` / ``ALEMBIC_SAFE_PG_BINDIR``) is used or
  refused, never silently replaced by another one.
* :class:`PgTarget` + :func:`libpq_environment` hand a database URL to a libpq program
  through ``PG*`` environment variables and a passfile held in memory, so the password is
  never on a command line (``ps``, ``/proc/<pid>/cmdline``), in a child's environment
  (``/proc/<pid>/environ``), on disk, in a log or in a file name.
* :func:`run` runs a program with ``--verbose`` and feeds the tables it reports to a
  :class:`~alembic_safe.pg.progress.Progress`.
* :func:`read_listing` reads an archive's table of contents with ``pg_restore --list``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from alembic_safe import _pgbin
from alembic_safe.errors import BackupError, ConfigError
from alembic_safe.pg import children
from alembic_safe.pg.connection import parse_url
from alembic_safe.pg.progress import Progress

_TABLE_DONE = (
    re.compile(r'dumping contents of table "(?P<name>[^"]+)"'),
    re.compile(r"finished item \d+ TABLE DATA (?P<name>.+)$"),
    re.compile(r'processing data for table "(?P<name>[^"]+)"'),
)
# libpq settings that may come in a URL's query string, and their environment variables
_PARAM_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "sslcompression": "PGSSLCOMPRESSION",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
    "krbsrvname": "PGKRBSRVNAME",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}


# ---------------------------------------------------------------------- finding the programs


def find_tools(
    server_major: int,
    *,
    pg_bindir: str = "",
    names: tuple[str, ...] = ("pg_dump", "pg_restore"),
) -> dict[str, _pgbin.Program]:
    """``pg_dump`` / ``pg_restore`` of major version >= ``server_major``, or a clear error.

    A directory given explicitly (``pg_bindir`` or ``ALEMBIC_SAFE_PG_BINDIR``) is used or
    refused, never silently replaced by another one.
    """
    explicit = pg_bindir or os.environ.get("ALEMBIC_SAFE_PG_BINDIR", "")
    if explicit:
        return _explicit_tools(Path(explicit), names, server_major)
    programs, checked = _pgbin.find_programs(names, min_major=server_major)
    if programs is not None:
        return {name: _unwrapped(program) for name, program in programs.items()}
    found = [line for line in checked if re.search(r": PostgreSQL \d+$", line)]
    if found:
        raise BackupError.tools_too_old(names, found, server_major)
    raise BackupError.tools_missing(names, checked, server_major)


def _unwrapped(program: _pgbin.Program) -> _pgbin.Program:
    """The real binary behind Debian's ``pg_wrapper`` (``/usr/bin/pg_dump``).

    The wrapper picks a version per call from the environment (``PGCLUSTER``, the port of
    a local cluster), so the program that runs could differ from the one whose version was
    checked; the versioned binary cannot.
    """
    try:
        wrapped = program.path.resolve().name == "pg_wrapper"
    except OSError:
        return program
    real = Path(f"/usr/lib/postgresql/{program.major}/bin") / program.path.name
    if wrapped and real.is_file() and os.access(real, os.X_OK):
        return _pgbin.Program(path=real, major=program.major, version=program.version)
    return program


def _explicit_tools(
    directory: Path, names: tuple[str, ...], server_major: int
) -> dict[str, _pgbin.Program]:
    where = "pg_bindir / ALEMBIC_SAFE_PG_BINDIR"
    programs: dict[str, _pgbin.Program] = {}
    for name in names:
        path = directory / name
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise BackupError.tools_missing((name,), [f"{path} ({where}): no {name}"], server_major)
        info = _pgbin.program_version(path)
        if info is None:
            raise BackupError.tools_missing(
                (name,), [f"{path} ({where}): does not run or reports no version"], server_major
            )
        major, version = info
        if major < server_major:
            raise BackupError.tools_too_old((name,), [f"{path} ({where}): {version}"], server_major)
        # keep the path as given: a wrapper script stays a wrapper script
        programs[name] = _pgbin.Program(path=path.absolute(), major=major, version=version)
    return programs


# ---------------------------------------------------------------------- connecting libpq programs


@dataclass(frozen=True)
class PgTarget:
    """Where a libpq program connects; turned into environment variables, never argv."""

    host: str | None
    port: int | None
    user: str | None
    password: str | None = field(repr=False)
    database: str | None
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_url(cls, url: str | URL) -> PgTarget:
        parsed = parse_url(url)
        params = []
        for key, value in parsed.query.items():
            values = value if isinstance(value, tuple) else (value,)
            if key in _PARAM_ENV and values:
                params.append((key, str(values[0])))
        return cls(
            host=parsed.host,
            port=parsed.port,
            user=parsed.username,
            password=parsed.password if parsed.password is None else str(parsed.password),
            database=parsed.database,
            params=tuple(params),
        )

    def with_database(self, database: str) -> PgTarget:
        return PgTarget(self.host, self.port, self.user, self.password, database, self.params)

    def sqlalchemy_url(self, database: str | None = None) -> URL:
        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            password=self.password,
            host=self.host,
            port=self.port,
            database=database or self.database,
            query={k: v for k, v in self.params if k not in {"passfile", "service"}},
        )

    def shown(self, database: str | None = None) -> str:
        return self.sqlalchemy_url(database).render_as_string(hide_password=True)


def _escape_passfile(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


@dataclass(frozen=True)
class Child:
    """How to start a libpq program: its environment and the descriptors it inherits."""

    env: dict[str, str]
    pass_fds: tuple[int, ...] = ()


PASSFILE_PREFIX = "alembic-safe-pass-"
"""Temporary directories of the file fallback: ``alembic-safe-pass-<pid>-<random>``."""
_LEGACY = re.compile(r"^alembic-safe-[a-z0-9_]{8}$")
"""What earlier versions named their passfile directories (``alembic-safe-XXXXXXXX``)."""


def _memory_passfile(content: str) -> int | None:
    """A 0600 file in memory (``memfd_create``), or None where there is no such thing.

    libpq reads ``PGPASSFILE=/proc/self/fd/N`` like any file: a regular file, not readable
    by group or others.  It never touches a disk, and the kernel frees it when the last
    process holding the descriptor ends, however it ends.
    """
    create = getattr(os, "memfd_create", None)
    if create is None or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        fd = int(create("alembic-safe-pgpass", getattr(os, "MFD_CLOEXEC", 1)))
    except OSError:
        return None
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, content.encode("utf-8"))
    except OSError:
        os.close(fd)
        return None
    return fd


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _in_use(passfile: Path) -> bool:
    """Whether a running process was handed ``passfile`` (Linux: /proc/<pid>/environ)."""
    needle = f"PGPASSFILE={passfile}".encode()
    proc = Path("/proc")
    if not proc.is_dir():
        return True  # cannot tell: leave it
    for entry in proc.iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    return True
    return False


def remove_leftover_passfiles(directory: str | None = None) -> list[Path]:
    """Delete password files that runs killed before their cleanup left behind; return them.

    Only this user's directories named as alembic-safe names them, holding nothing but a
    ``pgpass`` file, whose process is gone (``alembic-safe-pass-<pid>-...``) or, for the
    names of earlier versions, that no running process was handed.
    """
    base = Path(directory or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(base.iterdir())
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        ours = name.startswith(PASSFILE_PREFIX)
        if not (ours or _LEGACY.match(name)):
            continue
        try:
            info = entry.lstat()
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
                continue
            if [p.name for p in entry.iterdir()] != ["pgpass"]:
                continue
        except OSError:
            continue
        if ours:
            pid = name[len(PASSFILE_PREFIX) :].split("-", 1)[0]
            if pid.isdigit() and _pid_alive(int(pid)):
                continue
        elif _in_use(entry / "pgpass"):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        if not entry.exists():
            removed.append(entry / "pgpass")
    return removed


@contextlib.contextmanager
def libpq_environment(target: PgTarget) -> Iterator[Child]:
    """How to run pg_dump/pg_restore/psql against ``target`` without showing the password.

    The connection goes into ``PG*`` variables, the password into a passfile held in
    memory (``PGPASSFILE=/proc/self/fd/N``, inherited by the child only); no variable of
    the child's environment carries it (see :mod:`alembic_safe.pg.children`).  Where
    memory files do not exist, the passfile is a 0600 file in a fresh 0700 temporary
    directory named after this process, deleted when the block ends;
    :func:`remove_leftover_passfiles` deletes those a killed run left behind.
    """
    remove_leftover_passfiles()
    env = children.environment([target.password])
    env["PGAPPNAME"] = "alembic-safe"
    for key, value in (
        ("PGHOST", target.host),
        ("PGPORT", str(target.port) if target.port else None),
        ("PGUSER", target.user),
        ("PGDATABASE", target.database),
    ):
        if value:
            env[key] = value
    for key, value in target.params:
        env[_PARAM_ENV[key]] = value
    if target.password is None:
        yield Child(env)
        return
    if "\n" in target.password or "\r" in target.password:
        raise ConfigError(
            "The password of the database URL contains a line break, which a libpq password "
            "file cannot hold, and alembic-safe does not put passwords into the environment "
            "of pg_dump or pg_restore.",
            hint="Leave the password out of the URL and put it into ~/.pgpass (or a "
            "pg_service.conf service), which libpq reads itself.",
        )
    content = f"*:*:*:*:{_escape_passfile(target.password)}\n"
    fd = _memory_passfile(content)
    if fd is not None:
        env["PGPASSFILE"] = f"/proc/self/fd/{fd}"
        try:
            yield Child(env, (fd,))
        finally:
            os.close(fd)
        return
    workdir = tempfile.mkdtemp(prefix=f"{PASSFILE_PREFIX}{os.getpid()}-")
    try:
        passfile = Path(workdir) / "pgpass"
        handle = os.open(passfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(content)
        env["PGPASSFILE"] = str(passfile)
        yield Child(env)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# ---------------------------------------------------------------------- running the programs


@dataclass(frozen=True)
class Outcome:
    """How a program ended: its exit code and what it said that matters."""

    returncode: int
    tail: tuple[str, ...]
    important: tuple[str, ...]

    def output(self) -> str:
        """Error and warning lines (else the last lines), for an error message."""
        return "\n".join(self.important[-15:] or self.tail[-10:])


def popen(args: Sequence[str], child: Child, **kwargs: Any) -> subprocess.Popen[Any]:
    """Start a libpq program as :func:`libpq_environment` prepared it.

    Its environment and the passfile's descriptor, and the parent-death signal
    (:func:`alembic_safe.pg.children.die_with_parent`); ``kwargs`` go to ``Popen``.
    """
    return subprocess.Popen(
        list(args),
        env=child.env,
        pass_fds=child.pass_fds,
        preexec_fn=children.die_with_parent(),  # noqa: PLW1509 - the parent-death signal
        **kwargs,
    )


def run(
    args: Sequence[str],
    child: Child,
    progress: Progress,
    *,
    measure: Callable[[], int] | None = None,
) -> Outcome:
    """Run a libpq program with ``--verbose``; report its tables and ``measure()`` bytes.

    Files the program creates are private (umask 077).  Ctrl-C or any other exception
    kills the program before it propagates, and it dies with this process however this
    process ends (:func:`alembic_safe.pg.children.die_with_parent`).
    """
    process = popen(
        args,
        child,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        umask=0o077,
        text=True,
        errors="replace",
    )
    tail: deque[str] = deque(maxlen=40)
    important: list[str] = []

    def read() -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            line = raw.rstrip("\n")
            tail.append(line)
            lowered = line.lower()
            noteworthy = "error" in lowered or "fatal" in lowered or "warning" in lowered
            if noteworthy and len(important) < 200:
                important.append(line)
            for pattern in _TABLE_DONE:
                match = pattern.search(line)
                if match:
                    progress.table_done(match["name"])
                    break

    finished = threading.Event()

    def tick() -> None:
        while not finished.wait(0.25):
            if measure is not None:
                progress.set_bytes(measure())
            else:
                progress.tick()

    reader = threading.Thread(target=read, daemon=True)
    ticker = threading.Thread(target=tick, daemon=True)
    reader.start()
    ticker.start()
    try:
        process.wait()  # blocks without polling: no added latency
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        finished.set()
        ticker.join(timeout=5)
        reader.join(timeout=5)
        if process.stderr is not None:
            process.stderr.close()
    if measure is not None:
        progress.set_bytes(measure())
    return Outcome(process.returncode, tuple(tail), tuple(important))


@dataclass(frozen=True)
class Listing:
    """What ``pg_restore --list`` says about an archive."""

    entries: int
    data_lines: tuple[str, ...]
    """The ``TABLE DATA`` lines of the table of contents."""
    header: dict[str, str]

    def has_data(self, schema: str, table: str) -> bool:
        needle = f" TABLE DATA {schema} {table} "
        return any(needle in line for line in self.data_lines)


def read_listing(pg_restore: Path, path: Path) -> Listing:
    """Read the archive's table of contents; raise ValueError when it cannot be read."""
    try:
        out = subprocess.run(
            [str(pg_restore), "--list", str(path)],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=600,
            check=False,
            env=children.environment(),
            preexec_fn=children.die_with_parent(),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ValueError(f"pg_restore --list did not run: {exc}") from None
    if out.returncode != 0:
        detail = " ".join(out.stderr.strip().splitlines()[-2:]) or f"exit code {out.returncode}"
        raise ValueError(f"pg_restore --list failed: {detail}")
    header: dict[str, str] = {}
    data: list[str] = []
    entries = 0
    for line in out.stdout.splitlines():
        if line.startswith(";"):
            key, sep, value = line[1:].strip().partition(":")
            if sep:
                header[key.strip()] = value.strip()
            continue
        if not line.strip():
            continue
        entries += 1
        if re.match(r"^\d+; \d+ \d+ TABLE DATA ", line):
            data.append(line)
    if "Format" not in header:
        raise ValueError("pg_restore --list shows no archive header")
    return Listing(entries=entries, data_lines=tuple(data), header=header)
