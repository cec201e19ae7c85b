"""The fault matrix: SIGKILL and SIGINT at each stage of a guarded ``alembic upgrade head``.

Stages: the backup (``pg_dump`` waits for a lock), a transactional revision (a statement
sleeps), a concurrent index build (waits for an older snapshot), a backfill (batches sleep)
and between two revisions (the next one has not changed anything yet).  After each fault:

- the database is at a consistent revision (the one before the interrupted revision);
- no INVALID index is left (at once after Ctrl-C; after the re-run for SIGKILL, which
  leaves the server to cancel the build);
- the history table tells the truth (``interrupted`` with what stays after Ctrl-C; a
  ``running`` row that the next run marks ``abandoned`` after SIGKILL);
- no file holds the password, and no child process or server session outlives the run;
- a plain ``alembic upgrade head`` finishes the job.

The databases are clones of one template at r1, so each case costs two ``alembic`` runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from alembic_safe.postgres import PostgresServer
from tests.support import Database, Project, output, set_setting

ROWS = 60
R1 = f"""
op.create_table(
    "items",
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("v", sa.Integer, nullable=False),
)
op.create_table("other", sa.Column("id", sa.Integer, primary_key=True))
op.execute("INSERT INTO items SELECT g, g FROM generate_series(1, {ROWS}) g")
op.execute("INSERT INTO other VALUES (1)")
"""
SLEEP = "(SELECT 0 FROM pg_sleep(coalesce(current_setting('test.{}', true), '0')::float))"
R2 = f"""
op.add_column("items", sa.Column("h1", sa.Integer))
op.execute("SELECT {SLEEP.format("sleep")}")
op.create_index_concurrently("ix_items_h1", "items", ["h1"])
op.backfill("items", set={{"h1": "v * 2 + {SLEEP.format("row_sleep")}"}}, where="h1 IS NULL", batch_size=10)
"""
R2_DOWN = """
op.drop_index_concurrently("ix_items_h1", "items")
op.drop_column("items", "h1")
"""
R3 = """
if not context.is_offline_mode() and os.environ.get("TEST_PAUSE"):
    pathlib.Path(os.environ["TEST_PAUSE"]).write_text("r3 started")
    time.sleep(60)
op.add_column("items", sa.Column("h2", sa.Text))
"""
R3_EXTRA = "import os\nimport pathlib\nimport time\nfrom alembic import context"


def _revisions(project: Project) -> None:
    project.add("r1", R1, 'op.drop_table("other")\nop.drop_table("items")')
    project.add("r2", R2, R2_DOWN)
    project.add("r3", R3, 'op.drop_column("items", "h2")', extra=R3_EXTRA)


@pytest.fixture(scope="module")
def template(pg_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database at r1 (with its history row) to clone for every case."""
    name = f"faults_{os.getpid()}"
    pg_server.create_database(name)
    project = Project.create(tmp_path_factory.mktemp("template") / "app", Database(pg_server, name))
    _revisions(project)
    done = project.alembic("-x", "backup=never", "upgrade", "r1")
    assert done.returncode == 0, output(done)
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def case(pg_server: PostgresServer, template: str, tmp_path: Path) -> Iterator[Project]:
    """A project at r1 on a clone of the template, with its backups and TMPDIR in tmp_path."""
    name = f"f_{os.urandom(6).hex()}"
    pg_server.create_database(name, template=template)
    project = Project.create(tmp_path / "app", Database(pg_server, name))
    _revisions(project)
    ini = project.ini.read_text().replace("backup_dir = %(here)s/backups", "")
    project.ini.write_text(ini)
    set_setting(project, "backup_dir", str(tmp_path / "backups"))
    (tmp_path / "tmp").mkdir()
    yield project
    pg_server.drop_database(name)


def db(project: Project) -> Database:
    assert project.database is not None
    return project.database


# ------------------------------------------------------------------ the stages


@dataclass
class Stage:
    """How to make one stage of the run wait, and how to see that it waits there."""

    name: str
    args: tuple[str, ...]
    env: dict[str, str]
    hold: Callable[[Database], psycopg.Connection | None]
    reached: Callable[[Database, Path], bool]
    position: list[str]
    """The database's revision after the fault."""
    revision: str | None
    """The revision that was running (None: no revision had started)."""


def _waiting(database: Database, query: str, *, lock: bool) -> bool:
    return bool(
        database.scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE %s AND pid <> pg_backend_pid()"
            + (" AND wait_event_type = 'Lock'" if lock else " AND state = 'active'"),
            (query,),
        )
    )


def _lock_items(database: Database) -> psycopg.Connection:
    holder = database.connect()
    holder.execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE")  # pg_dump waits for it
    return holder


def _old_snapshot(database: Database) -> psycopg.Connection:
    holder = database.connect()
    holder.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    holder.execute("SELECT count(*) FROM other")  # a concurrent build waits for this snapshot
    return holder


def _backfill_batches(database: Database, _: Path) -> bool:
    try:
        done = database.scalar("SELECT count(*) FROM items WHERE h1 IS NOT NULL") or 0
    except psycopg.errors.UndefinedColumn:  # r2's first step is not committed yet
        return False
    return done >= 10 and _waiting(database, "WITH batch AS%", lock=False)


FAST_RETRY = ("-x", "lock_timeout=30s", "-x", "lock_timeout_max=30s")
STAGES = {
    "backup": Stage(
        "backup",
        (),
        {},
        _lock_items,
        lambda d, _: _waiting(d, "LOCK TABLE%", lock=True),
        ["r1"],
        None,
    ),
    "transaction": Stage(
        "transaction",
        ("-x", "backup=never"),
        {"PGOPTIONS": "-c test.sleep=60"},
        lambda _: None,
        lambda d, _: _waiting(d, "SELECT (SELECT 0 FROM pg_sleep%", lock=False),
        ["r1"],
        "r2",
    ),
    "concurrent_build": Stage(
        "concurrent_build",
        ("-x", "backup=never", *FAST_RETRY),
        {},
        _old_snapshot,
        lambda d, _: _waiting(d, "CREATE INDEX CONCURRENTLY%", lock=True),
        ["r1"],
        "r2",
    ),
    "backfill": Stage(
        "backfill",
        ("-x", "backup=never"),
        {"PGOPTIONS": "-c test.row_sleep=0.12"},
        lambda _: None,
        _backfill_batches,
        ["r1"],
        "r2",
    ),
    "between_revisions": Stage(
        "between_revisions",
        ("-x", "backup=never"),
        {},
        lambda _: None,
        lambda _, tmp: (tmp / "r3-started").exists(),
        ["r2"],
        "r3",
    ),
}


# ------------------------------------------------------------------ processes


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in {"Z", "X"}


def _proc_text(pid: int, name: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/{name}").read_bytes()
    except OSError:
        return b""


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def _our_sessions(database: Database) -> int:
    return int(
        database.scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'alembic-safe'"
            " AND datname = current_database() AND pid <> pg_backend_pid()"
        )
        or 0
    )


def _files_with(directory: Path, secret: str) -> list[Path]:
    found = []
    for path in directory.rglob("*"):
        if path.is_file() and not path.is_symlink():
            try:
                if secret.encode() in path.read_bytes():
                    found.append(path)
            except OSError:
                continue
    return found


def _invalid_indexes(database: Database) -> int:
    return int(database.scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid") or 0)


# ------------------------------------------------------------------ the matrix


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["sigint", "sigkill"])
@pytest.mark.parametrize("stage_name", list(STAGES))
def test_fault_then_a_plain_rerun_finishes_the_job(
    case: Project, tmp_path: Path, stage_name: str, sig: signal.Signals
) -> None:
    stage = STAGES[stage_name]
    database = db(case)
    password = database.server.password
    assert password
    holder = stage.hold(database)
    env = {**stage.env, "TMPDIR": str(tmp_path / "tmp"), "TEST_PAUSE": str(tmp_path / "r3-started")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "alembic", *stage.args, "upgrade", "head"],
        cwd=case.root,
        env=case.env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    children: list[int] = []
    try:
        _wait_for(
            lambda: stage.reached(database, tmp_path) or proc.poll() is not None, 90, stage.name
        )
        assert proc.poll() is None, proc.communicate()[0]
        children = _children(proc.pid)
        for child in children:  # pg_dump while it waits: no password in argv or environment
            assert password.encode() not in _proc_text(child, "cmdline")
            environ = _proc_text(child, "environ")
            assert password.encode() not in environ and b"DATABASE_URL=" not in environ
        if stage.name == "backup":
            assert any(b"pg_dump" in _proc_text(c, "cmdline") for c in children), children
        os.kill(proc.pid, sig)
        text, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if holder is not None:
            holder.close()

    # the run ended the way the signal says
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode not in (0, -signal.SIGINT), text
        assert "Interrupted (Ctrl-C)" in text, text
        for word in ("Traceback", "PendingRollbackError", "KeyboardInterrupt"):
            assert word not in text, text
    # no child and no server session outlives it
    _wait_for(lambda: not any(_alive(c) for c in children), 5, "the children to end")
    _wait_for(lambda: _our_sessions(database) == 0, 15, "the run's sessions to end")
    # consistent revision, nothing secret on disk
    assert database.version() == stage.position
    assert _files_with(tmp_path, password) == []
    history = database.history()
    _check_history(history, stage, sig, text)
    if sig == signal.SIGINT:
        assert _invalid_indexes(database) == 0

    rerun = case.alembic("upgrade", "head", TMPDIR=str(tmp_path / "tmp"))

    assert rerun.returncode == 0, output(rerun)
    assert database.version() == ["r3"]
    assert _invalid_indexes(database) == 0
    assert database.scalar("SELECT count(*) FROM items WHERE h1 = v * 2") == ROWS
    after = database.history()
    assert [(h["revision"], h["outcome"]) for h in after if h["outcome"] == "applied"][-2:] == (
        [("r2", "applied"), ("r3", "applied")]
    )
    assert not [h for h in after if h["outcome"] == "running"]
    if sig == signal.SIGKILL and stage.revision is not None:
        (abandoned,) = [h for h in after if h["outcome"] == "abandoned"]
        assert abandoned["revision"] == stage.revision
        assert "killed or lost its connection" in abandoned["message"]
        assert "recorded as abandoned" in output(rerun)
    assert _files_with(tmp_path, password) == []


def _check_history(
    history: list[dict[str, Any]], stage: Stage, sig: signal.Signals, text: str
) -> None:
    rows = [h for h in history if h["revision"] != "r1"]
    outcomes = [(h["revision"], h["outcome"]) for h in rows]
    if stage.revision is None:  # the backup: no revision ran
        if sig == signal.SIGKILL:
            assert outcomes == []
        else:
            assert outcomes == [("r2", "interrupted"), ("r3", "interrupted")]
            assert all("during the backup" in h["message"] for h in rows)
            assert "during the backup" in text
        return
    applied = [("r2", "applied")] if stage.revision == "r3" else []
    last = rows[-1]
    expected = "running" if sig == signal.SIGKILL else "interrupted"
    assert outcomes == [*applied, (stage.revision, expected)]
    steps = {s["number"]: s["state"] for s in (last["progress"] or {}).get("steps", ())}
    if stage.name == "transaction":
        assert set(steps.values()) <= {"rolled back"}, steps
    elif stage.name == "concurrent_build":
        assert steps[1] == steps[2] == "committed" and steps[3] == "partly committed", steps
    elif stage.name == "backfill":
        assert steps[1] == steps[2] == steps[3] == "committed", steps
        assert steps[4] == "partly committed", steps
    if sig == signal.SIGINT:
        if stage.name in {"transaction", "between_revisions"}:
            assert "nothing of it is committed" in last["message"], last["message"]
        else:
            assert "It stopped part-way" in last["message"], last["message"]
        if stage.name == "concurrent_build":
            assert "INVALID index left by the stopped build, dropped" in text, text


# ------------------------------------------------------------------ the operations' own part
# Without the guard, op.create_index_concurrently and op.backfill owe their caller the
# KeyboardInterrupt itself (not a PendingRollbackError) and no INVALID index left behind.

OPERATION_SCRIPT = """
import os, signal, sys, threading, time
import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
import alembic_safe

url, which = sys.argv[1], sys.argv[2]
engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
watch = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
waiting = {
    "index": "query LIKE 'CREATE INDEX CONCURRENTLY%' AND wait_event_type = 'Lock'",
    "backfill": "query LIKE 'WITH batch AS%' AND state = 'active'",
}[which]

def interrupt_when_waiting():
    while not watch.execute(sa.text(
        f"SELECT count(*) FROM pg_stat_activity WHERE {waiting} AND pid <> pg_backend_pid()"
    )).scalar():
        time.sleep(0.05)
    os.kill(os.getpid(), signal.SIGINT)

threading.Thread(target=interrupt_when_waiting, daemon=True).start()
connection = engine.connect()
context = MigrationContext.configure(connection)
op = Operations(context)
try:
    with context.begin_transaction():
        if which == "index":
            op.create_index_concurrently("ix_items_v", "items", ["v"])
        else:
            op.backfill("items", set={"v": "v + (SELECT 1 FROM pg_sleep(0.1))"}, batch_size=5)
    print("raised nothing")
except BaseException as exc:
    print("raised", type(exc).__name__)
time.sleep(2)  # the interrupted session ends
invalid = watch.execute(sa.text("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).scalar()
print("invalid", invalid)
"""


@pytest.mark.parametrize("which", ["index", "backfill"])
def test_ctrl_c_inside_a_safe_operation_reaches_the_caller_and_leaves_no_invalid_index(
    case: Project, which: str
) -> None:
    database = db(case)
    holder = _old_snapshot(database) if which == "index" else None
    try:
        result = subprocess.run(
            [sys.executable, "-c", OPERATION_SCRIPT, database.url, which],
            capture_output=True,
            text=True,
            timeout=120,
            env=case.env(),
            check=False,
        )
    finally:
        if holder is not None:
            holder.close()
    assert "raised KeyboardInterrupt" in result.stdout, result.stdout + result.stderr
    assert "invalid 0" in result.stdout, result.stdout + result.stderr
