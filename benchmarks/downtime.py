"""How long a migration stops the application: stock Alembic against alembic-safe, side by side.

On its own throwaway server, a table ``items`` of ``--rows`` rows (default 1,000,000) and a
table ``accounts`` it can refer to are loaded into a template database.  For each pattern
(a change to the SQLAlchemy model) and each mode, a fresh copy of that database gets a paced
load (``--writers`` connections doing single-row UPDATEs and INSERTs, ``--readers``
connections doing SELECTs by id, one statement every ``--interval`` seconds each; every
statement's start and latency is recorded), then the migration runs while the load goes on:

* **plain**: a project made by ``alembic init``, the model changed, stock
  ``alembic revision --autogenerate``, stock ``alembic upgrade head``;
* **ours**: a project made by ``alembic-safe init``, the same model change,
  ``alembic revision --autogenerate`` through the template's ``env.py``, and
  ``alembic upgrade head`` through the guard.

No SQL is written by hand: the revision is whatever autogenerate writes for the model change.
Per pattern and mode it reports the migration's wall time, the longest stretch with no
completed write and with no completed read while ``alembic upgrade`` ran, the maximum and
99th percentile latency of the statements started meanwhile, and the throughput during the
upgrade against the throughput before it: one JSON line per run, then a table and the ratios
plain / ours.

``--blocker S``: another session opens a transaction, reads ``items`` (ACCESS SHARE) and keeps
the transaction open for S seconds, from the moment ``alembic upgrade`` starts; ours then runs
with ``-x backup=skip``, because the backup of a large table takes seconds and would let the
blocker end before the first DDL statement.

    python -m benchmarks.downtime [--rows N] [--patterns add_index,set_not_null] [--blocker 6]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg

from alembic_safe.postgres import PostgresServer, throwaway_postgres

REPO = Path(__file__).resolve().parents[1]
LOCK_WAIT_LOGGED_MS = 20
ACCOUNTS = 1000
TEMPLATE = "downtime_template"

BASE_MODEL = """\
import sqlalchemy as sa

metadata = sa.MetaData()

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
)

items = sa.Table(
    "items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("account_id", sa.Integer, nullable=False),
    sa.Column("n", sa.Integer, nullable=False, server_default="0"),
    sa.Column("email", sa.Text),
    sa.Column("locale", sa.Text),
    sa.Column("note", sa.Text),
)
"""


@dataclass(frozen=True)
class Pattern:
    name: str
    title: str
    replace: tuple[tuple[str, str], ...]
    """Edits of :data:`BASE_MODEL` (old text, new text) that make the model change."""
    applied: str
    """A query that is true once the change is in the database."""

    def model(self) -> str:
        text = BASE_MODEL
        for old, new in self.replace:
            assert old in text, old
            text = text.replace(old, new, 1)
        return text


PATTERNS = (
    Pattern(
        "add_index",
        "add index",
        (('sa.Column("email", sa.Text),', 'sa.Column("email", sa.Text, index=True),'),),
        "SELECT to_regclass('ix_items_email') IS NOT NULL",
    ),
    Pattern(
        "add_foreign_key",
        "add foreign key",
        (
            (
                'sa.Column("account_id", sa.Integer, nullable=False),',
                'sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),',
            ),
        ),
        "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'items'::regclass "
        "AND contype = 'f' AND convalidated)",
    ),
    Pattern(
        "set_not_null",
        "set NOT NULL",
        (('sa.Column("locale", sa.Text),', 'sa.Column("locale", sa.Text, nullable=False),'),),
        "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass "
        "AND attname = 'locale'",
    ),
    Pattern(
        "add_unique",
        "add unique",
        (('sa.Column("email", sa.Text),', 'sa.Column("email", sa.Text, unique=True),'),),
        "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'items'::regclass "
        "AND contype = 'u')",
    ),
    Pattern(
        "volatile_default",
        "add column, volatile default",
        (
            (
                'sa.Column("note", sa.Text),',
                'sa.Column("note", sa.Text),\n    sa.Column("token", sa.Uuid, nullable=False, '
                'server_default=sa.text("gen_random_uuid()")),',
            ),
        ),
        "SELECT attnotnull AND NOT EXISTS (SELECT 1 FROM items WHERE token IS NULL) "
        "FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'token'",
    ),
    Pattern(
        "int_to_bigint",
        "int -> bigint",
        (
            (
                'sa.Column("n", sa.Integer, nullable=False, server_default="0"),',
                'sa.Column("n", sa.BigInteger, nullable=False, server_default="0"),',
            ),
        ),
        "SELECT format_type(atttypid, atttypmod) = 'bigint' FROM pg_attribute "
        "WHERE attrelid = 'items'::regclass AND attname = 'n' AND NOT attisdropped",
    ),
    Pattern(
        "add_check",
        "add named CHECK",
        (
            (
                'sa.Column("note", sa.Text),\n)',
                'sa.Column("note", sa.Text),\n    sa.CheckConstraint("n >= 0", '
                'name="ck_items_n_nonnegative"),\n)',
            ),
        ),
        "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'items'::regclass "
        "AND conname = 'ck_items_n_nonnegative' AND convalidated)",
    ),
)
MODES = ("plain", "ours")


# --------------------------------------------------------------------------- the database


def prepare_template(server: PostgresServer, rows: int) -> None:
    """The template database: the base model's tables, created from the model, and the rows."""
    server.create_database(TEMPLATE)
    namespace: dict[str, object] = {}
    exec(compile(BASE_MODEL, "models.py", "exec"), namespace)  # the base model, as written
    import sqlalchemy as sa

    engine = sa.create_engine(server.url(TEMPLATE), poolclass=sa.pool.NullPool)
    try:
        metadata = namespace["metadata"]
        assert isinstance(metadata, sa.MetaData)
        metadata.create_all(engine)
    finally:
        engine.dispose()
    with server.connect(TEMPLATE, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO accounts (name) SELECT 'account ' || g FROM generate_series(1, %s) g",
            (ACCOUNTS,),
        )
        conn.execute(
            "INSERT INTO items (account_id, n, email, locale, note) "
            f"SELECT 1 + g %% {ACCOUNTS}, 0, md5(g::text), 'en', repeat('x', 40) "
            "FROM generate_series(1, %s) g",
            (rows,),
        )
        conn.execute("VACUUM ANALYZE")


def fresh_copy(server: PostgresServer, name: str) -> None:
    server.drop_database(name)
    server.create_database(name, template=TEMPLATE)


# --------------------------------------------------------------------------- the load


@dataclass
class Sample:
    kind: str  # "write" or "read"
    start: float
    end: float


class Load:
    """Writers (UPDATE + INSERT of one row) and readers (SELECT by id), paced per connection."""

    def __init__(
        self,
        server: PostgresServer,
        database: str,
        *,
        writers: int,
        readers: int,
        interval: float,
        rows: int,
    ) -> None:
        self.server = server
        self.database = database
        self.interval = interval
        self.rows = rows
        self.samples: list[Sample] = []
        self.errors: list[str] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._run, args=("write",), daemon=True) for _ in range(writers)
        ] + [
            threading.Thread(target=self._run, args=("read",), daemon=True) for _ in range(readers)
        ]

    def _run(self, kind: str) -> None:
        rng = random.Random()
        # prepare_threshold=None: no server-side prepared statements, which fail for good
        # after any type change of a column they return ("cached plan must not change
        # result type"), whichever way the type is changed
        with self.server.connect(
            self.database, autocommit=True, application_name=f"load-{kind}", prepare_threshold=None
        ) as conn:
            next_at = time.monotonic()
            turn = 0
            while not self.stop.is_set():
                key = rng.randint(1, self.rows)
                start = time.monotonic()
                try:
                    if kind == "read":
                        conn.execute(
                            "SELECT id, n, email FROM items WHERE id = %s", (key,)
                        ).fetchall()
                    elif turn % 2 == 0:
                        conn.execute("UPDATE items SET n = n + 1 WHERE id = %s", (key,))
                    else:
                        conn.execute(
                            "INSERT INTO items (account_id, n, email, locale, note) "
                            "VALUES (%s, 0, gen_random_uuid()::text, 'en', 'load')",
                            (1 + key % ACCOUNTS,),
                        )
                except psycopg.Error as exc:  # a failed statement is no completed statement
                    with self.lock:
                        self.errors.append(f"{kind}: {str(exc).splitlines()[0]}")
                    time.sleep(self.interval)
                    continue
                end = time.monotonic()
                turn += 1
                with self.lock:
                    self.samples.append(Sample(kind, start, end))
                next_at = max(next_at + self.interval, end)
                time.sleep(max(0.0, next_at - time.monotonic()))

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


class Blocker:
    """A session that reads ``items`` in a transaction and keeps it open for ``seconds``."""

    def __init__(self, server: PostgresServer, database: str, seconds: float) -> None:
        self.conn = server.connect(database, application_name="blocker")
        self.seconds = seconds
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self.conn.execute("SELECT count(*) FROM items WHERE id = 1").fetchall()
        time.sleep(self.seconds)
        self.conn.commit()

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        self.thread.join(timeout=self.seconds + 30)
        self.conn.close()


# --------------------------------------------------------------------------- the projects


def child_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["DATABASE_URL"] = url  # the password stays out of files and command lines
    return env


def run(args: Sequence[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def make_project(root: Path, mode: str, model: str, env: dict[str, str]) -> None:
    root.mkdir(parents=True)
    init = (
        ["-m", "alembic", "init", "migrations"]
        if mode == "plain"
        else ["-m", "alembic_safe", "init", "migrations"]
    )
    done = run(init, root, env)
    if done.returncode != 0:
        raise RuntimeError(f"{mode} init failed:\n{done.stdout}{done.stderr}")
    (root / "models.py").write_text(model)
    env_py = root / "migrations" / "env.py"
    text = env_py.read_text()
    text = text.replace("target_metadata = None", "from models import metadata as target_metadata")
    if mode == "plain":  # the stock env.py reads sqlalchemy.url only
        text = text.replace(
            "config = context.config\n",
            'config = context.config\nimport os\nconfig.set_main_option("sqlalchemy.url", '
            'os.environ["DATABASE_URL"].replace("%", "%%"))\n',
            1,
        )
    env_py.write_text(text)


# --------------------------------------------------------------------------- the figures


def longest_gap(ends: Sequence[float], start: float, stop: float) -> float:
    """Longest part of [start, stop] with no completion in ``ends`` (sorted)."""
    points = [start, *(e for e in ends if start < e < stop), stop]
    return max(b - a for a, b in itertools.pairwise(points))


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))
    return ordered[index]


@dataclass
class Result:
    pattern: str
    mode: str
    rows: int
    blocker_s: float
    applied: bool
    upgrade_rc: int
    autogenerate_s: float
    wall_s: float
    write_gap_ms: float
    read_gap_ms: float
    write_max_ms: float
    write_p99_ms: float
    read_max_ms: float
    read_p99_ms: float
    throughput_ratio: float
    """Statements completed per second during the upgrade / before it."""
    load_errors: int
    revision_ops: list[str] = field(default_factory=list)
    load_lock_waits: int = 0
    """Lock waits of the load's statements longer than ``deadlock_timeout`` (server log)."""
    load_lock_wait_max_ms: float = 0.0
    """The longest of them: a stall with none is the machine's, not a lock's."""


SERVER_SETTINGS = {
    # every lock wait longer than deadlock_timeout is logged, with its length once acquired
    "log_lock_waits": "on",
    "deadlock_timeout": f"{LOCK_WAIT_LOGGED_MS}ms",
    "log_line_prefix": "%m [%p] %a: ",
}
ACQUIRED = re.compile(r"\] load-(?:read|write): LOG:  process \d+ acquired .* after ([\d.]+) ms")


def load_lock_waits(server_log: Path, offset: int) -> list[float]:
    """The lock waits (ms) of the load's sessions logged after ``offset`` of the server log."""
    with server_log.open("rb") as handle:
        handle.seek(offset)
        text = handle.read().decode(errors="replace")
    return [float(m.group(1)) for m in ACQUIRED.finditer(text)]


def figures(
    samples: Sequence[Sample], before: tuple[float, float], during: tuple[float, float]
) -> dict[str, float]:
    start, stop = during
    out: dict[str, float] = {}
    for kind in ("write", "read"):
        ends = sorted(s.end for s in samples if s.kind == kind)
        latencies = [s.end - s.start for s in samples if s.kind == kind and start <= s.start < stop]
        # a statement started before the upgrade and still waiting counts too
        latencies += [
            s.end - s.start for s in samples if s.kind == kind and s.start < start < s.end
        ]
        out[f"{kind}_gap_ms"] = longest_gap(ends, start, stop) * 1000
        out[f"{kind}_max_ms"] = max(latencies, default=math.nan) * 1000
        out[f"{kind}_p99_ms"] = percentile(latencies, 0.99) * 1000

    def rate(a: float, b: float) -> float:
        return sum(1 for s in samples if a <= s.end < b) / max(b - a, 1e-9)

    out["throughput_ratio"] = rate(*during) / max(rate(*before), 1e-9)
    return out


def revision_ops(root: Path) -> list[str]:
    """The op.* calls of the generated revision's upgrade() (what autogenerate wrote)."""
    files = list((root / "migrations" / "versions").glob("*.py"))
    if not files:
        return []
    text = files[0].read_text()
    body = text.split("def upgrade()", 1)[1].split("\ndef ", 1)[0]
    calls = []
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith("op."):
            calls.append(stripped.split("(", 1)[0])
    return calls


def server_log(server: PostgresServer) -> Path:
    """The throwaway server's log file (beside its socket)."""
    assert server.socket_dir is not None
    return Path(server.socket_dir) / "server.log"


def measure(
    server: PostgresServer,
    pattern: Pattern,
    mode: str,
    options: argparse.Namespace,
    workdir: Path,
    repeat: int = 1,
) -> Result:
    database = f"run_{pattern.name}_{mode}_{repeat}"
    fresh_copy(server, database)
    url = server.url(database)
    env = child_env(url)
    root = workdir / f"{pattern.name}_{mode}_{repeat}"
    make_project(root, mode, pattern.model(), env)
    upgrade = ["-m", "alembic"]
    if mode == "ours" and options.blocker:
        upgrade += ["-x", "backup=skip"]
    upgrade += ["upgrade", "head"]
    with Load(
        server,
        database,
        writers=options.writers,
        readers=options.readers,
        interval=options.interval,
        rows=options.rows,
    ) as load:
        time.sleep(options.warmup)
        before = (time.monotonic() - options.warmup + 0.5, time.monotonic())
        started = time.monotonic()
        made = run(["-m", "alembic", "revision", "--autogenerate", "-m", pattern.name], root, env)
        autogenerate_s = time.monotonic() - started
        if made.returncode != 0:
            raise RuntimeError(f"{mode} autogenerate failed:\n{made.stdout}{made.stderr}")
        blocker = Blocker(server, database, options.blocker) if options.blocker else None
        if blocker is not None:
            blocker.start()
        log_offset = server_log(server).stat().st_size
        start = time.monotonic()
        done = run(upgrade, root, env)
        stop = time.monotonic()
        time.sleep(options.cooldown)
    waits = load_lock_waits(server_log(server), log_offset)
    if blocker is not None:
        blocker.close()
    if done.returncode != 0:
        print(f"  {mode} upgrade failed (exit {done.returncode}):", file=sys.stderr)
        print(textwrap.indent((done.stdout + done.stderr)[-3000:], "    "), file=sys.stderr)
    if options.verbose:
        print(textwrap.indent(done.stdout + done.stderr, "    | "), file=sys.stderr)
    with server.connect(database, autocommit=True) as conn:
        try:
            row = conn.execute(pattern.applied).fetchone()
            applied = bool(row and row[0])
        except psycopg.errors.UndefinedColumn:  # the migration failed before adding it
            applied = False
    result = Result(
        pattern=pattern.name,
        mode=mode,
        rows=options.rows,
        blocker_s=options.blocker,
        applied=applied,
        upgrade_rc=done.returncode,
        autogenerate_s=round(autogenerate_s, 3),
        wall_s=round(stop - start, 3),
        load_errors=len(load.errors),
        revision_ops=revision_ops(root),
        load_lock_waits=len(waits),
        load_lock_wait_max_ms=round(max(waits, default=0.0), 1),
        **{k: round(v, 1) for k, v in figures(load.samples, before, (start, stop)).items()},  # type: ignore[arg-type]
    )
    server.drop_database(database)
    return result


# --------------------------------------------------------------------------- the report


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:,.0f}"


def table(results: Sequence[Result]) -> str:
    header = (
        "| pattern | mode | applied (exit) | wall s | write stall ms | read stall ms "
        "| write max / p99 ms | read max / p99 ms | throughput during/before | failed statements "
        f"| load lock waits > {LOCK_WAIT_LOGGED_MS} ms (longest) |"
    )
    lines = [header, "|" + "---|" * 11]
    for r in results:
        title = next(p.title for p in PATTERNS if p.name == r.pattern)
        applied = "yes" if r.applied else "**no**"
        lines.append(
            f"| {title} | {r.mode} | {applied} ({r.upgrade_rc}) | {r.wall_s:.1f} "
            f"| {_ms(r.write_gap_ms)} | {_ms(r.read_gap_ms)} "
            f"| {_ms(r.write_max_ms)} / {_ms(r.write_p99_ms)} "
            f"| {_ms(r.read_max_ms)} / {_ms(r.read_p99_ms)} | {r.throughput_ratio:.2f} "
            f"| {r.load_errors} | {r.load_lock_waits} ({_ms(r.load_lock_wait_max_ms)} ms) |"
        )
    return "\n".join(lines)


def ratios(results: Sequence[Result]) -> str:
    """Per pattern: median stalls of each mode over the repeated runs, ours' worst, the ratios."""
    lines = [
        "| pattern | plain write / read stall ms (median) | ours write / read stall ms (median) "
        "| ours worst write / read ms | ours: longest lock wait of the load ms | runs "
        "| write stall plain/ours | read stall plain/ours |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def stalls(pattern: str, mode: str) -> list[tuple[float, float]]:
        return [
            (r.write_gap_ms, r.read_gap_ms)
            for r in results
            if (r.pattern, r.mode) == (pattern, mode)
        ]

    for pattern in PATTERNS:
        plain, ours = stalls(pattern.name, "plain"), stalls(pattern.name, "ours")
        if not plain or not ours:
            continue
        unapplied = sorted({r.mode for r in results if r.pattern == pattern.name and not r.applied})
        title = pattern.title + (f" (**not applied**: {', '.join(unapplied)})" if unapplied else "")
        plain_w = statistics.median(w for w, _ in plain)
        plain_r = statistics.median(r for _, r in plain)
        ours_w = statistics.median(w for w, _ in ours)
        ours_r = statistics.median(r for _, r in ours)
        longest_wait = max(
            r.load_lock_wait_max_ms
            for r in results
            if (r.pattern, r.mode) == (pattern.name, "ours")
        )
        lines.append(
            f"| {title} | {_ms(plain_w)} / {_ms(plain_r)} | {_ms(ours_w)} / {_ms(ours_r)} "
            f"| {_ms(max(w for w, _ in ours))} / {_ms(max(r for _, r in ours))} "
            f"| {_ms(longest_wait)} | {len(plain)} / {len(ours)} "
            f"| {plain_w / max(ours_w, 1e-9):.0f} | {plain_r / max(ours_r, 1e-9):.0f} |"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--interval", type=float, default=0.01, help="seconds between statements")
    parser.add_argument("--patterns", default=",".join(p.name for p in PATTERNS))
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--blocker", type=float, default=0.0, metavar="S")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--cooldown", type=float, default=0.5)
    parser.add_argument("--json", type=Path, help="also append the JSON lines to this file")
    parser.add_argument("--verbose", action="store_true", help="print the upgrade's output")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each pattern and mode")
    options = parser.parse_args(argv)
    if options.repeat < 1:
        parser.error("--repeat takes a count of 1 or more")
    names = {p.name for p in PATTERNS}
    chosen = [n.strip() for n in options.patterns.split(",") if n.strip()]
    unknown = [n for n in chosen if n not in names]
    if unknown:
        parser.error(
            f"unknown pattern(s) {', '.join(unknown)}; choose from {', '.join(sorted(names))}"
        )
    options.patterns = chosen
    options.modes = [m.strip() for m in options.modes.split(",") if m.strip()]
    if any(m not in MODES for m in options.modes):
        parser.error(f"--modes takes {', '.join(MODES)}")
    return options


@contextlib.contextmanager
def _workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="alembic-safe-downtime-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> None:
    options = parse_args(argv)
    results: list[Result] = []
    command = "python -m benchmarks.downtime " + " ".join(sys.argv[1:] if argv is None else argv)
    with throwaway_postgres(settings=SERVER_SETTINGS) as server, _workdir() as workdir:
        print(f"preparing {options.rows:,} rows ...", file=sys.stderr)
        prepare_template(server, options.rows)
        for name in options.patterns:
            pattern = next(p for p in PATTERNS if p.name == name)
            for repeat, mode in itertools.product(range(1, options.repeat + 1), options.modes):
                print(f"{pattern.name} / {mode} (run {repeat}) ...", file=sys.stderr)
                result = measure(server, pattern, mode, options, workdir, repeat)
                results.append(result)
                line = json.dumps(asdict(result))
                print(line, flush=True)
                if options.json is not None:
                    with options.json.open("a") as handle:
                        handle.write(line + "\n")
    blocker = (
        f", a blocker holding ACCESS SHARE for {options.blocker:g} s" if options.blocker else ""
    )
    print(
        f"\n{options.rows:,} rows, {options.writers} writers + {options.readers} readers every "
        f"{options.interval * 1000:g} ms{blocker}\n`{command.strip()}`\n"
    )
    print(table(results))
    print()
    print(ratios(results))


if __name__ == "__main__":
    main()
