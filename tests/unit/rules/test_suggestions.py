"""The exact code a finding suggests, with the user's names: schema= is passed as schema=."""

from __future__ import annotations

from alembic_safe.config import Settings
from alembic_safe.rules import lint_scripts
from tests.unit.rules.test_fixtures import FIXTURES, load_history


def suggestions(fixture: str, rule: str) -> list[str]:
    findings = lint_scripts(load_history(FIXTURES / fixture), Settings())
    return [f.suggestion for f in findings if f.rule == rule]


def test_a_downgrade_is_told_to_drop_a_schema_index_with_schema() -> None:
    assert suggestions("incomplete-downgrade/bad_schema_index.py", "incomplete-downgrade") == [
        'add to downgrade(): op.drop_index("ix_events_title", table_name="contributions", '
        'schema="events")'
    ]


def test_a_drop_index_is_told_to_keep_its_schema() -> None:
    assert suggestions(
        "drop-index-non-concurrently/exempt_column_dropped_next", "drop-index-non-concurrently"
    ) == ['op.drop_index_concurrently("ix_artifact_other", table_name="artifact")']


def test_raw_sql_on_a_schema_table_is_rewritten_with_schema() -> None:
    assert suggestions(
        "create-index-non-concurrently/bad_schema_sql.py", "create-index-non-concurrently"
    ) == ['op.create_index_concurrently("ix_posts_title", "posts", ["title"], schema="sales")']
