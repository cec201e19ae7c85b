"""``alembic revision --autogenerate`` in a project using the guard, against a real database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from alembic_safe.rehearse import snapshot
from tests.support import Database, Project, output, set_setting, use_models

BEFORE = """
import sqlalchemy as sa

metadata = sa.MetaData()
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("email", sa.Text),
    sa.Column("name", sa.Text),
)
orders = sa.Table(
    "orders",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("user_id", sa.BigInteger),
)
"""

AFTER = """
import sqlalchemy as sa

metadata = sa.MetaData()
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("email", sa.Text, nullable=False, unique=True),
    sa.Column("name", sa.Text, index=True),
)
orders = sa.Table(
    "orders",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id")),
)
user_phones = sa.Table(
    "user_phones",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("number", sa.Text, nullable=False),
)
"""

TABLES = """
op.create_table(
    "users",
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("email", sa.Text),
    sa.Column("name", sa.Text),
)
op.create_table(
    "orders",
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("user_id", sa.BigInteger),
)
op.execute("INSERT INTO users (email, name) SELECT 'u' || g, 'n' || g FROM generate_series(1, 30) g")
op.execute("INSERT INTO orders (user_id) SELECT g FROM generate_series(1, 30) g")
"""


@pytest.fixture
def app_role(database: Database) -> Iterator[str]:
    role = f"app_{database.name}"
    database.execute(f"CREATE ROLE {role}")
    yield role
    database.execute(f"DROP OWNED BY {role}")
    database.execute(f"DROP ROLE {role}")


def test_autogenerate_writes_safe_operations_that_upgrade_and_downgrade(
    project: Project, app_role: str
) -> None:
    db = project.database
    assert db is not None
    set_setting(project, "app_role", app_role)
    use_models(project, BEFORE)
    project.add("r1", TABLES, 'op.drop_table("orders")\nop.drop_table("users")')
    result = project.alembic("upgrade", "head")
    assert result.returncode == 0, output(result)
    result = project.alembic("check")
    assert result.returncode == 0, output(result)
    before = db.snapshot()

    use_models(project, AFTER)
    result = project.alembic("check")  # Alembic's own diff, not our rewrite
    assert result.returncode != 0
    assert "New upgrade operations detected" in output(result)
    assert "Traceback" not in output(result)

    result = project.alembic(
        "revision", "--autogenerate", "-m", "phones, constraints (SHOP-42)", "--rev-id", "r2"
    )
    assert result.returncode == 0, output(result)
    text = next(project.versions.glob("r2_*.py")).read_text()

    # safe forms on the existing tables
    assert "op.create_index_concurrently(op.f('ix_users_name'), 'users', ['name'])" in text
    assert "op.add_not_null('users', 'email')" in text
    assert "op.add_unique_constraint_concurrently('users_email_key', 'users', ['email'])" in text
    assert (
        "op.add_foreign_key_not_valid('orders_user_id_fkey', 'orders', 'users', ['user_id'], ['id'])"
        in text
    )
    assert "op.validate_constraint('orders_user_id_fkey', 'orders')" in text
    # the new table as Alembic writes it, plus the grants
    assert "op.create_index(op.f('ix_user_phones_user_id'), 'user_phones', ['user_id']" in text
    assert f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE user_phones TO {app_role}" in text
    assert f"GRANT USAGE, SELECT ON SEQUENCE user_phones_id_seq TO {app_role}" in text
    # a downgrade that reverses all of it
    assert "op.drop_index_concurrently(op.f('ix_users_name'), 'users')" in text
    assert "op.drop_constraint('orders_user_id_fkey', 'orders', type_='foreignkey')" in text
    assert f"REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLE user_phones FROM {app_role}" in text
    # the header and the derived checks
    assert "Ticket: SHOP-42\n" in text
    assert "Impact: 7 step(s) on user_phones, users, orders, 4 of them outside" in text
    assert "- users: add_not_null (ACCESS EXCLUSIVE for moments" in text
    assert "Risks:\n- not atomic:" in text
    assert "    op.require_table('user_phones', exists=False)\n" in text
    assert "    op.require_constraint('orders', 'orders_user_id_fkey', exists=False)\n" in text
    assert "    op.require_column('users', 'email', nullable=False)\n" in text

    result = project.alembic("upgrade", "head")
    assert result.returncode == 0, output(result)
    assert db.version() == ["r2"]
    assert db.execute(
        "SELECT conname, convalidated FROM pg_constraint WHERE contype IN ('f', 'u') "
        "AND connamespace = 'public'::regnamespace ORDER BY conname"
    ) == [
        ("orders_user_id_fkey", True),
        ("user_phones_user_id_fkey", True),
        ("users_email_key", True),
    ]
    assert db.scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid") == 0
    assert db.scalar(
        "SELECT has_table_privilege(%s, 'user_phones', 'INSERT') "
        "AND has_sequence_privilege(%s, 'user_phones_id_seq', 'USAGE')",
        (app_role, app_role),
    )
    result = project.alembic("check")
    assert result.returncode == 0, output(result)
    assert "No new upgrade operations detected" in output(result)

    result = project.alembic("-x", "confirm=r2", "downgrade", "-1")
    assert result.returncode == 0, output(result)
    assert snapshot.diff(before, db.snapshot()) == []


def test_plain_revision_keeps_the_template(project: Project) -> None:
    """Without --autogenerate env.py does not run: the header keeps its prompts."""
    result = project.alembic("revision", "-m", "by hand", "--rev-id", "h1")
    assert result.returncode == 0, output(result)
    text = next(project.versions.glob("h1_*.py")).read_text()
    assert "Impact: (tables touched, rows affected, locks, downtime" in text
    assert "Ticket:\n" in text
    assert "def preconditions() -> None:" in text
    compile(text, "h1.py", "exec")


def test_revision_environment_fills_the_header_of_plain_revisions(project: Project) -> None:
    project.ini.write_text(
        project.ini.read_text().replace(
            "# revision_environment = false", "revision_environment = true"
        )
    )
    result = project.alembic("revision", "-m", "by hand (OPS-9)", "--rev-id", "h2")
    assert result.returncode == 0, output(result)
    text = next(project.versions.glob("h2_*.py")).read_text()
    assert "Ticket: OPS-9\n" in text
    assert "Impact: (tables touched" in text  # nothing to derive from an empty upgrade


def test_irreversible_hook_output_is_refused_and_nothing_is_written(project: Project) -> None:
    use_models(project, BEFORE)
    project.add("r1", TABLES, 'op.drop_table("orders")\nop.drop_table("users")')
    assert project.alembic("upgrade", "head").returncode == 0
    env = project.root / "migrations" / "env.py"
    env.write_text(
        env.read_text().replace(
            "alembic_safe.run_migrations(context, target_metadata, **",
            "from alembic.operations import ops as _ops\n\n\n"
            "def _hook(context, revision, directives):\n"
            "    directives[0].upgrade_ops.ops.append(_ops.ExecuteSQLOp(\"UPDATE users SET name = 'x'\"))\n"
            "    directives[0].downgrade_ops.ops[:] = []\n\n\n"
            "alembic_safe.run_migrations(context, target_metadata, process_revision_directives=_hook, **",
        )
    )
    before = sorted(p.name for p in project.versions.glob("*.py"))
    result = project.alembic("revision", "--autogenerate", "-m", "data fix", "--rev-id", "r2")
    text = output(result)
    assert result.returncode != 0
    assert "FAILED: alembic-safe refused to write the revision" in text
    assert "Cannot reverse:\n    execute" in text
    assert "Traceback" not in text
    assert sorted(p.name for p in project.versions.glob("*.py")) == before


# ----------------------------------------------------------------------------- what autogenerate sees

ITEMS = """
import sqlalchemy as sa

metadata = sa.MetaData(naming_convention={"ck": "ck_%(table_name)s_%(constraint_name)s"})
items = sa.Table(
    "items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("n", sa.Integer, nullable=False, server_default="0"),
    sa.Column("kind", sa.Enum("a", "b", name="kind", native_enum=False, create_constraint=True)),
    sa.Column("flag", sa.Boolean(create_constraint=True, name="flag")),
    {extra}
)
"""


def items_model(extra: str) -> str:
    return ITEMS.replace("{extra}", extra)


ITEMS_TABLE = """
op.execute(
    "CREATE TABLE items (id serial PRIMARY KEY, n integer NOT NULL DEFAULT 0, kind varchar(1),"
    " flag boolean, CONSTRAINT ck_items_kind CHECK (kind IN ('a', 'b')),"
    " CONSTRAINT ck_items_flag CHECK (flag IN (true, false)))"
)
op.execute("INSERT INTO items (n, kind) SELECT g, 'a' FROM generate_series(1, 50) g")
"""


def _items_project(project: Project, extra: str = "") -> Database:
    db = project.database
    assert db is not None
    use_models(project, items_model(extra))
    project.add("r1", ITEMS_TABLE, 'op.execute("DROP TABLE items")')
    result = project.alembic("upgrade", "head")
    assert result.returncode == 0, output(result)
    return db


def test_enum_and_boolean_checks_raise_no_false_difference(project: Project) -> None:
    _items_project(project)
    result = project.alembic("revision", "--autogenerate", "-m", "nothing", "--rev-id", "r2")
    assert result.returncode == 0, output(result)
    text = output(result)
    assert "autogenerate found no difference between the model and the database" in text
    assert "no revision file was written" in text
    assert list(project.versions.glob("r2_*.py")) == []


def test_named_check_in_the_model_is_written_not_valid_then_validated(project: Project) -> None:
    db = _items_project(project)
    use_models(project, items_model('sa.CheckConstraint("n >= 0", name="n_nonnegative"),'))
    result = project.alembic("revision", "--autogenerate", "-m", "check n", "--rev-id", "r2")
    assert result.returncode == 0, output(result)
    text = next(project.versions.glob("r2_*.py")).read_text()
    assert (
        "op.add_check_constraint_not_valid(op.f('ck_items_n_nonnegative'), 'items', 'n >= 0')"
    ) in text
    assert "op.validate_constraint('ck_items_n_nonnegative', 'items')" in text
    assert "op.drop_constraint(op.f('ck_items_n_nonnegative'), 'items', type_='check')" in text
    assert "ck_items_kind" not in text and "ck_items_flag" not in text
    result = project.alembic("upgrade", "head")
    assert result.returncode == 0, output(result)
    assert db.scalar(
        "SELECT convalidated FROM pg_constraint WHERE conname = 'ck_items_n_nonnegative'"
    )


def test_an_unnamed_check_is_reported_instead_of_an_empty_revision(project: Project) -> None:
    _items_project(project)
    project.root.joinpath("models.py").write_text(
        items_model('sa.CheckConstraint("n < 1000"),').replace(
            'metadata = sa.MetaData(naming_convention={"ck": "ck_%(table_name)s_%(constraint_name)s"})',
            "metadata = sa.MetaData()",
        )
    )
    result = project.alembic("revision", "--autogenerate", "-m", "unnamed", "--rev-id", "r2")
    assert result.returncode == 0, output(result)
    text = output(result)
    assert "no revision file was written" in text
    assert "CHECK constraints without a name" in text and '"items": CHECK (n < 1000)' in text
    assert list(project.versions.glob("r2_*.py")) == []


def test_volatile_default_and_type_change_are_written_online(project: Project) -> None:
    db = _items_project(project)
    before = db.snapshot()
    rows = "SELECT id, n, kind, flag FROM items ORDER BY id"
    data = db.execute(rows)
    model = items_model(
        'sa.Column("token", sa.Uuid, nullable=False, server_default=sa.text("gen_random_uuid()")),'
    ).replace(
        'sa.Column("n", sa.Integer, nullable=False, server_default="0")',
        'sa.Column("n", sa.BigInteger, nullable=False, server_default="0")',
    )
    use_models(project, model)
    result = project.alembic("revision", "--autogenerate", "-m", "online", "--rev-id", "r2")
    assert result.returncode == 0, output(result)
    text = next(project.versions.glob("r2_*.py")).read_text()
    assert "op.add_column('items', sa.Column('token', sa.Uuid(), nullable=True))" in text
    assert "server_default=sa.text('gen_random_uuid()')" in text
    assert "op.backfill('items', set={'token': 'gen_random_uuid()'}, where='token IS NULL')" in text
    assert "op.add_not_null('items', 'token')" in text
    assert (
        "op.alter_column_type_online('items', 'n', sa.BigInteger(), existing_type=sa.INTEGER(), "
        "existing_nullable=False)"
    ) in text
    assert (
        "op.alter_column_type_online('items', 'n', sa.INTEGER(), existing_type=sa.BigInteger()"
        in text
    )
    result = project.alembic("upgrade", "head")
    assert result.returncode == 0, output(result)
    assert db.scalar("SELECT count(*) FROM items WHERE token IS NULL") == 0
    assert db.scalar("SELECT count(DISTINCT token) FROM items") == 50
    assert (
        db.scalar(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = 'items'::regclass AND attname = 'n'"
        )
        == "bigint"
    )
    assert db.scalar("SELECT sum(n) FROM items") == 1275
    result = project.alembic("check")
    assert result.returncode == 0, output(result)
    result = project.alembic("-x", "confirm=r2", "downgrade", "-1")
    assert result.returncode == 0, output(result)
    after = db.snapshot()
    # the same schema and rows; only the column order differs ("n" is now the last column)
    assert after["tables"]["public.items"]["columns"] == before["tables"]["public.items"]["columns"]
    changed = [
        line
        for line in snapshot.diff(before, after)
        if not line.startswith("table public.items changed")
    ]
    assert changed == []
    assert db.execute(rows) == data


def test_a_type_change_that_cannot_be_made_online_is_refused_with_the_recipe(
    project: Project,
) -> None:
    db = _items_project(project)
    db.execute("CREATE VIEW item_numbers AS SELECT id, n FROM items")
    use_models(
        project,
        items_model("").replace(
            'sa.Column("n", sa.Integer, nullable=False, server_default="0")',
            'sa.Column("n", sa.BigInteger, nullable=False, server_default="0")',
        ),
    )
    result = project.alembic("revision", "--autogenerate", "-m", "bigger n", "--rev-id", "r2")
    text = output(result)
    assert result.returncode != 0
    assert 'Changing "items"."n" from integer to BIGINT rewrites the table' in text
    assert "a view or rule uses it" in text and "item_numbers" in text
    assert "docs/operations.md#changing-a-column-type-by-hand" in text
    assert "Traceback" not in text
    assert list(project.versions.glob("r2_*.py")) == []
