"""SQL text of the safe operations, shared by the online and the offline (``--sql``) paths.

Identifiers are quoted the way SQLAlchemy's PostgreSQL dialect quotes them (only when
needed), so the offline script reads like Alembic's own output.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import ClauseElement

from alembic_safe.checks import dollar_tag, literal

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]
_PREPARER = _DIALECT.identifier_preparer
NAMEDATALEN = 64
"""PostgreSQL's identifier limit is NAMEDATALEN - 1 bytes."""


def ident(name: str) -> str:
    """``name`` quoted for PostgreSQL when it needs quotes."""
    return str(_PREPARER.quote(name))


def qualified(schema: str | None, name: str) -> str:
    """``schema.name`` (quoted as needed), or ``name``."""
    if schema:
        return f"{_PREPARER.quote_schema(schema)}.{ident(name)}"
    return ident(name)


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` bytes of ``text`` in UTF-8, never splitting a character."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode(errors="ignore")


def object_name(name1: str, name2: str | None, label: str) -> str:
    """The name PostgreSQL chooses for a constraint or sequence (``makeObjectName``).

    ``users`` + ``email`` + ``key`` -> ``users_email_key``; when too long, the longer of
    the two parts is shortened first, exactly as PostgreSQL does.
    """
    overhead = len(label.encode()) + 1 + (1 if name2 else 0)
    available = NAMEDATALEN - 1 - overhead
    len1 = len(name1.encode())
    len2 = len(name2.encode()) if name2 else 0
    while len1 + len2 > available:
        if len1 > len2:
            len1 -= 1
        else:
            len2 -= 1
    parts = [_clip(name1, len1)]
    if name2:
        parts.append(_clip(name2, len2))
    parts.append(label)
    return "_".join(parts)


def not_null_check_name(table: str, column: str) -> str:
    """The temporary CHECK constraint of :func:`add_not_null`.

    Not ``<table>_<column>_not_null``: PostgreSQL 18 gives that name to the column's own
    NOT NULL constraint.
    """
    return object_name(table, column, "not_null_check")


def expression(value: Any) -> str:
    """SQL text of a ``set=`` value: a string is SQL as is; a SQLAlchemy expression is compiled."""
    if isinstance(value, ClauseElement):
        return str(value.compile(dialect=_DIALECT, compile_kwargs={"literal_binds": True}))
    if isinstance(value, str):
        return value
    raise TypeError(
        f"backfill set= values must be SQL strings or SQLAlchemy expressions, not {type(value).__name__}"
    )


def set_clause(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{ident(column)} = {expression(value)}" for column, value in values.items())


def still_needed(values: Mapping[str, Any]) -> str:
    """Rows whose columns differ from the new values: the default backfill condition."""
    columns = [ident(c) for c in values]
    exprs = [expression(v) for v in values.values()]
    if len(columns) == 1:
        return f"{columns[0]} IS DISTINCT FROM ({exprs[0]})"
    return f"({', '.join(columns)}) IS DISTINCT FROM ({', '.join(exprs)})"


def backfill_batch(
    schema: str | None,
    table: str,
    *,
    values: Mapping[str, Any],
    where: str | None,
    key: str,
    batch_size: int,
    after: str,
    as_text: bool = False,
    skip_locked: bool = False,
) -> str:
    """One batch: the next ``batch_size`` rows by ``key`` after ``after`` that need the change.

    Returns one row: the number of rows updated and the last key of the batch (as text
    with ``as_text``, to be written back as a literal cast to the key's type).  With
    ``skip_locked`` rows another session has locked are left for a later pass instead of
    waited for (the batch then never holds its row locks while it waits).
    """
    target = qualified(schema, table)
    key_ = ident(key)
    condition = where if where is not None else still_needed(values)
    lock = "FOR UPDATE SKIP LOCKED" if skip_locked else "FOR UPDATE"
    return (
        f"WITH batch AS (SELECT {key_} AS alembic_safe_key FROM {target} "
        f"WHERE ({after}) AND ({condition}) ORDER BY {key_} LIMIT {int(batch_size)} {lock}), "
        f"updated AS (UPDATE {target} SET {set_clause(values)} FROM batch "
        f"WHERE {target}.{key_} = batch.alembic_safe_key RETURNING {target}.{key_} AS k) "
        "SELECT count(*) AS n, (array_agg(k ORDER BY k DESC))[1]"
        + ("::text" if as_text else "")
        + " AS last_key FROM updated"
    )


def backfill_remaining(
    schema: str | None, table: str, *, values: Mapping[str, Any], where: str | None, key: str
) -> str:
    """The rows still to change: their number and the smallest key (as text), in one scan."""
    condition = where if where is not None else still_needed(values)
    return (
        f"SELECT count(*), min({ident(key)})::text FROM {qualified(schema, table)} "
        f"WHERE {condition}"
    )


def backfill_do_block(
    schema: str | None,
    table: str,
    *,
    values: Mapping[str, Any],
    where: str | None,
    key: str,
    batch_size: int,
) -> str:
    """The offline form of a backfill: a DO block that commits after every batch.

    It must run outside a transaction block (PostgreSQL >= 11 allows COMMIT in a top-level
    DO block), which is why the operation emits it between ``COMMIT;`` and ``BEGIN;``.
    """
    target = qualified(schema, table)
    column = f"{target}.{ident(key)}"
    batch = backfill_batch(
        schema,
        table,
        values=values,
        where=where,
        key=key,
        batch_size=batch_size,
        after=f"alembic_safe_last IS NULL OR {ident(key)} > alembic_safe_last",
    )
    body = "\n".join(
        [
            "DECLARE",
            f"    alembic_safe_last {column}%TYPE;",
            f"    alembic_safe_next {column}%TYPE;",
            "    alembic_safe_rows bigint;",
            "    alembic_safe_total bigint := 0;",
            "BEGIN",
            "    LOOP",
            f"        {batch}",
            "        INTO alembic_safe_rows, alembic_safe_next;",
            "        EXIT WHEN alembic_safe_rows = 0;",
            "        alembic_safe_last := alembic_safe_next;",
            "        alembic_safe_total := alembic_safe_total + alembic_safe_rows;",
            "        COMMIT;",
            f"        RAISE NOTICE 'backfill %: % rows so far', {literal(table)}, alembic_safe_total;",
            "    END LOOP;",
        ]
    )
    tag = dollar_tag(body)  # user SQL is inside: the tag must not occur in it
    return f"DO {tag}\n{body}\nEND {tag}"


def column_list(columns: Sequence[str]) -> str:
    return ", ".join(ident(c) for c in columns)
