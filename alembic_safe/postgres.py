"""A throwaway PostgreSQL server for tests, the demo and ``rehearse --ephemeral``.

:func:`throwaway_postgres` runs ``initdb`` into a temporary directory and starts
``postgres`` on a unix socket in that directory and on a free 127.0.0.1 port, with a
random password for TCP connections.  It always stops the server and removes the
directory: on normal exit, on errors and on Ctrl-C; if the calling process is killed,
the kernel sends the server SIGQUIT (``PR_SET_PDEATHSIG``) so it does not outlive us.

PostgreSQL refuses to run as root.  When the caller is root, the server processes run
as an unprivileged user (``postgres`` if it exists, else ``nobody``), which owns the
temporary directory; we connect over TCP with the password.  When that user cannot reach
the programs (a virtualenv under root's 0700 home, say), they run from a private copy in
the temporary directory: ``initdb``, ``postgres`` and the installation's ``lib`` and
``share`` trees, hard-linked where the files themselves are readable, copied otherwise.
Nothing of the user's is ever chmod-ed.

:func:`test_server` picks a server for the test-suite: ``ALEMBIC_SAFE_TEST_URL`` if set,
else a throwaway server from local binaries, else testcontainers when a Docker engine
answers, else a clear error.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url

from alembic_safe._pgbin import Program, find_programs
from alembic_safe.errors import ServerNotFound, ServerStartError

log = logging.getLogger(__name__)

TEST_URL_ENV = "ALEMBIC_SAFE_TEST_URL"
SUPERUSER = "alembic_safe"
_PR_SET_PDEATHSIG = 1


@dataclass
class PostgresServer:
    """Where a server listens and how to log in; ``url()`` gives SQLAlchemy URLs."""

    host: str
    port: int
    user: str
    password: str | None = field(repr=False)
    database: str = "postgres"
    major: int = 0
    origin: str = ""
    socket_dir: str | None = None
    started_in: float = 0.0
    bindir: Path | None = None
    _created: list[str] = field(default_factory=list, repr=False)

    def url(self, database: str | None = None, *, driver: str = "postgresql+psycopg") -> str:
        """A SQLAlchemy URL (with the password) for ``database``."""
        return URL.create(
            driver,
            username=self.user,
            password=self.password,
            host=self.host,
            port=self.port,
            database=database or self.database,
        ).render_as_string(hide_password=False)

    def connect(self, database: str | None = None, **kwargs: object) -> psycopg.Connection:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=database or self.database,
            connect_timeout=10,
            **kwargs,  # type: ignore[arg-type]
        )

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """Create ``name`` (optionally from ``template``); return its SQLAlchemy URL."""
        with self.connect(autocommit=True) as conn:
            if template:
                conn.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(template)
                    )
                )
            else:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self._created.append(name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with self.connect(autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        if name in self._created:
            self._created.remove(name)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_user() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as, or None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise ServerStartError(
        "PostgreSQL refuses to run as root, and neither a 'postgres' nor a 'nobody' "
        "account exists to run the throwaway server as.",
        hint="Create an unprivileged account (useradd postgres) or run as a normal user.",
    )


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGQUIT)
    except OSError:
        pass


def _uid(account: pwd.struct_passwd | None) -> int | None:
    return account.pw_uid if account is not None else None


def _gid(account: pwd.struct_passwd | None) -> int | None:
    return account.pw_gid if account is not None else None


def _groups(account: pwd.struct_passwd | None) -> list[int] | None:
    return [] if account is not None else None


def _may(path: Path, account: pwd.struct_passwd, bits: int) -> bool:
    """Whether ``account`` (in its primary group only) has ``bits`` on ``path`` (4 r, 1 x)."""
    try:
        status = path.stat()
    except OSError:
        return False
    if status.st_uid == account.pw_uid:
        shift = 6
    elif status.st_gid == account.pw_gid:
        shift = 3
    else:
        shift = 0
    return (status.st_mode >> shift) & bits == bits


def _reachable(path: Path, account: pwd.struct_passwd) -> bool:
    """Whether ``account`` can run ``path``: search rights on every directory above it."""
    real = path.resolve()
    parents = {*path.absolute().parents, *real.parents}
    return all(_may(parent, account, 1) for parent in parents) and _may(real, account, 5)


def _place(source: Path, target: Path, account: pwd.struct_passwd) -> None:
    """Hard-link ``source`` at ``target`` if ``account`` may read it, else copy it readable."""
    executable = bool(source.stat().st_mode & 0o100)
    if _may(source, account, 5 if executable else 4):
        try:
            os.link(source, target)
            return
        except OSError:  # another file system, or links refused: copy instead
            pass
    shutil.copy2(source, target)  # our own copy: its mode is ours to set
    target.chmod(0o755 if executable else 0o644)


def _place_tree(source: Path, target: Path, account: pwd.struct_passwd) -> None:
    _make_dirs(target)
    for entry in sorted(source.iterdir()):
        if entry.is_symlink():
            (target / entry.name).symlink_to(os.readlink(entry))
        elif entry.is_dir():
            _place_tree(entry, target / entry.name, account)
        elif entry.is_file():
            _place(entry, target / entry.name, account)


def _make_dirs(path: Path) -> None:
    """Create ``path`` and its missing parents, each searchable by everyone (0755)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for directory in reversed(missing):
        directory.mkdir(mode=0o755)
        directory.chmod(0o755)  # whatever the umask


def _server_trees(bindir: Path, account: pwd.struct_passwd) -> list[Path]:
    """What a server in ``bindir`` reads besides its programs: $libdir, share, and libpq's lib.

    ``pg_config`` in the same directory says where they are; without it, a self-contained
    layout (``../lib``, ``../share``) is assumed.
    """
    trees = [bindir.parent / "lib", bindir.parent / "share"]
    pg_config = bindir / "pg_config"
    if pg_config.is_file():
        try:
            out = subprocess.run(
                [str(pg_config), "--pkglibdir", "--sharedir", "--libdir"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            out = None
        lines = out.stdout.splitlines() if out is not None and out.returncode == 0 else []
        if len(lines) == 3:
            pkglibdir, sharedir, libdir = (Path(line).resolve() for line in lines)
            trees = [pkglibdir, sharedir]
            if not _may(libdir, account, 5):  # a shared libpq beside a private install
                trees.append(libdir)
    unique: list[Path] = []
    for tree in sorted({tree.resolve() for tree in trees if tree.is_dir()}, key=str):
        if not any(tree.is_relative_to(kept) for kept in unique):
            unique.append(tree)
    return unique


def _runnable(
    programs: dict[str, Program], workdir: Path, account: pwd.struct_passwd | None
) -> dict[str, Path]:
    """The programs to run: the originals, or a copy in ``workdir`` that ``account`` can reach.

    PostgreSQL finds its ``lib`` and ``share`` directories relative to the running binary
    (when their compiled-in relation to ``bin`` holds), so the copy mirrors each directory's
    full path under ``workdir/install``: every relation holds there as it did in the original.
    """
    paths = {name: program.path for name, program in programs.items()}
    if account is None or all(_reachable(path, account) for path in paths.values()):
        return paths
    install = workdir / "install"
    bindir = paths["postgres"].resolve().parent

    def mirrored(path: Path) -> Path:
        return install / path.relative_to(path.anchor)

    try:
        _make_dirs(mirrored(bindir))
        for name, path in paths.items():
            _place(path.resolve(), mirrored(bindir) / name, account)
        for tree in _server_trees(bindir, account):
            _make_dirs(mirrored(tree).parent)
            _place_tree(tree, mirrored(tree), account)
    except OSError as exc:
        raise ServerStartError(
            f"The user {account.pw_name!r} that runs the throwaway server cannot reach "
            f"{bindir}, and copying the installation into {install} failed: {exc}.",
            hint="Install the PostgreSQL programs where that user can read them, "
            "or run as a user other than root.",
        ) from None
    log.info("%s cannot reach %s; running a private copy in %s", account.pw_name, bindir, install)
    return {name: mirrored(bindir) / name for name in paths}


def _start_failed(
    program: Program, ran: Path, account: pwd.struct_passwd | None, exc: OSError
) -> ServerStartError:
    who = f" as the user {account.pw_name!r}" if account is not None else ""
    return ServerStartError(
        f"Could not run {program.path}{who} for the throwaway server: {exc.strerror or exc}.",
        context=[("Ran the copy", str(ran))] if ran != program.path else [],
        hint="Check that the PostgreSQL programs (and what they need, such as a script's "
        "interpreter) can be run by that user, or set ALEMBIC_SAFE_PG_BINDIR to a bin "
        "directory that can.",
    )


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextlib.contextmanager
def throwaway_postgres(
    *,
    bindir: str | None = None,
    settings: dict[str, str] | None = None,
    keep_on_error: bool = False,
) -> Iterator[PostgresServer]:
    """Start a private PostgreSQL server; stop it and delete its files on exit.

    :param bindir: directory with ``initdb`` and ``postgres``; found automatically if None.
    :param settings: extra ``postgres -c name=value`` settings.
    :param keep_on_error: keep the data directory when startup fails (for debugging).
    """
    programs, checked = find_programs(("initdb", "postgres"), explicit=bindir)
    if programs is None:
        raise ServerNotFound.no_binaries(checked)
    account = _server_user()
    # root's TMPDIR may be unreadable to the server's user; /tmp is world-traversable
    base = "/tmp" if account is not None else None  # noqa: S108 - mkdtemp makes a private dir
    workdir = Path(tempfile.mkdtemp(prefix="alembic-safe-pg-", dir=base))
    process: subprocess.Popen[bytes] | None = None
    started = time.perf_counter()
    failed = True
    try:
        if account is not None:
            os.chown(workdir, account.pw_uid, account.pw_gid)
        workdir.chmod(0o700)
        password = secrets.token_urlsafe(18)
        pwfile = workdir / "pwfile"
        pwfile.write_text(password + "\n")
        pwfile.chmod(0o600)
        if account is not None:
            os.chown(pwfile, account.pw_uid, account.pw_gid)
        data = workdir / "data"
        paths = _runnable(programs, workdir, account)
        try:
            init = subprocess.run(
                [
                    str(paths["initdb"]),
                    "--pgdata",
                    str(data),
                    "--username",
                    SUPERUSER,
                    "--pwfile",
                    str(pwfile),
                    "--auth-host=scram-sha-256",
                    "--auth-local=trust",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync",
                ],
                capture_output=True,
                text=True,
                cwd=workdir,
                check=False,
                user=_uid(account),
                group=_gid(account),
                extra_groups=_groups(account),
            )
        except OSError as exc:
            raise _start_failed(programs["initdb"], paths["initdb"], account, exc) from None
        pwfile.unlink()
        if init.returncode != 0:
            raise ServerStartError(
                f"initdb failed (exit {init.returncode}) for the throwaway server.",
                context=[("initdb said", (init.stderr or init.stdout)[-2000:])],
            )
        options = {
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": str(workdir),
            "fsync": "off",
            "full_page_writes": "off",
            "synchronous_commit": "off",
            "max_connections": "100",
        } | (settings or {})
        logfile = workdir / "server.log"
        for _attempt in range(3):
            port = _free_port()
            args = [str(paths["postgres"]), "-D", str(data), "-p", str(port)]
            for name, value in options.items():
                args += ["-c", f"{name}={value}"]
            with open(logfile, "ab") as log_handle:
                try:
                    process = subprocess.Popen(
                        args,
                        stdout=log_handle,
                        stderr=subprocess.STDOUT,
                        stdin=subprocess.DEVNULL,
                        cwd=workdir,
                        start_new_session=True,
                        preexec_fn=_die_with_parent,  # noqa: PLW1509 - needed for PDEATHSIG
                        user=_uid(account),
                        group=_gid(account),
                        extra_groups=_groups(account),
                    )
                except OSError as exc:
                    raise _start_failed(
                        programs["postgres"], paths["postgres"], account, exc
                    ) from None
            server = PostgresServer(
                host="127.0.0.1",
                port=port,
                user=SUPERUSER,
                password=password,
                major=programs["postgres"].major,
                origin=f"throwaway server in {workdir}",
                socket_dir=str(workdir),
                bindir=programs["postgres"].path.parent,
            )
            if _wait_ready(server, process):
                break
            if process.poll() is not None and "could not bind" in _tail(logfile, 40):
                continue  # the free port was taken in between; try another
            raise ServerStartError(
                "The throwaway PostgreSQL server did not start.",
                context=[("server log", _tail(logfile))],
            )
        else:
            raise ServerStartError(
                "The throwaway PostgreSQL server could not bind a free port after 3 tries.",
                context=[("server log", _tail(logfile))],
            )
        server.started_in = time.perf_counter() - started
        log.info("throwaway PostgreSQL %s ready in %.2fs", server.major, server.started_in)
        failed = False
        yield server
    finally:
        if process is not None:
            _stop(process)
        if not (failed and keep_on_error):
            shutil.rmtree(workdir, ignore_errors=True)


def _wait_ready(server: PostgresServer, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with server.connect() as conn:
                conn.execute("SELECT 1")
            return True
        except psycopg.OperationalError:
            time.sleep(0.02)
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Fast shutdown (SIGINT: disconnect clients, clean stop); escalate if it hangs."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGINT, 15.0), (signal.SIGQUIT, 5.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            log.warning("PostgreSQL (pid %s) did not stop on %s", process.pid, sig.name)


def server_from_url(url: str, origin: str) -> PostgresServer:
    """Describe an existing server from a URL (for ALEMBIC_SAFE_TEST_URL)."""
    parsed = make_url(url)
    server = PostgresServer(
        host=parsed.host or "localhost",
        port=parsed.port or 5432,
        user=parsed.username or os.environ.get("PGUSER", "postgres"),
        password=parsed.password,
        database=parsed.database or "postgres",
        origin=origin,
    )
    with server.connect() as conn:
        server.major = conn.info.server_version // 10000
    return server


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        out = subprocess.run(
            ["docker", "info", "--format", "{{.ServerVersion}}"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0 and bool(out.stdout.strip())


@contextlib.contextmanager
def _container_server() -> Iterator[PostgresServer]:
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer("postgres:16-alpine", driver=None) as container:
        yield server_from_url(container.get_connection_url(), "testcontainers postgres:16")


@contextlib.contextmanager
def test_server() -> Iterator[PostgresServer]:
    """A server for the test-suite: env URL, local binaries, or Docker; never a silent skip."""
    url = os.environ.get(TEST_URL_ENV)
    if url:
        yield server_from_url(url, TEST_URL_ENV)
        return
    try:
        with throwaway_postgres() as server:
            yield server
        return
    except ServerNotFound as missing:
        if not _docker_answers():
            raise ServerNotFound(
                missing.message + " No Docker engine answers either, so testcontainers "
                "cannot start one.",
                context=missing.context,
                hint=missing.hint,
            ) from None
    with _container_server() as server:
        yield server


test_server.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
