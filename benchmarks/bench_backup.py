"""Benchmark the backup step against plain ``pg_dump -Fc``, and ``tables`` scope against full.

Starts a throwaway PostgreSQL server, fills a database with ``--tables`` tables of
``--rows`` rows each (about 130 bytes a row, half of it md5 text that compresses like real
data), then times, in the same run and interleaved so drift hits every contender alike:

* ``pg_dump -Fc`` alone (the baseline: what a careful person runs by hand);
* our backup step, full scope (:func:`alembic_safe.backup.create`: finding pg_dump,
  catalog look-ups, the dump with ``--verbose`` progress, ``pg_restore --list``
  verification, label, rename, fsync, retention);
* our backup step, ``tables`` scope, for a migration that touches one table.

Targets: ours / plain <= 1.05; full / tables >= 5.  Prints medians, sizes and ratios.

    python benchmarks/bench_backup.py [--tables 20] [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, pool

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alembic_safe import backup
from alembic_safe.pg.client import PgTarget, find_tools, libpq_environment
from alembic_safe.pg.progress import format_size
from alembic_safe.postgres import throwaway_postgres


def fill(server: object, name: str, tables: int, rows: int) -> None:
    with server.connect(name, autocommit=True) as conn:  # type: ignore[attr-defined]
        for i in range(1, tables + 1):
            table = f"t{i:02d}"
            conn.execute(
                f"CREATE TABLE {table} (id bigint PRIMARY KEY, n int NOT NULL,"
                " created timestamptz NOT NULL, payload text NOT NULL)"
            )
            conn.execute(
                f"INSERT INTO {table} SELECT g, (g * 7919) % 100000,"
                " timestamptz '2024-01-01' + g * interval '1 second',"
                " md5(g::text) || ' ' || md5((g * 31)::text) || ' order note ' || (g % 977)"
                f" FROM generate_series(1, {rows}) g"
            )
        conn.execute("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
        conn.execute("VACUUM ANALYZE")


def timed(run: Callable[[], Path]) -> tuple[float, int]:
    started = time.perf_counter()
    path = run()
    seconds = time.perf_counter() - started
    size = path.stat().st_size
    path.unlink()
    label = path.with_name(path.name + ".json")
    if label.exists():
        label.unlink()
    return seconds, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=20)
    parser.add_argument("--rows", type=int, default=100_000, help="rows per table")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with throwaway_postgres() as server:
        name = "bench"
        url = server.create_database(name)
        print(f"filling {args.tables} tables x {args.rows} rows ...", flush=True)
        fill(server, name, args.tables, args.rows)
        with server.connect(name) as conn:
            db_size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        print(f"database size: {format_size(int(db_size[0]))}")  # type: ignore[index]

        out = Path(tempfile.mkdtemp(prefix="bench-backup-"))
        engine = create_engine(url, poolclass=pool.NullPool)
        pg_dump = find_tools(server.major)["pg_dump"].path
        target = PgTarget.from_url(url)
        touched = ("t07",)

        def plain() -> Path:
            path = out / "plain.dump"
            with libpq_environment(target) as env:
                subprocess.run([str(pg_dump), "-Fc", "-f", str(path)], env=env, check=True)
            return path

        def ours(scope: str) -> Callable[[], Path]:
            def run() -> Path:
                request = backup.BackupRequest(directory=out / "ours", scope=scope, touched=touched)
                with engine.connect() as connection:
                    result = backup.create(
                        connection, url, request, emit=lambda _line: None, live=False
                    )
                    connection.rollback()
                return result.path

            return run

        contenders: dict[str, Callable[[], Path]] = {
            "plain pg_dump -Fc": plain,
            "ours, full": ours("full"),
            "ours, tables (1 of 20)": ours("tables"),
        }
        times: dict[str, list[float]] = {k: [] for k in contenders}
        sizes: dict[str, int] = {}
        order = list(contenders)
        for round_ in range(args.repeat):
            for key in order[round_ % len(order) :] + order[: round_ % len(order)]:
                seconds, size = timed(contenders[key])
                times[key].append(seconds)
                sizes[key] = size
                print(f"  round {round_ + 1}: {key:<24} {seconds:7.2f} s", flush=True)
        engine.dispose()
        shutil.rmtree(out, ignore_errors=True)

    median = {k: statistics.median(v) for k, v in times.items()}
    print()
    print(f"{'contender':<26}{'median s':>10}{'size':>12}")
    for key in contenders:
        print(f"{key:<26}{median[key]:>10.2f}{format_size(sizes[key]):>12}")
    ratio = median["ours, full"] / median["plain pg_dump -Fc"]
    speedup = median["ours, full"] / median["ours, tables (1 of 20)"]
    print()
    print(f"ours / plain pg_dump -Fc : {ratio:.3f}x   (target <= 1.05)")
    print(f"full / tables scope      : {speedup:.1f}x   (target >= 5)")
    return 0 if ratio <= 1.05 and speedup >= 5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
