"""Statement facts read with pglast: tags, tables, locks, transactions, destruction."""

from __future__ import annotations

import pytest

from alembic_safe.capture import sqlparse
from alembic_safe.capture.sqlparse import (
    ACCESS_EXCLUSIVE,
    SHARE,
    SHARE_ROW_EXCLUSIVE,
    SHARE_UPDATE_EXCLUSIVE,
)


def one(sql: str) -> sqlparse.Statement:
    (statement,) = sqlparse.parse(sql)
    return statement


@pytest.mark.parametrize(
    ("sql", "tag", "tables", "lock", "transactional"),
    [
        ("CREATE INDEX ix ON app.users (email)", "CREATE INDEX", ("app.users",), SHARE, True),
        (
            "CREATE INDEX CONCURRENTLY ix ON users (email)",
            "CREATE INDEX",
            ("users",),
            SHARE_UPDATE_EXCLUSIVE,
            False,
        ),
        ("CREATE UNIQUE INDEX ix ON users (email)", "CREATE UNIQUE INDEX", ("users",), SHARE, True),
        ("DROP INDEX ix", "DROP INDEX", ("ix",), ACCESS_EXCLUSIVE, True),
        ("DROP INDEX CONCURRENTLY ix", "DROP INDEX", ("ix",), SHARE_UPDATE_EXCLUSIVE, False),
        (
            "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id)",
            "ALTER TABLE",
            ("t", "u"),
            SHARE_ROW_EXCLUSIVE,
            True,
        ),
        (
            "ALTER TABLE t VALIDATE CONSTRAINT fk",
            "ALTER TABLE",
            ("t",),
            SHARE_UPDATE_EXCLUSIVE,
            True,
        ),
        ("ALTER TABLE t ADD COLUMN c int", "ALTER TABLE", ("t",), ACCESS_EXCLUSIVE, True),
        ("VACUUM FULL t", "VACUUM FULL", ("t",), ACCESS_EXCLUSIVE, False),
        ("REINDEX INDEX CONCURRENTLY ix", "REINDEX", ("ix",), SHARE_UPDATE_EXCLUSIVE, False),
        ("LOCK TABLE t IN SHARE MODE", "LOCK TABLE", ("t",), SHARE, True),
        (
            "CREATE TABLE n (id int REFERENCES u (id))",
            "CREATE TABLE",
            ("u",),
            SHARE_ROW_EXCLUSIVE,
            True,
        ),
        ("ALTER TABLE t RENAME COLUMN a TO b", "RENAME COLUMN", ("t",), ACCESS_EXCLUSIVE, True),
        ("CLUSTER t USING ix", "CLUSTER", ("t",), ACCESS_EXCLUSIVE, True),
        (
            "REFRESH MATERIALIZED VIEW CONCURRENTLY mv",
            "REFRESH MATERIALIZED VIEW",
            ("mv",),
            "EXCLUSIVE",
            True,
        ),
    ],
)
def test_statement_facts(
    sql: str, tag: str, tables: tuple[str, ...], lock: str, transactional: bool
) -> None:
    statement = one(sql)
    assert (statement.tag, statement.tables, statement.lock, statement.transactional) == (
        tag,
        tables,
        lock,
        transactional,
    )


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("ALTER TABLE users DROP COLUMN email", 'drops column "users"."email"'),
        ("DROP TABLE users", 'drops table "users"'),
        ("DROP TABLE IF EXISTS a, b CASCADE", 'drops table "a", "b"'),
        ("TRUNCATE users", "truncates users"),
        ("TRUNCATE users CASCADE", "CASCADE also empties"),
        ("DELETE FROM users", 'deletes every row of "users"'),
        ("UPDATE users SET name = 'x', email = NULL", "overwrites name, email in every row"),
        ("DROP SCHEMA legacy CASCADE", "every table in it"),
        ("DROP DATABASE other", 'drops database "other"'),
    ],
)
def test_destructive_statements(sql: str, reason: str) -> None:
    destructive = one(sql).destructive
    assert destructive is not None and reason in destructive


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM users WHERE id = 1",
        "UPDATE users SET name = 'x' WHERE id > 10",
        "ALTER TABLE users ADD COLUMN x int",
        "DROP INDEX ix_users",
        "DROP VIEW v",
        "INSERT INTO users (name) VALUES ('a')",
    ],
)
def test_safe_statements_are_not_destructive(sql: str) -> None:
    assert one(sql).destructive is None


def test_multi_statement_strings_are_split_with_their_text() -> None:
    statements = sqlparse.parse("SELECT 'é;'; DELETE FROM t;\nUPDATE t SET a = 1 WHERE b = 2")
    assert [s.text for s in statements] == [
        "SELECT 'é;'",
        "DELETE FROM t",
        "UPDATE t SET a = 1 WHERE b = 2",
    ]
    assert [s.has_where for s in statements] == [None, False, True]


def test_type_change_is_recorded_with_new_type_and_using() -> None:
    (change,) = one("ALTER TABLE t ALTER COLUMN c TYPE varchar(20) USING c::varchar").type_changes
    assert (change.table, change.column, change.new_type) == ("t", "c", "varchar(20)")
    assert change.using is not None and "varchar" in change.using


def test_transaction_control_statements() -> None:
    assert [s.transaction_control for s in sqlparse.parse("BEGIN; COMMIT; ROLLBACK")] == [
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
    ]


def test_unparseable_sql_is_kept_with_the_parser_error() -> None:
    statement = one("SELEC oops")
    assert statement.kind == "Unparsed" and statement.error and "syntax error" in statement.error


def test_columns_an_update_sets_and_an_alter_adds_or_drops() -> None:
    assert one("UPDATE users SET a = 1, b = b + 1 WHERE id = 2").assigned_columns() == ("a", "b")
    alter = one("ALTER TABLE users ADD COLUMN c int, DROP COLUMN d, ADD COLUMN e text")
    assert alter.added_columns() == ("c", "e")
    assert alter.dropped_columns() == ("d",)
    assert one("SELECT 1").assigned_columns() == one("SELECT 1").added_columns() == ()


def test_a_statement_judged_harmless_keeps_its_text_node_and_lock() -> None:
    update = one("UPDATE users SET slug = lower(name)")
    assert update.destructive
    harmless = update.without_destruction()
    assert harmless.destructive is None
    assert (harmless.text, harmless.lock, harmless.node) == (update.text, update.lock, update.node)
    assert update.destructive  # the cached statement itself is unchanged


def test_names_compare_as_postgresql_resolves_them() -> None:
    assert sqlparse.normal_name('"public"."users"') == "users"
    assert sqlparse.normal_name("app.users") == "app.users"
    assert sqlparse.normal_name(None) == ""
