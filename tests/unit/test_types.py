"""Column type changes: which ones rewrite, which ones narrow, which ones are free."""

from __future__ import annotations

import pytest

from alembic_safe.capture.types import TypeChange, classify, parse_type


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("character varying(100)", "VARCHAR(200)", TypeChange.METADATA),
        ("varchar(100)", "TEXT", TypeChange.METADATA),
        ("character varying", "text", TypeChange.METADATA),
        ("numeric(10, 2)", "numeric(12, 2)", TypeChange.METADATA),
        ("numeric(10,2)", "numeric", TypeChange.METADATA),
        ("cidr", "inet", TypeChange.METADATA),
        ("timestamp(3) without time zone", "timestamp without time zone", TypeChange.METADATA),
        ("integer", "bigint", TypeChange.REWRITE),
        ("smallint", "integer", TypeChange.REWRITE),
        ("real", "double precision", TypeChange.REWRITE),
        ("text", "jsonb", TypeChange.REWRITE),
        ("timestamp without time zone", "timestamp with time zone", TypeChange.REWRITE),
        ("varchar(100)", "varchar(50)", TypeChange.NARROWING),
        ("text", "varchar(20)", TypeChange.NARROWING),
        ("bigint", "integer", TypeChange.NARROWING),
        ("integer", "SMALLINT", TypeChange.NARROWING),
        ("numeric(10, 4)", "numeric(10, 2)", TypeChange.NARROWING),
        ("numeric(10, 2)", "numeric(8, 2)", TypeChange.NARROWING),
        ("double precision", "real", TypeChange.NARROWING),
        ("timestamp(6) with time zone", "timestamptz(0)", TypeChange.NARROWING),
        ("integer", "INTEGER", TypeChange.SAME),
    ],
)
def test_classify(old: str, new: str, kind: TypeChange) -> None:
    assert classify(old, new)[0] is kind


def test_reason_names_both_types() -> None:
    kind, reason = classify("character varying(100)", "VARCHAR(10)")
    assert kind is TypeChange.NARROWING
    assert "varchar(100) -> varchar(10)" in reason and "longer than 10" in reason


def test_parse_type_normalises_spellings() -> None:
    assert parse_type("pg_catalog.int4") == parse_type("INTEGER")
    assert str(parse_type("character varying(20)[]")) == "varchar(20)[]"
