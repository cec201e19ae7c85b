"""How long the application waits while a migration runs: plain operations vs safe ones.

On a throwaway server, a table of ROWS rows gets (1) a new index and (2) a value in every
row, once the plain way and once with the safe operation.  A writer thread updates
random rows the whole time; we report the longest single write it saw (its worst
stall) and the migration's own duration.

    python -m benchmarks.safe_operations [ROWS]     (from the repository root)
"""

from __future__ import annotations

import random
import statistics
import sys
import threading
import time
from collections.abc import Callable

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, pool

import alembic_safe  # noqa: F401  (registers the operations)
from alembic_safe.config import Settings
from alembic_safe.operations._session import SETTINGS_KEY
from alembic_safe.postgres import PostgresServer, throwaway_postgres

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
SETTINGS = Settings(lock_timeout=30.0, lock_timeout_max=30.0, statement_timeout=600.0)


class Writer:
    """Updates random rows in autocommit mode; records the latency of each update."""

    def __init__(self, server: PostgresServer, database: str) -> None:
        self.connection = server.connect(database, autocommit=True)
        self.latencies: list[float] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.is_set():
            key = random.randint(1, ROWS)
            started = time.perf_counter()
            self.connection.execute("UPDATE items SET n = n + 1 WHERE id = %s", (key,))
            self.latencies.append(time.perf_counter() - started)
            time.sleep(0.005)

    def __enter__(self) -> Writer:
        self.thread.start()
        time.sleep(0.2)
        return self

    def __exit__(self, *_: object) -> None:
        time.sleep(0.2)
        self.stop.set()
        self.thread.join()
        self.connection.close()


def measure(
    server: PostgresServer, database: str, migrate: Callable[[Operations], None]
) -> tuple[float, float, float]:
    """(migration seconds, worst write ms, median write ms) with the writer running."""
    engine = create_engine(server.url(database), poolclass=pool.NullPool)
    try:
        with Writer(server, database) as writer, engine.connect() as connection:
            context = MigrationContext.configure(
                connection=connection,
                opts={"transaction_per_migration": True, SETTINGS_KEY: SETTINGS},
            )
            started = time.perf_counter()
            with context.begin_transaction(_per_migration=True):
                migrate(Operations(context))
            took = time.perf_counter() - started
    finally:
        engine.dispose()
    return took, max(writer.latencies) * 1000, statistics.median(writer.latencies) * 1000


def fresh(server: PostgresServer, name: str) -> str:
    server.create_database(name)
    with server.connect(name, autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE items (id bigserial PRIMARY KEY, n int NOT NULL DEFAULT 0, "
            "email text, locale text)"
        )
        connection.execute(
            f"INSERT INTO items (email) SELECT md5(g::text) FROM generate_series(1, {ROWS}) g"
        )
        connection.execute("VACUUM ANALYZE items")
    return name


CASES: list[tuple[str, str, Callable[[Operations], None]]] = [
    (
        "index",
        "op.create_index",
        lambda op: op.create_index("ix_items_email", "items", ["email"]),
    ),
    (
        "index",
        "op.create_index_concurrently",
        lambda op: op.create_index_concurrently("ix_items_email", "items", ["email"]),
    ),
    (
        "fill",
        "op.execute(UPDATE)",
        lambda op: op.execute("UPDATE items SET locale = 'en' WHERE locale IS NULL"),
    ),
    (
        "fill",
        "op.backfill",
        lambda op: op.backfill("items", set={"locale": "'en'"}, where="locale IS NULL"),
    ),
]


def main() -> None:
    print(f"table of {ROWS:,} rows; a writer updates random rows every 5 ms\n")
    print(
        f"{'change':<6} {'operation':<30} {'migration s':>12} {'worst write ms':>15} {'median ms':>10}"
    )
    results: dict[str, float] = {}
    with throwaway_postgres() as server:
        for number, (change, label, migrate) in enumerate(CASES):
            database = fresh(server, f"bench_{number}")
            took, worst, median = measure(server, database, migrate)
            results[label] = worst
            print(f"{change:<6} {label:<30} {took:>12.2f} {worst:>15.1f} {median:>10.2f}")
    print()
    for plain, safe in (
        ("op.create_index", "op.create_index_concurrently"),
        ("op.execute(UPDATE)", "op.backfill"),
    ):
        print(f"worst write stall, {safe} / {plain}: {results[safe] / results[plain]:.3f}")


if __name__ == "__main__":
    main()
