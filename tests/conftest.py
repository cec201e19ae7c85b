"""Fixtures: one real PostgreSQL server per test session, a fresh database per test.

The server comes from ``ALEMBIC_SAFE_TEST_URL`` (an existing server; the user needs
CREATEDB), else a throwaway cluster from local PostgreSQL binaries, else testcontainers
when a Docker engine answers.  If none is available the session fails with a message
saying what was checked; database tests are never skipped silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from alembic_safe.errors import AlembicSafeError
from alembic_safe.postgres import PostgresServer, test_server
from tests.support import Database, Project, new_database


@pytest.fixture(autouse=True)
def private_state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Backups that go to the per-user default directory land in the test's own folder."""
    state = tmp_path / "state-home"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    return state


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    try:
        manager = test_server()
        server = manager.__enter__()
    except AlembicSafeError as exc:
        pytest.fail(f"No PostgreSQL server for the tests:\n{exc.format_message()}", pytrace=False)
    try:
        yield server
    finally:
        manager.__exit__(None, None, None)


@pytest.fixture
def database(pg_server: PostgresServer) -> Iterator[Database]:
    db = new_database(pg_server)
    try:
        yield db
    finally:
        pg_server.drop_database(db.name)


@pytest.fixture
def project(tmp_path: Path, database: Database) -> Project:
    """A project from our template pack, pointed at a fresh database."""
    return Project.create(tmp_path / "app", database)


@pytest.fixture
def stock_project(tmp_path: Path, database: Database) -> Project:
    """A project from Alembic's own ``generic`` template (never saw alembic-safe)."""
    return Project.create(tmp_path / "stock", database, stock=True)
