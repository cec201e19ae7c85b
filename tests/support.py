"""Test helpers: Alembic projects on disk and databases on the test server.

Every test database is a real PostgreSQL database (see ``conftest.py``); projects are
written with ``alembic-safe init`` and revision files written directly, and the
``alembic`` command runs in a subprocess exactly as a user runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import create_engine, pool
from sqlalchemy.engine import URL

from alembic_safe import commands
from alembic_safe._pgbin import find_programs
from alembic_safe.postgres import PostgresServer
from alembic_safe.rehearse import snapshot

REPO = Path(__file__).resolve().parents[1]


def subprocess_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for child processes: this checkout first on PYTHONPATH."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("DATABASE_URL", None)
    env.update(extra or {})
    return env


def libpq_env(url: URL) -> dict[str, str]:
    """``PG*`` variables for a psql the tests run themselves (PGPASSWORD is fine in tests)."""
    values = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    return {key: str(value) for key, value in values.items() if value}


@dataclass
class Database:
    """One throwaway database on the test server."""

    server: PostgresServer
    name: str

    @property
    def url(self) -> str:
        return self.server.url(self.name)

    def connect(self, **kwargs: Any) -> psycopg.Connection:
        return self.server.connect(self.name, **kwargs)

    def execute(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        with self.connect(autocommit=True) as conn:
            cur = conn.execute(sql, params)
            return cur.fetchall() if cur.description else []

    def scalar(self, sql: str, params: Any = None) -> Any:
        rows = self.execute(sql, params)
        return rows[0][0] if rows else None

    def snapshot(self, include_data: bool = True) -> snapshot.Snapshot:
        engine = create_engine(self.url, poolclass=pool.NullPool)
        try:
            with engine.connect() as conn:
                return snapshot.take(conn, include_data=include_data)
        finally:
            engine.dispose()

    def version(self) -> list[str]:
        exists = self.scalar("SELECT to_regclass('alembic_version') IS NOT NULL")
        if not exists:
            return []
        return sorted(r[0] for r in self.execute("SELECT version_num FROM alembic_version"))

    def history(self) -> list[dict[str, Any]]:
        if not self.scalar("SELECT to_regclass('alembic_safe_history') IS NOT NULL"):
            return []
        with self.connect() as conn:
            cur = conn.execute("SELECT * FROM alembic_safe_history ORDER BY id")
            names = [d.name for d in cur.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def psql_program(server: PostgresServer) -> str:
    """``psql`` of the server's major or newer (ALEMBIC_SAFE_PG_BINDIR's when set), not PATH's."""
    programs, checked = find_programs(("psql",), min_major=server.major)
    assert programs is not None, checked
    return str(programs["psql"].path)


def new_database(server: PostgresServer) -> Database:
    name = f"t_{uuid.uuid4().hex[:12]}"
    server.create_database(name)
    return Database(server, name)


REVISION = '''\
"""{message}

Purpose: {message}
Ticket: #1
Author: tests

Revision ID: {rev}
Revises: {down}
Create Date: 2026-01-01 00:00:00
"""
from alembic import op
import sqlalchemy as sa

import alembic_safe  # noqa: F401

revision = {rev!r}
down_revision = {down_revision!r}
branch_labels = {branch_labels!r}
depends_on = {depends_on!r}
{extra}

def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''


@dataclass
class Project:
    """An Alembic project written with ``alembic-safe init`` in a temporary directory."""

    root: Path
    database: Database | None = None
    revisions: list[str] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        root: Path,
        database: Database | None = None,
        *,
        stock: bool = False,
        template: str | None = None,
    ) -> Project:
        """``alembic-safe init`` (or, ``stock``, ``alembic init``) with ``template``."""
        root.mkdir(parents=True, exist_ok=True)
        if stock:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "alembic",
                    "init",
                    "-t",
                    template or "generic",
                    "migrations",
                ],
                cwd=root,
                check=True,
                capture_output=True,
                env=subprocess_env(),
            )
        else:
            cwd = os.getcwd()
            os.chdir(root)
            try:
                commands.init("migrations", template=template or "safe")
            finally:
                os.chdir(cwd)
        return cls(root=root, database=database)

    @property
    def ini(self) -> Path:
        return self.root / "alembic.ini"

    @property
    def versions(self) -> Path:
        return self.root / "migrations" / "versions"

    def add(
        self,
        rev: str,
        upgrade: str = "pass",
        downgrade: str = "pass",
        *,
        message: str | None = None,
        down: str | tuple[str, ...] | bool | None = True,
        branch_labels: Any = None,
        depends_on: Any = None,
        extra: str = "",
    ) -> Path:
        """Write a revision file; ``down=True`` chains it to the previous revision."""
        if down is True:
            down = self.revisions[-1] if self.revisions else None
        text = REVISION.format(
            message=message or f"revision {rev}",
            rev=rev,
            down=down if isinstance(down, str) else ", ".join(down or ()),
            down_revision=down,
            branch_labels=branch_labels,
            depends_on=depends_on,
            extra=textwrap.dedent(extra),
            upgrade=textwrap.indent(textwrap.dedent(upgrade).strip() or "pass", "    "),
            downgrade=textwrap.indent(textwrap.dedent(downgrade).strip() or "pass", "    "),
        )
        path = self.versions / f"{rev}_{(message or rev).replace(' ', '_')[:30]}.py"
        path.write_text(text)
        self.revisions.append(rev)
        return path

    def env(self, **extra: str) -> dict[str, str]:
        values = {"DATABASE_URL": self.database.url} if self.database else {}
        values.update(extra)
        return subprocess_env(values)

    def run_module(
        self, module: str, *args: str, timeout: float = 120, **env: str
    ) -> subprocess.CompletedProcess[str]:
        """Run ``python -m MODULE ARGS`` in the project directory, as a user would."""
        return subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self.env(**env),
            check=False,
        )

    def alembic(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """Run ``python -m alembic ARGS`` in the project."""
        return self.run_module("alembic", *args, **env)

    def alembic_safe(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """Run ``python -m alembic_safe ARGS`` in the project."""
        return self.run_module("alembic_safe", *args, **env)


def output(result: subprocess.CompletedProcess[str]) -> str:
    return (result.stdout or "") + (result.stderr or "")


class OfflineOps:
    """Alembic's ``op_fixture`` for PostgreSQL: operations whose SQL is collected, not run.

    ``ops.op`` is an ``Operations`` object on an offline (``as_sql``) context;
    ``ops.statements()`` returns what it wrote, one statement per item, without the
    trailing ``;``.
    """

    def __init__(self) -> None:
        import io

        from alembic.operations import Operations
        from alembic.runtime.migration import MigrationContext

        import alembic_safe  # noqa: F401  (registers the operations)

        self.buffer = io.StringIO()
        self.context = MigrationContext.configure(
            dialect_name="postgresql",
            opts={"as_sql": True, "output_buffer": self.buffer, "literal_binds": True},
        )
        self.op = Operations(self.context)

    def statements(self) -> list[str]:
        chunks = self.buffer.getvalue().split(";\n\n")
        return [chunk.strip() for chunk in chunks if chunk.strip()]


def use_models(project: Project, source: str) -> Path:
    """Write ``models.py`` (a ``metadata`` object) in the project and point env.py at it."""
    models = project.root / "models.py"
    models.write_text(textwrap.dedent(source))
    env = project.root / "migrations" / "env.py"
    text = env.read_text()
    if "from models import metadata" not in text:
        text = text.replace(
            "target_metadata = None", "from models import metadata as target_metadata"
        )
        env.write_text(text)
    return models


def set_setting(project: Project, key: str, value: str) -> None:
    """Set ``key = value`` in the ``[alembic_safe]`` section of the project's alembic.ini."""
    text = project.ini.read_text()
    text = text.replace("[alembic_safe]\n", f"[alembic_safe]\n{key} = {value}\n", 1)
    project.ini.write_text(text)
