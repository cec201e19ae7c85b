"""Rehearsal speed: a generated history rehearsed ``--ephemeral``, and the cost of tracing.

1. Rehearsal.  A generated history of N revisions (default 200: tables, columns with and
   without defaults, indexes, check constraints, type changes; every downgrade correct) is
   rehearsed with ``alembic-safe rehearse --ephemeral --format json`` in a subprocess: each
   revision seeded, up, verified, down, compared, up again.  Printed: its wall time
   (target: under 60 s for 200 revisions on a 2-core machine) and, as a ratio, against
   ``alembic upgrade head`` of the same history on an empty database, timed in the same
   run (the cost of the stairway over one plain upgrade).

2. Tracing overhead.  The same N upgrades, one revision per ``env.py`` run as the
   rehearsal runs them, on two empty databases of one throwaway server: untraced on one,
   traced (statements, lines, ``pg_locks``, relfilenodes) on the other, alternating which
   goes first.  Printed: the ratio of the traced total to the untraced total (target:
   under 1.3x).

The machine's load average is printed with the figures: on a shared machine the wall time
follows it, the ratios much less.

Usage: python benchmarks/rehearse.py [--revisions 200] [--env safe|stock] [--runs 1]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402

from alembic_safe import commands  # noqa: E402
from alembic_safe.capture.project import Project as AlembicProject  # noqa: E402
from alembic_safe.postgres import throwaway_postgres  # noqa: E402
from alembic_safe.rehearse.runner import EnvRunner  # noqa: E402
from alembic_safe.rehearse.scratch import connect  # noqa: E402
from alembic_safe.rehearse.trace import FILENODES, Tracer  # noqa: E402
from tests.support import Project, subprocess_env  # noqa: E402


def history(project: Project, revisions: int) -> int:
    """Write ``revisions`` revisions; return the number of tables."""
    tables = max(1, revisions // 10)
    for i in range(revisions):
        table = f"t{i % tables}"
        kind = i % 6 if i >= tables else -1
        if kind == -1:
            up = f"""
            op.create_table(
                "{table}",
                sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("name", sa.String(50)),
                sa.Column("amount", sa.Integer),
            )"""
            down = f'op.drop_table("{table}")'
        elif kind == 0:
            up = f'op.add_column("{table}", sa.Column("c{i}", sa.Integer))'
            down = f'op.drop_column("{table}", "c{i}")'
        elif kind == 1:
            up = f'op.create_index("ix_{i}", "{table}", ["name"])'
            down = f'op.drop_index("ix_{i}", table_name="{table}")'
        elif kind == 2:
            up = f'op.add_column("{table}", sa.Column("d{i}", sa.Text, server_default="x"))'
            down = f'op.drop_column("{table}", "d{i}")'
        elif kind == 3:
            up = f'op.create_check_constraint("ck_{i}", "{table}", "amount >= 0")'
            down = f'op.drop_constraint("ck_{i}", "{table}", type_="check")'
        elif kind == 4:
            up = f'op.add_column("{table}", sa.Column("e{i}", sa.String(20)))'
            down = f'op.drop_column("{table}", "e{i}")'
        else:
            up = f"""
            op.add_column("{table}", sa.Column("f{i}", sa.String(20)))
            op.alter_column("{table}", "f{i}", type_=sa.String(40), existing_type=sa.String(20))"""
            down = f'op.drop_column("{table}", "f{i}")'
        project.add(f"r{i:04d}", textwrap.dedent(up), textwrap.dedent(down))
    return tables


def timed(
    args: list[str], cwd: Path, env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, done


def rehearsal(project: Project, env: dict[str, str]) -> tuple[float, dict[str, object]]:
    results = Path(tempfile.mkdtemp(prefix="rehearse-results-"))
    seconds, done = timed(
        [sys.executable, "-m", "alembic_safe", "rehearse", "--ephemeral", "--format", "json",
         "--results", str(results)],
        project.root,
        env,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"rehearse failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, json.loads(done.stdout)


def plain_upgrade(project: Project, url: str, stock: bool) -> float:
    env = subprocess_env({"DATABASE_URL": url})
    args = [sys.executable, "-m", "alembic"]
    if stock:
        ini = project.ini.read_text()
        project.ini.write_text(
            ini.replace("driver://user:pass@localhost/dbname", url.replace("%", "%%"))
        )
    else:
        args += ["-x", "backup=never"]
    seconds, done = timed([*args, "upgrade", "head"], project.root, env)
    if done.returncode != 0:
        raise SystemExit(f"alembic upgrade head failed:\n{done.stderr[-3000:]}")
    return seconds


def tracing_overhead(project: Project, plain_url: str, traced_url: str) -> tuple[float, float]:
    """Total seconds of the N upgrades untraced and traced (one revision per env.py run)."""
    loaded = AlembicProject.load(commands.config_from(project.ini))
    plain = EnvRunner(loaded, plain_url)
    traced = EnvRunner(loaded, traced_url)
    engine = create_engine(traced_url)
    tracer = Tracer(functools.partial(connect, traced_url))
    totals = {"plain": 0.0, "traced": 0.0}

    def run_plain(revision: str) -> None:
        started = time.perf_counter()
        plain.upgrade(revision)
        totals["plain"] += time.perf_counter() - started

    def run_traced(revision: str, path: str) -> None:
        started = time.perf_counter()
        with engine.connect() as conn:
            relations = [tuple(r) for r in conn.execute(text(FILENODES))]
        tracer.start(path, relations)
        try:
            traced.upgrade(revision)
        finally:
            tracer.stop()
        totals["traced"] += time.perf_counter() - started

    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        for number, script in enumerate(loaded.all_revisions()):
            if number % 2:
                run_plain(script.revision)
                run_traced(script.revision, str(script.path))
            else:
                run_traced(script.revision, str(script.path))
                run_plain(script.revision)
    tracer.close()
    engine.dispose()
    return totals["plain"], totals["traced"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revisions", type=int, default=200)
    parser.add_argument("--env", choices=("safe", "stock"), default="safe")
    parser.add_argument("--runs", type=int, default=1, help="rehearsals to time (best is kept)")
    args = parser.parse_args()
    stock = args.env == "stock"
    workdir = Path(tempfile.mkdtemp(prefix="rehearse-bench-"))
    project = Project.create(workdir / "app", stock=stock)
    tables = history(project, args.revisions)
    env = subprocess_env()
    print(f"history: {args.revisions} revisions on {tables} tables, {args.env} env.py")

    load_before = os.getloadavg()[0]
    timings = []
    for _ in range(max(1, args.runs)):
        seconds, found = rehearsal(project, env)
        timings.append(seconds)
    seconds = min(timings)
    revisions = found["revisions"]
    assert isinstance(revisions, list)
    passed = sum(1 for r in revisions if r["passed"])
    with throwaway_postgres() as server:
        upgrade = plain_upgrade(project, server.create_database("plain"), stock)
        plain_url = server.create_database("untraced")
        traced_url = server.create_database("traced")
        os.environ.pop("DATABASE_URL", None)
        untraced_s, traced_s = tracing_overhead(project, plain_url, traced_url)

    print(
        f"rehearse --ephemeral: {seconds:.1f} s for {passed}/{len(revisions)} revisions "
        f"passed (target: under 60 s for 200); runs: " + ", ".join(f"{t:.1f} s" for t in timings)
    )
    print(
        f"  = {seconds / upgrade:.1f}x `alembic upgrade head` of the same history "
        f"({upgrade:.1f} s), same run"
    )
    print(
        f"tracing: {args.revisions} upgrades traced / untraced = {traced_s / untraced_s:.2f}x "
        f"({traced_s:.1f} s / {untraced_s:.1f} s; target: under 1.3x)"
    )
    print(f"load average (1 min) before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
