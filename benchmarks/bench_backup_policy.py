"""Benchmark the default backup policy on an upgrade that only adds an index.

Starts a throwaway PostgreSQL server, fills ``--tables`` tables of ``--rows`` rows (the
data of ``bench_backup.py``), and runs the same guarded ``alembic upgrade`` of a revision
that adds one index, then its downgrade (no backup), ``--repeat`` times for each policy,
interleaved so drift hits both alike:

* ``backup = always``: a full ``pg_dump`` before the upgrade (the default before
  ``backup = auto``);
* ``backup = auto`` (the default now): nothing destroys or changes rows, so the schema only.

Prints the median wall time of the whole ``alembic upgrade`` and of its backup step (from
the step's closing line), and their ratios.

    python benchmarks/bench_backup_policy.py [--tables 20] [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alembic_safe import commands
from alembic_safe.postgres import throwaway_postgres
from benchmarks.bench_backup import fill

REVISION = '''"""add an index

Revision ID: ix1
Revises: ae1027a6acf
Create Date: 2026-01-01 00:00:00
"""
from alembic import op

import alembic_safe  # noqa: F401

revision = "ix1"
down_revision = "ae1027a6acf"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_t07_n", "t07", ["n"])


def downgrade():
    op.drop_index("ix_t07_n", table_name="t07")
'''
BASE = '''"""the tables

Revision ID: ae1027a6acf
Revises:
Create Date: 2026-01-01 00:00:00
"""
revision = "ae1027a6acf"
down_revision = None
branch_labels = None
depends_on = None
irreversible = "the benchmark's tables are created outside Alembic"


def upgrade():
    pass


def downgrade():
    pass
'''
STEP_SECONDS = re.compile(r"verified, (\d+(?:\.\d+)?) s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=20)
    parser.add_argument("--rows", type=int, default=100_000, help="rows per table")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with throwaway_postgres() as server, tempfile.TemporaryDirectory() as tmp:
        url = server.create_database("bench")
        print(f"filling {args.tables} tables x {args.rows} rows ...", flush=True)
        fill(server, "bench", args.tables, args.rows)
        root = Path(tmp) / "app"
        root.mkdir()
        cwd = os.getcwd()
        os.chdir(root)
        try:
            commands.init("migrations")
        finally:
            os.chdir(cwd)
        (root / "migrations" / "versions" / "ae1027a6acf_base.py").write_text(BASE)
        (root / "migrations" / "versions" / "ix1_index.py").write_text(REVISION)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "XDG_STATE_HOME": str(Path(tmp) / "state"),
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        }

        def alembic(*argv: str) -> tuple[float, str]:
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "alembic", *argv],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            seconds = time.perf_counter() - started
            if done.returncode != 0:
                raise SystemExit(done.stdout + done.stderr)
            return seconds, done.stdout + done.stderr

        wall: dict[str, list[float]] = {"always": [], "auto": []}
        step: dict[str, list[float]] = {"always": [], "auto": []}
        order = list(wall)
        for round_ in range(args.repeat):
            for policy in order[round_ % 2 :] + order[: round_ % 2]:
                seconds, text = alembic("-x", f"backup={policy}", "upgrade", "head")
                found = STEP_SECONDS.search(text)
                wall[policy].append(seconds)
                step[policy].append(float(found.group(1)) if found else 0.0)
                print(
                    f"  round {round_ + 1}: backup = {policy:<6} upgrade {seconds:6.2f} s, "
                    f"backup step {step[policy][-1]:5.2f} s",
                    flush=True,
                )
                alembic("-x", "backup=never", "downgrade", "ae1027a6acf")

    med_wall = {k: statistics.median(v) for k, v in wall.items()}
    med_step = {k: statistics.median(v) for k, v in step.items()}
    print()
    print(f"{'policy':<16}{'upgrade (median)':>18}{'backup step':>14}")
    for policy in order:
        print(f"{'backup = ' + policy:<16}{med_wall[policy]:>16.2f} s{med_step[policy]:>12.2f} s")
    print()
    print(f"upgrade, always / auto     : {med_wall['always'] / med_wall['auto']:.1f}x")
    print(f"backup step, always / auto : {med_step['always'] / max(med_step['auto'], 0.01):.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
