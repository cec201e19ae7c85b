"""Checks: facts about the live catalog that must hold before or after a revision.

A :class:`Check` is a SQL boolean expression (literals rendered, no parameters) plus the
words to explain it.  The same check is evaluated online by the guard
(:func:`evaluate`) and rendered offline into the reviewed SQL script's ``DO $$ ... RAISE EXCEPTION``
validation block (:func:`render_do_block`), so what the SQL script checks and what the
guarded upgrade checks cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

COLLECTOR = "alembic_safe_collected_checks"
"""Key in ``MigrationContext.opts``: when set to a list, requirements are collected, not run."""


def literal(value: str) -> str:
    """A PostgreSQL string literal that means ``value`` whatever ``standard_conforming_strings`` is.

    A value with a backslash is written as an escape string (``E'a\\\\b'``), which both
    settings read alike; with ``standard_conforming_strings = off`` a plain ``'a\\'`` would
    end later than it seems, and what follows would run as SQL.
    """
    quoted = value.replace("'", "''")
    if "\\" in value:
        return "E'" + quoted.replace("\\", "\\\\") + "'"
    return "'" + quoted + "'"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def regclass_literal(schema: str | None, name: str) -> str:
    """``'"schema"."name"'`` for ``to_regclass``; unqualified names follow search_path."""
    qualified = f"{quote_ident(schema)}.{quote_ident(name)}" if schema else quote_ident(name)
    return literal(qualified)


def display(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


@dataclass(frozen=True)
class Requirement:
    """The ``op.require_*`` call that states the same fact, for generated revision code."""

    operation: str
    """``require_table``, ``require_column``, ``require_index`` or ``require_constraint``."""
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...] = ()


def _requirement(
    operation: str, args: tuple[Any, ...], schema: str | None, **kwargs: Any
) -> Requirement:
    items = [(k, v) for k, v in kwargs.items() if v is not None]
    if schema:
        items.append(("schema", schema))
    return Requirement(operation, args, tuple(items))


@dataclass(frozen=True)
class Check:
    """One fact to verify; ``condition`` is true when the fact holds."""

    description: str
    """What must be true, in words: ``table "users" exists``."""
    condition: str
    """SQL boolean expression."""
    expected: str
    found_when_false: str
    found_sql: str | None = None
    """Optional SQL returning the value found, for messages (``require_sql``)."""
    origin: str = ""
    """Where the check comes from: ``derived from add_column (line 12)``, ``preconditions()``."""
    requirement: Requirement | None = None
    """The equivalent ``op.require_*`` call, when there is one."""

    def with_origin(self, origin: str) -> Check:
        return replace(self, origin=origin)

    def with_requirement(self, requirement: Requirement) -> Check:
        return replace(self, requirement=requirement)


_RELATION = "EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass({rel}) AND c.relkind IN ({kinds}))"


def table_exists(schema: str | None, table: str, present: bool = True) -> Check:
    rel = regclass_literal(schema, table)
    condition = _RELATION.format(rel=rel, kinds="'r', 'p', 'f', 'v', 'm'")
    name = display(schema, table)
    check = _presence(f'table "{name}"', condition, present)
    return check.with_requirement(
        _requirement("require_table", (table,), schema, exists=None if present else False)
    )


def column_exists(schema: str | None, table: str, column: str, present: bool = True) -> Check:
    condition = (
        "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = "
        f"to_regclass({regclass_literal(schema, table)}) AND a.attname = {literal(column)} "
        "AND a.attnum > 0 AND NOT a.attisdropped)"
    )
    check = _presence(f'column "{display(schema, table)}"."{column}"', condition, present)
    return check.with_requirement(
        _requirement("require_column", (table, column), schema, exists=None if present else False)
    )


def column_not_null(schema: str | None, table: str, column: str, not_null: bool) -> Check:
    condition = (
        "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = "
        f"to_regclass({regclass_literal(schema, table)}) AND a.attname = {literal(column)} "
        f"AND NOT a.attisdropped AND a.attnotnull = {'true' if not_null else 'false'})"
    )
    what = f'column "{display(schema, table)}"."{column}"'
    return Check(
        description=f"{what} is {'NOT NULL' if not_null else 'nullable'}",
        condition=condition,
        expected="NOT NULL" if not_null else "nullable",
        found_when_false="nullable" if not_null else "NOT NULL (or missing)",
        requirement=_requirement("require_column", (table, column), schema, nullable=not not_null),
    )


def index_exists(schema: str | None, index: str, present: bool = True) -> Check:
    condition = _RELATION.format(rel=regclass_literal(schema, index), kinds="'i', 'I'")
    check = _presence(f'index "{display(schema, index)}"', condition, present)
    return check.with_requirement(
        _requirement("require_index", (index,), schema, exists=None if present else False)
    )


def relation_name_free(schema: str | None, name: str, kind: str = "table") -> Check:
    """No relation uses ``name``; ``kind`` (``table`` or ``index``) is what will take it."""
    condition = f"to_regclass({regclass_literal(schema, name)}) IS NULL"
    return Check(
        description=f'the name "{display(schema, name)}" is free',
        condition=condition,
        expected="no relation with this name",
        found_when_false="a table, index, view or sequence already uses it",
        requirement=_requirement(
            "require_index" if kind == "index" else "require_table", (name,), schema, exists=False
        ),
    )


def constraint_exists(
    schema: str | None, table: str, constraint: str, present: bool = True
) -> Check:
    condition = (
        "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conrelid = "
        f"to_regclass({regclass_literal(schema, table)}) AND k.conname = {literal(constraint)})"
    )
    what = f'constraint "{constraint}" on "{display(schema, table)}"'
    check = _presence(what, condition, present)
    return check.with_requirement(
        _requirement(
            "require_constraint", (table, constraint), schema, exists=None if present else False
        )
    )


def sql_equals(query: str, expected: str, message: str | None = None) -> Check:
    """``(query) = expected``: the query must return one value; ``expected`` is SQL."""
    condition = f"(({query.strip().rstrip(';')}) IS NOT DISTINCT FROM {expected})"
    return Check(
        description=message or f"({query.strip().rstrip(';')}) = {expected}",
        condition=condition,
        expected=expected,
        found_when_false="(see value)",
        found_sql=query.strip().rstrip(";"),
    )


def sql_true(query: str, message: str | None = None) -> Check:
    """A boolean SQL expression or query that must be true."""
    condition = f"coalesce(({query.strip().rstrip(';')}), false)"
    return Check(
        description=message or query.strip().rstrip(";"),
        condition=condition,
        expected="true",
        found_when_false="false",
    )


def _presence(what: str, condition: str, present: bool) -> Check:
    if present:
        return Check(f"{what} exists", condition, "present", "missing")
    return Check(f"{what} does not exist", f"NOT {condition}", "absent", "present")


@dataclass(frozen=True)
class CheckFailure:
    check: Check
    found: str

    def format(self) -> str:
        origin = f" [{self.check.origin}]" if self.check.origin else ""
        return (
            f"{self.check.description}: expected {self.check.expected}, found {self.found}{origin}"
        )


def unique(checks: Sequence[Check]) -> list[Check]:
    """The checks without repeats of the same condition (derived and also written out)."""
    seen: set[str] = set()
    result = []
    for check in checks:
        if check.condition not in seen:
            seen.add(check.condition)
            result.append(check)
    return result


def evaluate(connection: Connection, checks: Sequence[Check]) -> list[CheckFailure]:
    """Evaluate every distinct check in one round trip; return the ones that do not hold."""
    checks = unique(checks)
    if not checks:
        return []
    columns = ", ".join(f"({c.condition}) AS c{i}" for i, c in enumerate(checks))
    row = connection.execute(text(f"SELECT {columns}")).one()
    failures = []
    for i, check in enumerate(checks):
        if row[i]:
            continue
        found = check.found_when_false
        if check.found_sql:
            value = connection.execute(text(check.found_sql)).scalar()
            found = repr(value)
        failures.append(CheckFailure(check, found))
    return failures


def dollar_tag(body: str, base: str = "alembic_safe") -> str:
    """A dollar-quote tag (``$alembic_safe$``, ``$alembic_safe_1$``...) that ``body`` does not contain."""
    tag = f"${base}$"
    number = 0
    while tag in body:
        number += 1
        tag = f"${base}_{number}$"
    return tag


def render_do_block(checks: Sequence[Check], title: str) -> str:
    """The reviewed script's validation block: one ``IF NOT (...) THEN RAISE EXCEPTION`` per check.

    The block is dollar-quoted with a tag that occurs nowhere inside it, so no condition or
    message can end it early.
    """
    body = ["BEGIN"]
    for check in unique(checks):
        message = f"{title.lower()} failed: {check.description} (expected {check.expected})"
        body.append(f"    IF NOT ({check.condition}) THEN")
        body.append(f"        RAISE EXCEPTION {literal(message.replace('%', '%%'))};")
        body.append("    END IF;")
    text = "\n".join(body)
    tag = dollar_tag(text)
    return "\n".join([f"-- {title}", f"DO {tag}", text, f"END {tag};"])
