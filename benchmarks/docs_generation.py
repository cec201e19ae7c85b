"""How long impact documents and the SQL export take on long histories.

Writes a project with N linear revisions (an add_column, a concurrent index and an UPDATE
each), then times, in this process:

- baseline: loading the project and capturing every upgrade and downgrade plan offline
  (what ``alembic-safe plan`` does);
- ``doc`` of one revision (what the post-write hook does after ``alembic revision``): its
  page plus the migration log of the whole history;
- ``doc`` of every revision;
- ``export`` of every revision.

Run: ``python benchmarks/docs_generation.py [N ...]`` (default 50 200).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from alembic_safe import commands
from alembic_safe.capture.project import Project
from alembic_safe.docs import export
from alembic_safe.docs.generate import generate
from alembic_safe.record import RecordBook

REVISION = '''"""add column c{n}

Revision ID: r{n:04d}
Revises: {down}
Create Date: 2026-01-01 00:{minute:02d}:{second:02d}
"""
from alembic import op
import sqlalchemy as sa

revision = "r{n:04d}"
down_revision = {down_repr}


def upgrade():
    op.add_column("t", sa.Column("c{n}", sa.Integer))
    with op.get_context().autocommit_block():
        op.create_index("ix_t_c{n}", "t", ["c{n}"], postgresql_concurrently=True)
    op.execute("UPDATE t SET c{n} = 0 WHERE c{n} IS NULL")


def downgrade():
    op.drop_index("ix_t_c{n}", table_name="t")
    op.drop_column("t", "c{n}")
'''


def write_project(root: Path, count: int) -> Path:
    cwd = Path.cwd()
    root.mkdir(parents=True)
    try:
        import os

        os.chdir(root)
        commands.init("migrations")
    finally:
        os.chdir(cwd)
    versions = root / "migrations" / "versions"
    for n in range(1, count + 1):
        down = f"r{n - 1:04d}" if n > 1 else None
        (versions / f"r{n:04d}_add_column_c{n}.py").write_text(
            REVISION.format(
                n=n,
                down=down or "",
                down_repr=repr(down),
                minute=n // 60 % 60,
                second=n % 60,
            )
        )
    return root / "alembic.ini"


def timed(label: str, action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    print(f"  {label:<44} {seconds:8.2f} s")
    return seconds


def run(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ini = write_project(Path(tmp) / "app", count)
        config = commands.config_from(ini)
        print(f"{count} revisions")

        def baseline() -> None:
            project = Project.load(config)
            book = RecordBook.of(project)
            for script in project.all_revisions():
                book.plan(script, "upgrade")
                book.plan(script, "downgrade")

        base = timed("baseline: load + capture every plan", baseline)
        last = f"r{count:04d}"
        one = timed(
            "doc of one revision + log (post-write hook)",
            lambda: generate(Project.load(config), last, out=Path(tmp) / "one"),
        )
        every = timed(
            "doc of every revision + log",
            lambda: generate(Project.load(config), out=Path(tmp) / "all"),
        )
        again = timed(
            "doc of every revision again (nothing changes)",
            lambda: generate(Project.load(config), out=Path(tmp) / "all"),
        )
        sql = timed(
            "export of every revision",
            lambda: export.export(Project.load(config), Path(tmp) / "sql"),
        )
        print(
            f"  ratios to the baseline: hook {one / base:.1f}x, doc {every / base:.1f}x, "
            f"re-run {again / base:.1f}x, export {sql / base:.1f}x; "
            f"per revision: doc {every / count * 1000:.0f} ms, export {sql / count * 1000:.0f} ms"
        )


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [50, 200]
    for count in counts:
        run(count)


if __name__ == "__main__":
    main()
