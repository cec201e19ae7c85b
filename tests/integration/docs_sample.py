"""The sample history of the impact-document and export tests.

Seven revisions: tables, a column with a concurrent index, a plain index, then a branch
(a validated foreign key on one side, an irreversible data migration on the other), the
merge of both, and a destructive drop column with an explicit ``verify()``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.support import Project

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("ALEMBIC_SAFE_UPDATE_GOLDEN") == "1"
"""Set ALEMBIC_SAFE_UPDATE_GOLDEN=1 to rewrite the golden files from the current output."""


def build(project: Project) -> Project:
    project.add(
        "a1",
        """
        op.create_table(
            "users",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("email", sa.String(200), nullable=False),
            sa.Column("legacy_code", sa.String(10)),
        )
        op.create_table(
            "orders",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("user_id", sa.Integer, nullable=False),
            sa.Column("total", sa.Numeric(10, 2), nullable=False, server_default="0"),
        )
        """,
        """
        op.drop_table("orders")
        op.drop_table("users")
        """,
        message="create users and orders",
    )
    project.add(
        "b2",
        """
        op.add_column("users", sa.Column("phone", sa.String(20), nullable=True))
        with op.get_context().autocommit_block():
            op.create_index("ix_users_phone", "users", ["phone"], postgresql_concurrently=True)
        """,
        """
        with op.get_context().autocommit_block():
            op.drop_index("ix_users_phone", table_name="users", postgresql_concurrently=True)
        op.drop_column("users", "phone")
        """,
        message="add phone number to users",
    )
    project.add(
        "c3",
        'op.create_index("ix_users_email", "users", ["email"], unique=True)',
        'op.drop_index("ix_users_email", table_name="users")',
        message="unique index on email",
    )
    project.add(
        "d4",
        'op.create_foreign_key("fk_orders_user", "orders", "users", ["user_id"], ["id"])',
        'op.drop_constraint("fk_orders_user", "orders", type_="foreignkey")',
        message="orders reference users",
        down="c3",
    )
    project.add(
        "e5",
        "op.execute(\"UPDATE users SET phone = 'unknown' WHERE phone IS NULL\")",
        "pass",
        message="backfill phone numbers",
        down="c3",
        extra='irreversible = "the backfilled values cannot be told apart from real ones"\n',
    )
    project.add("f6", "pass", "pass", message="merge orders and backfill", down=("d4", "e5"))
    project.add(
        "g7",
        'op.drop_column("users", "legacy_code")  # alembic-safe: ignore[drop-column] unused since v42',
        'op.add_column("users", sa.Column("legacy_code", sa.String(10)))',
        message="drop legacy code",
        extra="""
        def verify():
            op.require_column("users", "phone")
        """,
    )
    return project


_SIZE = re.compile(r"\b\d+(\.\d+)? (bytes|kB|MB|GB)\b")


def normalize(text: str) -> str:
    """Table sizes depend on the server build; everything else must match byte for byte."""
    return _SIZE.sub("<size>", text)


def compare(produced: Path, golden: Path, *, sizes: bool = False) -> None:
    """Every file of ``produced`` equals its golden copy (rewritten when UPDATE is set)."""
    files = sorted(p.name for p in produced.iterdir() if p.is_file())
    if UPDATE:
        golden.mkdir(parents=True, exist_ok=True)
        for old in golden.iterdir():
            old.unlink()
        for name in files:
            text = (produced / name).read_text(encoding="utf-8")
            (golden / name).write_text(normalize(text) if sizes else text, encoding="utf-8")
    expected = sorted(p.name for p in golden.iterdir())
    assert files == expected
    for name in files:
        text = (produced / name).read_text(encoding="utf-8")
        if sizes:
            text = normalize(text)
        assert text == (golden / name).read_text(encoding="utf-8"), (
            f"{name} differs from {golden / name}"
        )
