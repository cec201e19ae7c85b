"""Stand-in for sqlalchemy-searchable: the search trigger helpers used in migrations.

``sync_trigger`` does what the library does: reflect the table (a database read),
drop and re-create the search trigger and its function, then touch every row
(``UPDATE t SET col = col``) so the trigger fills the search vector.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

DEFAULT_OPTIONS = {
    "search_trigger_name": "{table}_{column}_trigger",
    "search_trigger_function_name": "{table}_{column}_update",
    "regconfig": "pg_catalog.english",
    "weights": (),
}

sql_expressions = """
CREATE OR REPLACE FUNCTION parse_websearch(config regconfig, search_query text)
RETURNS tsquery AS $$
SELECT websearch_to_tsquery(config, search_query);
$$ LANGUAGE SQL IMMUTABLE;

CREATE OR REPLACE FUNCTION parse_websearch(search_query text)
RETURNS tsquery AS $$
SELECT parse_websearch('pg_catalog.simple', search_query);
$$ LANGUAGE SQL IMMUTABLE;
"""


class _Vectorizer:
    def __init__(self) -> None:
        self.funcs: dict[Any, Callable[..., Any]] = {}

    def __call__(self, *columns: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(func: Callable[..., Any]) -> Callable[..., Any]:
            for column in columns:
                self.funcs[column] = func
            return func

        return register

    def clear(self) -> None:
        self.funcs.clear()

    def __contains__(self, column: Any) -> bool:
        return column in self.funcs


vectorizer = _Vectorizer()


def _table(conn: Any, table: Any, metadata: sa.MetaData | None) -> sa.Table:
    if isinstance(table, sa.Table):
        return table
    return sa.Table(table, metadata or sa.MetaData(), autoload_with=conn)


def _names(table: sa.Table, column: str, options: dict[str, Any]) -> tuple[str, str, str]:
    full = f'{table.schema}."{table.name}"' if table.schema else f'"{table.name}"'
    trigger = options["search_trigger_name"].format(table=table.name, column=column)
    function = options["search_trigger_function_name"].format(table=table.name, column=column)
    return full, trigger, function


def drop_trigger(conn: Any, table_name: Any, tsvector_column: str, metadata=None, options=None):
    opts = {**DEFAULT_OPTIONS, **(options or {})}
    table = _table(conn, table_name, metadata)
    full, trigger, function = _names(table, tsvector_column, opts)
    conn.execute(sa.text(f"DROP TRIGGER IF EXISTS {trigger} ON {full}"))
    conn.execute(sa.text(f"DROP FUNCTION IF EXISTS {function}()"))


def sync_trigger(
    conn: Any, table_name: Any, tsvector_column: str, indexed_columns, metadata=None, options=None
):
    opts = {**DEFAULT_OPTIONS, **(options or {})}
    table = _table(conn, table_name, metadata)
    full, trigger, function = _names(table, tsvector_column, opts)
    drop_trigger(conn, table, tsvector_column, metadata, options)
    vector = " || ".join(
        f"to_tsvector('{opts['regconfig']}', coalesce(NEW.{c}::text, ''))" for c in indexed_columns
    )
    conn.execute(
        sa.text(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS TRIGGER AS $$\n"
            f"BEGIN\n  NEW.{tsvector_column} = {vector};\n  RETURN NEW;\nEND\n"
            "$$ LANGUAGE plpgsql"
        )
    )
    conn.execute(
        sa.text(
            f"CREATE TRIGGER {trigger} BEFORE UPDATE OR INSERT ON {full} "
            f"FOR EACH ROW EXECUTE PROCEDURE {function}()"
        )
    )
    first = indexed_columns[0]
    conn.execute(sa.text(f"UPDATE {full} SET {first} = {first}"))
