"""Rules that read the live catalog with ``check --url``: keys, constraint kinds, functions in use."""

from __future__ import annotations

import json

from tests.support import Database, Project, output


def findings(project: Project, *args: str) -> list[dict[str, object]]:
    result = project.alembic_safe("check", "--format", "json", *args)
    assert result.returncode in (0, 1), output(result)
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


def test_a_lookup_by_a_live_unique_key_is_no_backfill(
    stock_project: Project, database: Database
) -> None:
    database.execute("CREATE TABLE block_type (id int PRIMARY KEY, name text UNIQUE, kind text)")
    stock_project.add(
        "r1",
        "op.execute(\"DELETE FROM block_type WHERE name = 'Debug Print Notification'\")\n"
        "op.execute(\"UPDATE block_type SET kind = 'x' WHERE kind = 'y'\")",
        "pass",
        down=None,
        extra='irreversible = "data fix"',
    )
    offline = findings(stock_project)
    assert [f["line"] for f in offline if f["rule"] == "backfill-in-transaction"] == [23, 24]
    live = findings(stock_project, "--url", database.url)
    assert [f["line"] for f in live if f["rule"] == "backfill-in-transaction"] == [24]


def test_a_raw_drop_constraint_of_a_live_unique_key_is_reported(
    stock_project: Project, database: Database
) -> None:
    database.execute("CREATE TABLE users (id int, email text CONSTRAINT users_email_key UNIQUE)")
    database.execute("ALTER TABLE users ADD CONSTRAINT ck_id CHECK (id > 0)")
    stock_project.add(
        "r1",
        'op.execute("ALTER TABLE users DROP CONSTRAINT users_email_key")\n'
        'op.execute("ALTER TABLE users DROP CONSTRAINT ck_id")',
        "pass",
        down=None,
        extra='irreversible = "test"',
    )
    assert not [f for f in findings(stock_project) if f["rule"] == "drop-unique-constraint"]
    live = [
        f
        for f in findings(stock_project, "--url", database.url)
        if f["rule"] == "drop-unique-constraint"
    ]
    assert [(f["line"], f["severity"]) for f in live] == [(23, "warning")]
    assert 'unique constraint "users_email_key" of "users"' in str(live[0]["message"])


def test_drop_function_names_what_uses_it_in_the_database(
    stock_project: Project, database: Database
) -> None:
    database.execute(
        "CREATE FUNCTION natsort(value text) RETURNS bytea IMMUTABLE LANGUAGE sql"
        " AS $$ SELECT convert_to(value, 'UTF8') $$"
    )
    database.execute("CREATE TABLE contributions (id int, title text)")
    database.execute(
        "CREATE INDEX ix_contributions_title_natsort ON contributions (natsort(title))"
    )
    database.execute("CREATE FUNCTION unused() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$")
    stock_project.add(
        "r1",
        'op.execute("DROP FUNCTION natsort(text)")\nop.execute("DROP FUNCTION unused()")',
        "pass",
        down=None,
        extra='irreversible = "test"',
    )
    assert not [f for f in findings(stock_project) if f["rule"] == "drop-function-in-use"]
    live = [
        f
        for f in findings(stock_project, "--url", database.url)
        if f["rule"] == "drop-function-in-use"
    ]
    assert [(f["line"], f["severity"]) for f in live] == [(23, "error")]
    assert "index ix_contributions_title_natsort" in str(live[0]["message"])
