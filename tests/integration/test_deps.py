"""``alembic-safe deps``: what depends on a table or column, read from pg_depend."""

from __future__ import annotations

import subprocess
import sys

from tests.support import Database, output, subprocess_env

SCHEMA = """
CREATE TABLE users (id serial PRIMARY KEY, email text UNIQUE, name text);
CREATE INDEX ix_users_lower_email ON users (lower(email));
CREATE VIEW user_emails AS SELECT id, email FROM users;
CREATE MATERIALIZED VIEW user_names AS SELECT name FROM users;
CREATE TABLE orders (id int, user_email text REFERENCES users (email), user_id int REFERENCES users (id));
ALTER TABLE users ADD CONSTRAINT users_email_shape CHECK (email LIKE '%@%');
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER users_touch BEFORE UPDATE OF email ON users FOR EACH ROW EXECUTE FUNCTION touch();
CREATE FUNCTION email_count() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(email) FROM users; END;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_email ON users USING (email = current_user);
"""


def deps(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alembic_safe", "deps", *args],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=False,
    )


def test_column_dependents(database: Database) -> None:
    database.execute(SCHEMA)
    result = deps("users.email", "--url", database.url)
    assert result.returncode == 0, output(result)
    text = result.stdout
    assert text.startswith('Objects that depend on "users"."email"')
    for expected in (
        "view",
        "user_emails",
        "foreign key",
        "orders_user_email_fkey",
        "ix_users_lower_email",
        "users_email_shape",
        "users_touch",
        "email_count()",
        "own_email",
        "users_email_key",
    ):
        assert expected in text, (expected, text)
    assert "user_names" not in text  # the materialized view reads name, not email
    blockers = [line for line in text.splitlines() if "blocks DROP" in line]
    # exactly what PostgreSQL names in "cannot drop column email ... because other objects depend on it"
    assert len(blockers) == 5
    for name in (
        "user_emails",
        "orders_user_email_fkey",
        "users_touch",
        "email_count()",
        "own_email",
    ):
        assert any(name in line for line in blockers), name
    assert all("users_email_shape" not in line for line in blockers)


def test_table_dependents_include_owned_sequence_and_matview(database: Database) -> None:
    database.execute(SCHEMA)
    result = deps("users", "--url", database.url)
    assert result.returncode == 0, output(result)
    assert "materialized view" in result.stdout and "user_names" in result.stdout
    assert "users_id_seq" in result.stdout
    assert "orders_user_id_fkey" in result.stdout
    blockers = [line for line in result.stdout.splitlines() if "blocks DROP" in line]
    # exactly what PostgreSQL names in "cannot drop table users because other objects depend on it"
    assert len(blockers) == 5
    assert all("users_touch" not in line and "own_email" not in line for line in blockers)


def test_nothing_depends(database: Database) -> None:
    database.execute("CREATE TABLE lonely (id int)")
    result = deps("lonely.id", "--url", database.url)
    assert result.returncode == 0
    assert (
        result.stdout.strip()
        == 'Nothing depends on "lonely"."id": it can be dropped without CASCADE.'
    )


def test_schema_qualified_table(database: Database) -> None:
    database.execute(
        "CREATE SCHEMA app; CREATE TABLE app.items (id int); CREATE VIEW app.v AS SELECT id FROM app.items"
    )
    result = deps("app.items", "--url", database.url)
    assert result.returncode == 0, output(result)
    assert "app.v" in result.stdout


def test_missing_table_or_column_exits_two(database: Database) -> None:
    database.execute("CREATE TABLE users (id int)")
    missing = deps("nope", "--url", database.url)
    assert missing.returncode == 2
    assert 'Table "nope" does not exist' in missing.stderr
    column = deps("users.nope", "--url", database.url)
    assert column.returncode == 2
    assert 'Column "nope" does not exist in table "users"' in column.stderr
    bad = deps("a..b", "--url", database.url)
    assert bad.returncode == 2 and "is not TABLE" in bad.stderr
