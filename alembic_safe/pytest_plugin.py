"""pytest plugin: a throwaway PostgreSQL for migration tests, and ready-made tests.

Installed with alembic-safe (entry point ``pytest11``); inert until asked.  Fixtures, for a
project's own tests:

- ``alembic_safe_server`` (session): a PostgreSQL server: ``ALEMBIC_SAFE_TEST_URL`` if
  set, else a throwaway cluster from local binaries, else testcontainers;
- ``alembic_safe_url``: a fresh, empty database on it (dropped afterwards);
- ``alembic_safe_config``: the project's Alembic ``Config`` pointed at that database, marked
  as a rehearsal so the guard takes no backup and asks for no confirmation there;
- ``alembic_safe_runner``: ``upgrade(rev)``, ``downgrade(rev)``, ``rehearse(range)`` and
  ``check()`` on that project and database.

``pytest --alembic-safe`` (or ``alembic_safe = true`` in the pytest ini) adds the ready-made
tests, named after the project's ``alembic.ini``:

- ``single-head``: the history has one head;
- ``round-trip``: every revision goes up, verifies, comes down to the same schema and rows,
  and goes up again (:mod:`alembic_safe.rehearse`, on an empty database);
- ``models-match``: after ``upgrade head``, autogenerate finds no difference with the models
  (``alembic check``; not applicable when env.py gives no ``target_metadata``);
- ``check``: the linter reports no error.

``alembic_safe_tests`` (ini, a list) keeps only some of them; ``alembic_safe_config`` (ini)
names the Alembic configuration file (default ``alembic.ini`` in the rootdir).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from alembic.config import Config

from alembic_safe.errors import AlembicSafeError

READY_MADE = ("single-head", "round-trip", "models-match", "check")
SERVER_KEY = pytest.StashKey["_Servers"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("alembic-safe", "alembic-safe migration tests")
    group.addoption(
        "--alembic-safe",
        action="store_true",
        dest="alembic_safe",
        help="run alembic-safe's ready-made migration tests (single head, round trip per "
        "revision, models match the head schema, no linter errors)",
    )
    parser.addini("alembic_safe", "run the ready-made migration tests", type="bool", default=False)
    parser.addini(
        "alembic_safe_config",
        "the Alembic configuration file of the project (default: alembic.ini in the rootdir)",
        default="alembic.ini",
    )
    parser.addini(
        "alembic_safe_tests",
        f"the ready-made tests to run (default: all of {', '.join(READY_MADE)})",
        type="args",
        default=[],
    )


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("alembic_safe") or config.getini("alembic_safe"))


def _ini_path(config: pytest.Config) -> Path:
    value = Path(str(config.getini("alembic_safe_config")))
    return value if value.is_absolute() else config.rootpath / value


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "alembic_safe: one of alembic-safe's ready-made tests")
    config.stash[SERVER_KEY] = _Servers()
    config.add_cleanup(config.stash[SERVER_KEY].close)


def pytest_report_header(config: pytest.Config) -> list[str]:
    if not _enabled(config):
        return []
    return [
        f"alembic-safe: ready-made migration tests of {_ini_path(config)} on a throwaway "
        "PostgreSQL database; the guard's backups and confirmations are off there"
    ]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    if not _enabled(config):
        return
    path = _ini_path(config)
    chosen = [str(t) for t in config.getini("alembic_safe_tests")] or list(READY_MADE)
    unknown = [t for t in chosen if t not in READY_MADE]
    if unknown:
        raise pytest.UsageError(
            f"alembic_safe_tests names unknown tests: {', '.join(unknown)}; "
            f"the ready-made tests are {', '.join(READY_MADE)}."
        )
    collector = MigrationTests.from_parent(session, path=path)
    items[:0] = [t for t in collector.collect() if t.name in chosen]


# --------------------------------------------------------------------------- servers


class _Servers:
    """One server per session, started on first use and stopped at the end."""

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._server: Any = None

    def server(self) -> Any:
        if self._server is None:
            from alembic_safe.postgres import test_server

            try:
                self._server = self._stack.enter_context(test_server())
            except AlembicSafeError as exc:
                pytest.fail(
                    f"No PostgreSQL server for the migration tests:\n{exc.format_message()}",
                    pytrace=False,
                )
        return self._server

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        server = self.server()
        name = f"alembic_safe_{uuid.uuid4().hex[:12]}"
        server.create_database(name)
        try:
            yield str(server.url(name))
        finally:
            server.drop_database(name)

    def close(self) -> None:
        self._stack.close()


def rehearsal_config(ini: str | Path, url: str, *, name: str = "alembic") -> Config:
    """An Alembic ``Config`` for ``ini`` pointed at ``url``, marked as a rehearsal.

    On that database the guard takes no backup and asks for no confirmation (it says so).
    Pass it to other tools' fixtures too, e.g. pytest-alembic's
    ``Config(alembic_config=rehearsal_config("alembic.ini", url))``.
    """
    from alembic_safe.commands import config_from
    from alembic_safe.guard import REHEARSAL

    config = config_from(ini, name)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes[REHEARSAL] = True
    return config


@dataclass
class Runner:
    """Migrations of one project on one throwaway database."""

    ini: Path
    url: str
    config: Config
    done: list[str] = field(default_factory=list)

    def upgrade(self, revision: str = "heads") -> None:
        self._run("upgrade", revision)

    def downgrade(self, revision: str) -> None:
        self._run("downgrade", revision)

    def _run(self, command_name: str, revision: str) -> None:
        from alembic import command

        with _database_url(self.url):
            getattr(command, command_name)(self.config, revision)
        self.done.append(f"{command_name} {revision}")

    def rehearse(self, rev_range: str | None = None) -> Any:
        """The rehearsal of ``rev_range`` (all revisions) from an empty database."""
        from alembic_safe.capture.project import Project
        from alembic_safe.rehearse.runner import Request, rehearse
        from alembic_safe.rehearse.scratch import Source

        project = Project.load(self.config)
        source = (
            Source(kind="url", url=self.url, template=True)
            if os.environ.get("ALEMBIC_SAFE_TEST_URL")
            else Source(kind="ephemeral")
        )
        return rehearse(
            project,
            Request(source=source, rev_range=rev_range, save_results=False),
            emit=lambda line: None,
        )

    def check(self) -> Any:
        """The linter's result for the whole history (``alembic-safe check``)."""
        from alembic_safe import lint

        return lint.check(self.config)


@contextlib.contextmanager
def _database_url(url: str) -> Iterator[None]:
    """env.py files that read ``DATABASE_URL`` find the throwaway database too."""
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = before


@pytest.fixture(scope="session")
def alembic_safe_server(request: pytest.FixtureRequest) -> Any:
    """The session's PostgreSQL server (:class:`alembic_safe.postgres.PostgresServer`)."""
    return request.config.stash[SERVER_KEY].server()


@pytest.fixture
def alembic_safe_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty database on the session's server; dropped after the test."""
    with request.config.stash[SERVER_KEY].database() as url:
        yield url


@pytest.fixture
def alembic_safe_config(request: pytest.FixtureRequest, alembic_safe_url: str) -> Config:
    """The project's Alembic Config, pointed at ``alembic_safe_url``, as a rehearsal."""
    return rehearsal_config(_ini_path(request.config), alembic_safe_url)


@pytest.fixture
def alembic_safe_runner(
    request: pytest.FixtureRequest, alembic_safe_url: str, alembic_safe_config: Config
) -> Runner:
    """Upgrade, downgrade, rehearse and check the project on ``alembic_safe_url``."""
    return Runner(_ini_path(request.config), alembic_safe_url, alembic_safe_config)


# --------------------------------------------------------------------------- the ready-made tests


class MigrationTests(pytest.File):
    """The ready-made tests of one Alembic project (its ``alembic.ini``)."""

    def collect(self) -> Iterator[pytest.Item]:
        for name, check in (
            ("single-head", _single_head),
            ("round-trip", _round_trip),
            ("models-match", _models_match),
            ("check", _lint),
        ):
            yield MigrationTest.from_parent(self, name=name, check=check)


class MigrationFailure(Exception):
    """A ready-made test failed; the message says what and how to fix it."""


class MigrationTest(pytest.Item):
    def __init__(self, *, check: Callable[[Runner], str | None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check
        self.add_marker("alembic_safe")

    def runtest(self) -> None:
        if not self.path.is_file():
            raise MigrationFailure(
                f"No Alembic configuration at {self.path}: set alembic_safe_config in the "
                "pytest ini to the project's alembic.ini."
            )
        servers: _Servers = self.config.stash[SERVER_KEY]
        with servers.database() as url:
            runner = Runner(self.path, url, rehearsal_config(self.path, url))
            skipped = self.check(runner)
        if skipped:
            pytest.skip(skipped)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, (MigrationFailure, AlembicSafeError)):
            value = excinfo.value
            return value.format_message() if isinstance(value, AlembicSafeError) else str(value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, None, str]:
        return self.path, None, f"alembic-safe {self.name}"


def _single_head(runner: Runner) -> str | None:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(runner.config).get_heads()
    if len(heads) > 1:
        raise MigrationFailure(
            f"The history has {len(heads)} heads ({', '.join(sorted(heads))}): `alembic "
            "upgrade head` fails until they are merged. Merge them with `alembic merge "
            f"-m 'merge heads' {' '.join(sorted(heads))}`."
        )
    return None


def _round_trip(runner: Runner) -> str | None:
    result = runner.rehearse()
    failed = [r for r in result.revisions if not r.passed]
    if failed:
        lines = [r.summary() for r in failed]
        raise MigrationFailure(
            "The rehearsal of the history on an empty database failed:\n  "
            + "\n  ".join(lines)
            + "\nRun `alembic-safe rehearse --ephemeral` for the full report."
        )
    if not result.revisions:
        return "the history has no revision to rehearse"
    return None


def _models_match(runner: Runner) -> str | None:
    from alembic import command
    from alembic.util import AutogenerateDiffsDetected, CommandError

    runner.upgrade("heads")
    try:
        with _database_url(runner.url):
            command.check(runner.config)
    except AutogenerateDiffsDetected as exc:
        raise MigrationFailure(
            f"The models differ from the schema the history builds: {exc}. Write the missing "
            "revision with `alembic revision --autogenerate -m '...'`."
        ) from None
    except CommandError as exc:
        if "MetaData" in str(exc) or "target_metadata" in str(exc):
            return "env.py gives no target_metadata, so there are no models to compare"
        raise
    return None


def _lint(runner: Runner) -> str | None:
    result = runner.check()
    errors = [f for f in result.active if f.severity.value == "error"]
    if errors:
        lines = [f"{f.path}:{f.line}: {f.rule}: {f.message}" for f in errors[:20]]
        more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise MigrationFailure(
            f"`alembic-safe check` reports {len(errors)} error(s):\n  "
            + "\n  ".join(lines)
            + more
            + "\nFix them, suppress them with a reason "
            "(# alembic-safe: ignore[rule] -- why), or record a baseline."
        )
    return None
