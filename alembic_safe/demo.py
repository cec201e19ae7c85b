"""``alembic-safe demo``: a sample project, end to end, on a throwaway PostgreSQL server.

It runs the real ``alembic`` command (in a subprocess, exactly as a user types it) against
a private server and shows what each guard does: the offline SQL script, the refusal of a
revision without a downgrade, the refusal of an unconfirmed destructive step, a failed
precondition, a lock timeout that is retried until the blocker leaves, a downgrade, and
the history table.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

from alembic_safe import commands
from alembic_safe.postgres import PostgresServer, throwaway_postgres

Out = Callable[[str], None]

_REVISION = '''\
"""{message}

Purpose: {message}
Ticket: DEMO-{number}
Author: alembic-safe demo
Risks: {risks}

Revision ID: {rev}
Revises: {down}
Create Date: 2026-01-01 00:00:00
"""
from alembic import op
import sqlalchemy as sa

import alembic_safe  # noqa: F401

revision = {rev!r}
down_revision = {down_revision!r}
branch_labels = None
depends_on = None


def preconditions():
{preconditions}


def upgrade():
{upgrade}


def downgrade():
{downgrade}


def verify():
{verify}
'''


class _Demo:
    def __init__(self, root: Path, server: PostgresServer, out: Out) -> None:
        self.root = root
        self.server = server
        self.out = out
        self.url = server.create_database("demo_app")
        self.versions = root / "migrations" / "versions"
        self.previous: str | None = None

    def section(self, title: str) -> None:
        self.out("")
        self.out(f"== {title}")

    def revision(
        self,
        rev: str,
        message: str,
        upgrade: str,
        downgrade: str,
        *,
        preconditions: str = "pass",
        verify: str = "pass",
        risks: str = "low",
    ) -> None:
        text = _REVISION.format(
            message=message,
            number=rev,
            risks=risks,
            rev=rev,
            down=self.previous or "",
            down_revision=self.previous,
            preconditions=_body(preconditions),
            upgrade=_body(upgrade),
            downgrade=_body(downgrade),
            verify=_body(verify),
        )
        (self.versions / f"{rev}_{message.replace(' ', '_')}.py").write_text(text)
        self.previous = rev
        self.out(f"   wrote migrations/versions/{rev}_{message.replace(' ', '_')}.py")

    def run(self, *args: str, show: int = 60) -> int:
        """Run a command in the project and show its output (alembic's own log lines trimmed)."""
        self.out(f"$ {' '.join(args)}")
        program = (
            [sys.executable, "-m", "alembic"]
            if args[0] == "alembic"
            else [
                sys.executable,
                "-m",
                "alembic_safe",
            ]
        )
        env = dict(os.environ, DATABASE_URL=self.url)  # the password travels in the environment
        result = subprocess.run(
            [*program, *args[1:]],
            cwd=self.root,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        # alembic prints FAILED: on stdout and logs the same text on stderr; show it once
        shown = result.stdout
        if result.returncode != 0 and "FAILED" not in result.stdout:
            shown += result.stderr
        lines = [line for line in shown.splitlines() if line.strip()]
        for line in lines[:show]:
            self.out(f"   {line}")
        if len(lines) > show:
            self.out(f"   ... ({len(lines) - show} more lines)")
        self.out(f"   (exit code {result.returncode})")
        return result.returncode

    def sql(self, statement: str) -> list[tuple[object, ...]]:
        with self.server.connect("demo_app", autocommit=True) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def version(self) -> str:
        if not self.sql("SELECT to_regclass('alembic_version')")[0][0]:
            return "base (no alembic_version table)"
        rows = self.sql("SELECT version_num FROM alembic_version")
        return ", ".join(str(r[0]) for r in rows) or "base"


def _body(source: str) -> str:
    return textwrap.indent(textwrap.dedent(source).strip() or "pass", "    ")


def run_demo(*, keep: bool = False, out: Out = print) -> int:
    """Run the demo; return 0 when every guard behaved as shown, 1 otherwise."""
    started = time.perf_counter()
    with throwaway_postgres() as server:
        out(
            f"== Throwaway PostgreSQL {server.major} ready in {server.started_in:.2f} s "
            f"(127.0.0.1:{server.port}, {server.origin})"
        )
        root = Path(tempfile.mkdtemp(prefix="alembic-safe-demo-"))
        try:
            ok = _scenario(_Demo(root, server, out))
        finally:
            if keep:
                out(f"\nThe sample project is kept in {root}")
            else:
                shutil.rmtree(root, ignore_errors=True)
    out("")
    out(
        f"== Demo {'finished' if ok else 'FAILED'} in {time.perf_counter() - started:.1f} s; "
        "the throwaway server is stopped and removed."
    )
    return 0 if ok else 1


def _scenario(demo: _Demo) -> bool:
    expectations: list[bool] = []

    def expect(condition: bool, what: str) -> None:
        expectations.append(condition)
        demo.out(f"   -> {'ok' if condition else 'UNEXPECTED'}: {what}")

    demo.section("1. A project from the template pack (alembic-safe init)")
    for path in commands.init(demo.root / "migrations", config_file=demo.root / "alembic.ini"):
        demo.out(f"   wrote {path.relative_to(demo.root)}")
    ini = demo.root / "alembic.ini"  # the demo's backups stay in its own folder, removed with it
    ini.write_text(
        ini.read_text().replace(
            "[alembic_safe]\n", "[alembic_safe]\nbackup_dir = %(here)s/backups\n", 1
        )
    )

    demo.section("2. Four revisions, the way a team writes them")
    demo.revision(
        "0001",
        "create accounts",
        """
        accounts = op.create_table(
            "accounts",
            sa.Column("id", sa.BigInteger, primary_key=True),
            sa.Column("name", sa.String(100), nullable=False),
            sa.Column("legacy_code", sa.String(20)),
        )
        op.bulk_insert(accounts, [{"name": f"user {i}", "legacy_code": f"L{i}"} for i in range(1, 6)])
        """,
        'op.drop_table("accounts")',
    )
    demo.revision(
        "0002",
        "add email to accounts",
        'op.add_column("accounts", sa.Column("email", sa.Text()))',
        'op.drop_column("accounts", "email")',
        preconditions='op.require_sql("SELECT count(*) FROM accounts", equals=5, message="the five seed accounts exist")',
        verify='op.require_column("accounts", "email", nullable=True)',
    )
    demo.revision(
        "0003",
        "drop legacy code",
        'op.drop_column("accounts", "legacy_code")',
        'op.add_column("accounts", sa.Column("legacy_code", sa.String(20)))',
        risks="drops accounts.legacy_code and its data",
    )
    demo.revision(
        "0004",
        "add active flag",
        'op.add_column("accounts", sa.Column("active", sa.Boolean(), server_default=sa.true()))',
        "pass",
    )

    demo.section("3. Offline: `alembic upgrade --sql` prints the reviewed SQL script")
    demo.run("alembic", "upgrade", "0001:0002", "--sql", show=40)

    demo.section("4. Guard: a revision without a real downgrade is refused, nothing applied")
    code = demo.run("alembic", "upgrade", "head")
    expect(
        code != 0 and demo.version().startswith("base"), f"refused; database at {demo.version()}"
    )

    demo.out("   (writing the missing downgrade of 0004)")
    path = next(demo.versions.glob("0004_*.py"))
    path.write_text(
        path.read_text().replace(
            "def downgrade():\n    pass",
            'def downgrade():\n    op.drop_column("accounts", "active")',
        )
    )

    demo.section("5. Guard: a destructive step needs a confirmation, nothing applied without it")
    code = demo.run("alembic", "upgrade", "head")
    expect(
        code != 0 and demo.version().startswith("base"), f"refused; database at {demo.version()}"
    )

    demo.section("6. Confirmed: a verified backup, then preconditions, upgrade, verify, history")
    code = demo.run("alembic", "-x", "confirm=0003", "upgrade", "head")
    expect(code == 0 and demo.version() == "0004", f"applied; database at {demo.version()}")

    demo.section("7. Guard: a failed precondition rolls the revision back")
    demo.revision(
        "0005",
        "add phone to accounts",
        'op.add_column("accounts", sa.Column("phone", sa.String(20)))',
        'op.drop_column("accounts", "phone")',
    )
    demo.out('   (someone added "accounts"."phone" by hand on this server)')
    demo.sql("ALTER TABLE accounts ADD COLUMN phone varchar(20)")
    code = demo.run("alembic", "upgrade", "head")
    expect(code != 0 and demo.version() == "0004", f"rolled back; database at {demo.version()}")
    demo.sql("ALTER TABLE accounts DROP COLUMN phone")
    demo.out("   (the hand-made column is removed again)")

    demo.section("8. Guard: a lock held by another session times out, is retried, then succeeds")
    release = threading.Event()

    def hold_lock() -> None:
        with demo.server.connect("demo_app") as conn:
            conn.execute("SELECT count(*) FROM accounts")  # ACCESS SHARE until commit
            release.wait(timeout=30)
            time.sleep(1.5)
            conn.commit()

    holder = threading.Thread(target=hold_lock, daemon=True)
    holder.start()
    time.sleep(0.3)
    demo.out("   (a session opened a transaction that reads accounts; it commits in 1.5 s)")
    release.set()
    code = demo.run(
        "alembic",
        "-x",
        "lock_timeout=300ms",
        "-x",
        "lock_retries=6",
        "-x",
        "lock_retry_delay=300ms",
        "upgrade",
        "head",
    )
    holder.join(timeout=30)
    expect(code == 0 and demo.version() == "0005", f"applied after retries; at {demo.version()}")

    demo.section("9. Downgrade: the reverse runs through the same guard")
    code = demo.run("alembic", "-x", "confirm=0005", "downgrade", "-1")
    expect(code == 0 and demo.version() == "0004", f"downgraded; database at {demo.version()}")

    demo.section("10. The migration log")
    demo.run("alembic-safe", "history")
    rows = demo.sql("SELECT outcome, count(*) FROM alembic_safe_history GROUP BY 1 ORDER BY 1")
    demo.out(f"   history rows by outcome: {dict((str(k), int(str(v))) for k, v in rows)}")

    demo.section("11. The linter: what each revision risks, with the safe alternative")
    code = demo.run("alembic-safe", "check", show=30)
    expect(code == 1, "exit 1: findings at error level (the confirmed drop_column among them)")

    demo.section("12. Impact documents and the migration log (docs/migrations)")
    demo.run("alembic-safe", "doc", show=12)
    pages = sorted((demo.root / "docs" / "migrations").glob("*.md"))
    expect(len(pages) == 6, f"{len(pages)} pages written in docs/migrations (5 revisions + log)")
    backups = sorted((demo.root / "backups").glob("*.dump"))
    private = all(b.stat().st_mode & 0o777 == 0o600 for b in backups)
    expect(len(backups) == 4 and private, f"{len(backups)} verified backups in backups/, mode 0600")
    return all(expectations)
