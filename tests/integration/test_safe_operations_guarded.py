"""A revision written with the safe operations, through the guarded ``alembic`` command."""

from __future__ import annotations

from alembic_safe.rehearse import snapshot
from tests.support import Project, output

TABLES = """
op.create_table(
    "users",
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("email", sa.Text, nullable=False),
)
op.create_table(
    "orders",
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("user_id", sa.BigInteger),
)
op.execute("INSERT INTO users (email) SELECT 'u' || g FROM generate_series(1, 40) g")
op.execute("INSERT INTO orders (user_id) SELECT g FROM generate_series(1, 40) g")
"""

SAFE_UPGRADE = """
op.add_column("users", sa.Column("locale", sa.Text()))
op.backfill("users", set={"locale": "'en'"}, where="locale IS NULL", batch_size=15)
op.add_not_null("users", "locale")
op.create_index_concurrently("ix_users_locale", "users", ["locale"])
op.add_foreign_key_not_valid("fk_orders_user_id_users", "orders", "users", ["user_id"], ["id"])
op.validate_constraint("fk_orders_user_id_users", "orders")
op.add_unique_constraint_concurrently("uq_users_email", "users", ["email"])
"""

SAFE_DOWNGRADE = """
op.drop_constraint("uq_users_email", "users", type_="unique")
op.drop_constraint("fk_orders_user_id_users", "orders", type_="foreignkey")
op.drop_index_concurrently("ix_users_locale", "users")
op.drop_column("users", "locale")
"""


def _write(project: Project) -> None:
    project.add("r1", TABLES, 'op.drop_table("orders")\nop.drop_table("users")')
    project.add("r2", SAFE_UPGRADE, SAFE_DOWNGRADE, message="locale for users")


def test_upgrade_verify_downgrade_and_upgrade_again(project: Project) -> None:
    _write(project)
    db = project.database
    assert db is not None
    result = project.alembic("upgrade", "r1")
    assert result.returncode == 0, output(result)
    before = db.snapshot()

    result = project.alembic("upgrade", "head")
    assert result.returncode == 0, output(result)
    text = output(result)
    assert "precondition(s) hold" in text and "post-check(s) hold" in text
    assert "backfill users: done, 40 rows updated in" in text
    assert db.version() == ["r2"]
    assert db.scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid") == 0
    assert db.execute(
        "SELECT conname, contype, convalidated FROM pg_constraint "
        "WHERE conrelid IN ('users'::regclass, 'orders'::regclass) AND contype IN ('f', 'u') "
        "ORDER BY conname"
    ) == [("fk_orders_user_id_users", "f", True), ("uq_users_email", "u", True)]
    assert db.scalar(
        "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass "
        "AND attname = 'locale'"
    )
    assert [(h["revision"], h["outcome"]) for h in db.history()][-1] == ("r2", "applied")

    result = project.alembic("-x", "confirm=r2", "downgrade", "-1")
    assert result.returncode == 0, output(result)
    assert db.version() == ["r1"]
    assert snapshot.diff(before, db.snapshot()) == []

    result = project.alembic("upgrade", "head")
    assert result.returncode == 0, output(result)
    assert db.version() == ["r2"]


def test_offline_sql_and_plan_show_the_real_statements(project: Project) -> None:
    _write(project)
    result = project.alembic("upgrade", "r1:r2", "--sql")
    assert result.returncode == 0, output(result)
    sql = result.stdout
    assert "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_users_locale ON users (locale);" in sql
    assert "ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user_id_users;" in sql
    assert "ALTER TABLE users ALTER COLUMN locale SET NOT NULL;" in sql
    assert "ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email;" in sql
    assert "DO $alembic_safe$" in sql
    # each non-transactional operation sits between a COMMIT and a BEGIN
    index = sql.index("CREATE INDEX CONCURRENTLY")
    assert sql.rindex("COMMIT;", 0, index) > sql.rindex("BEGIN;", 0, index)

    result = project.alembic_safe("plan", "r1:r2")
    assert result.returncode == 0, output(result)
    plan = result.stdout
    assert (
        "create_index_concurrently (line 26): CREATE INDEX CONCURRENTLY IF NOT EXISTS "
        "ix_users_locale ON users (locale)  [outside transaction]"
    ) in plan
    assert "add_foreign_key_not_valid (line 27): ALTER TABLE orders ADD CONSTRAINT" in plan
    assert "validate_constraint (line 28): ALTER TABLE orders VALIDATE CONSTRAINT" in plan
    assert "add_not_null (line 25)" in plan and "backfill (line 24): DO $alembic_safe$" in plan
    assert 'precondition: constraint "fk_orders_user_id_users" on "orders" does not exist' in (plan)
    assert 'post-check: column "users"."locale" is NOT NULL' in plan


def test_failed_concurrent_build_through_the_guard(project: Project) -> None:
    project.add("r1", TABLES, 'op.drop_table("orders")\nop.drop_table("users")')
    project.add(
        "r2",
        "op.execute(\"UPDATE users SET email = 'same' WHERE id IN (1, 2)\")\n"
        'op.add_unique_constraint_concurrently("uq_users_email", "users", ["email"])',
        'op.drop_constraint("uq_users_email", "users", type_="unique")',
    )
    result = project.alembic("upgrade", "head")
    assert result.returncode != 0
    text = output(result)
    assert "could not create unique index" in text
    assert "Traceback" not in text
    db = project.database
    assert db is not None
    assert db.version() == ["r1"]
    assert db.scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid") == 0
    # the UPDATE ran before the block outside the transaction, so Alembic committed it
    assert db.history()[-1]["outcome"] == "partial"
    assert "It stopped part-way" in text and "It was rolled back" not in text
    assert db.scalar("SELECT count(*) FROM users WHERE email = 'same'") == 2
