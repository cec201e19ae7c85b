"""Parsing suppressions: line, multi-line call, own line, def line, module level."""

from __future__ import annotations

from pathlib import Path

from alembic_safe.rules import suppress

SOURCE = """\
from alembic import op

alembic_safe_ignore = {"rename-table": "the old name is kept by a view", "drop-table": ""}


def upgrade():  # alembic-safe: ignore[lock-table] maintenance window
    op.drop_column("users", "a")  # alembic-safe: ignore[drop-column] -- unmapped since v42
    op.add_column(
        "users",  # alembic-safe: ignore[add-column-volatile-default] small table
        None,
    )
    # alembic-safe: ignore[create-index-non-concurrently] built before the launch
    op.create_index("ix", "users", ["a"])
    op.execute("x")  # alembic-safe: ignore[truncate-table]


def downgrade():
    pass
"""


def test_suppressions_cover_their_statement(tmp_path: Path) -> None:
    path = tmp_path / "r.py"
    path.write_text(SOURCE)
    marks = suppress.read(path)
    assert marks.function_lines == {"upgrade": 6, "downgrade": 17}
    drop = marks.match("drop-column", 7)
    assert drop is not None and drop.reason == "unmapped since v42"
    assert marks.match("drop-column", 8) is None
    multi = marks.match("add-column-volatile-default", 8)
    assert multi is not None and (multi.start, multi.end) == (8, 11)
    own = marks.match("create-index-non-concurrently", 13)
    assert own is not None and own.reason == "built before the launch"
    whole = marks.match("lock-table", 14)
    assert whole is not None and whole.scope == "function"
    assert marks.match("lock-table", 18) is None
    module = marks.match("rename-table", 18)
    assert (
        module is not None and module.reason_for("rename-table") == "the old name is kept by a view"
    )
    assert marks.match("drop-table", 1) is not None
    no_reason = [d for d in marks.directives if d.line == 14]
    assert no_reason and no_reason[0].reason == ""


def test_a_file_that_does_not_parse_has_no_suppressions(tmp_path: Path) -> None:
    path = tmp_path / "broken.py"
    path.write_text("def upgrade(:  # alembic-safe: ignore[drop-column] why\n")
    marks = suppress.read(path)
    assert marks.directives == [] and marks.syntax_error
