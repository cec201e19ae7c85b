"""Lock and rewrite tracing of the upgrades a rehearsal runs on a copy with rows."""

from __future__ import annotations

from typing import Any

from tests.integration.test_rehearse import run_json
from tests.support import Project, output

ITEMS = """
op.create_table("items", sa.Column("id", sa.Integer, primary_key=True), sa.Column("n", sa.Integer))
"""
VOLATILE_DEFAULT = (
    'op.add_column("items", sa.Column("token", sa.Uuid, server_default=sa.text("gen_random_uuid()")))',
    'op.drop_column("items", "token")',
)
CONCURRENT_INDEX = (
    """
    with op.get_context().autocommit_block():
        op.create_index("ix_items_n", "items", ["n"], postgresql_concurrently=True)
    """,
    """
    with op.get_context().autocommit_block():
        op.drop_index("ix_items_n", table_name="items", postgresql_concurrently=True)
    """,
)
PLAIN_INDEX = (
    'op.create_index("ix_items_id_n", "items", ["id", "n"])',
    'op.drop_index("ix_items_id_n", table_name="items")',
)


def _by_revision(found: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["revision"]: r for r in found["revisions"]}


def test_tracing_reports_locks_rewrites_and_concurrent_steps(stock_project: Project) -> None:
    assert stock_project.database is not None
    source = stock_project.database
    ini = stock_project.ini.read_text()
    placeholder = "sqlalchemy.url = driver://user:pass@localhost/dbname"
    stock_project.ini.write_text(ini.replace(placeholder, f"sqlalchemy.url = {source.url}"))
    stock_project.add("r1", ITEMS, 'op.drop_table("items")')
    done = stock_project.alembic("upgrade", "r1")
    assert done.returncode == 0, output(done)
    source.execute("INSERT INTO items (n) SELECT i % 97 FROM generate_series(1, 20000) i")
    source.execute("ANALYZE items")
    stock_project.add("r2", *VOLATILE_DEFAULT)
    stock_project.add("r3", *CONCURRENT_INDEX)
    stock_project.add("r4", *PLAIN_INDEX)

    code, found, stderr = run_json(stock_project, "--url", source.url, "--copy", "full")

    assert code == 0, stderr
    revisions = _by_revision(found)

    r2 = revisions["r2"]
    (alter,) = [s for s in r2["trace"]["statements"] if "ALTER TABLE items ADD" in s["sql"]]
    assert alter["line"] == _line_of(stock_project, "r2", "op.add_column")
    assert alter["rewrites"] == ["items"]  # relfilenode changed: the table was rewritten
    assert {"relation": "items", "mode": "ACCESS EXCLUSIVE"} in alter["locks"]
    assert alter["in_transaction"] is True and alter["duration_ms"] > 0
    (hold,) = [h for h in r2["trace"]["locks"] if h["mode"] == "ACCESS EXCLUSIVE"]
    assert hold["relation"] == "items" and hold["rewrite"] is True
    assert hold["blocks"] == "reads and writes" and hold["held_ms"] >= alter["duration_ms"]
    assert r2["trace"]["rewrites"] == ["items"]
    (line,) = r2["lock_lines"]
    assert line.startswith(f"line {alter['line']}: blocks reads and writes on items for ")
    assert line.endswith("(ACCESS EXCLUSIVE, rewrite)")
    assert r2["source_stats"]["public.items"]["rows"] == 20000

    r3 = revisions["r3"]
    (create,) = [s for s in r3["trace"]["statements"] if "CREATE INDEX CONCURRENTLY" in s["sql"]]
    assert create["in_transaction"] is False  # outside a transaction: seen by sampling
    assert {"relation": "items", "mode": "SHARE UPDATE EXCLUSIVE"} in create["locks"]
    assert create["rewrites"] == []
    (hold,) = [h for h in r3["trace"]["locks"] if h["relation"] == "items"]
    assert hold["mode"] == "SHARE UPDATE EXCLUSIVE" and hold["in_transaction"] is False
    assert hold["blocks"] == "schema changes and VACUUM"
    assert r3["lock_lines"][0].endswith("(SHARE UPDATE EXCLUSIVE, outside a transaction)")

    r4 = revisions["r4"]
    (hold,) = [h for h in r4["trace"]["locks"] if h["relation"] == "items"]
    assert hold["mode"] == "SHARE" and hold["rewrite"] is False
    assert r4["lock_lines"][0].startswith(
        f"line {_line_of(stock_project, 'r4', 'op.create_index')}: blocks writes on items for "
    )
    assert r4["trace"]["rewrites"] == []

    text = stderr
    assert "blocks reads and writes on items" in text and "blocks writes on items" in text


def _line_of(project: Project, revision: str, needle: str) -> int:
    path = next(project.versions.glob(f"{revision}_*.py"))
    lines = path.read_text().splitlines()
    return 1 + next(i for i, line in enumerate(lines) if needle in line)
