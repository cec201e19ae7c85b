"""Classifying a column type change: no-op, metadata only, rewrite, or narrowing.

PostgreSQL skips the table rewrite when the new type is binary coercible and no wider
check is needed (``varchar(n)`` -> ``varchar(m >= n)``, ``varchar`` -> ``text``,
``numeric(p, s)`` -> ``numeric(p' >= p, s)``, ``cidr`` -> ``inet``...).  A narrowing change
loses data or fails on existing rows (shorter strings, smaller integers, fewer decimals).
Types are compared as PostgreSQL spells them in ``format_type()`` or as SQLAlchemy
renders them for the PostgreSQL dialect; both spellings are normalised here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class TypeChange(str, Enum):
    SAME = "same"
    METADATA = "metadata"  # no rewrite, no scan
    REWRITE = "rewrite"  # table (and its indexes) rewritten under ACCESS EXCLUSIVE
    NARROWING = "narrowing"  # values may be cut, rounded or rejected
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PgType:
    family: str
    args: tuple[int, ...] = ()
    array: bool = False

    def __str__(self) -> str:
        inner = f"{self.family}({', '.join(map(str, self.args))})" if self.args else self.family
        return inner + ("[]" if self.array else "")


_ALIASES = {
    "character varying": "varchar",
    "varchar": "varchar",
    "string": "varchar",
    "character": "char",
    "char": "char",
    "bpchar": "char",
    "text": "text",
    "citext": "citext",
    "integer": "int4",
    "int": "int4",
    "int4": "int4",
    "serial": "int4",
    "serial4": "int4",
    "bigint": "int8",
    "int8": "int8",
    "bigserial": "int8",
    "serial8": "int8",
    "smallint": "int2",
    "int2": "int2",
    "smallserial": "int2",
    "numeric": "numeric",
    "decimal": "numeric",
    "real": "float4",
    "float4": "float4",
    "double precision": "float8",
    "float8": "float8",
    "float": "float8",
    "boolean": "bool",
    "bool": "bool",
    "timestamp without time zone": "timestamp",
    "timestamp": "timestamp",
    "timestamp with time zone": "timestamptz",
    "timestamptz": "timestamptz",
    "time without time zone": "time",
    "time": "time",
    "time with time zone": "timetz",
    "timetz": "timetz",
    "date": "date",
    "interval": "interval",
    "bit varying": "varbit",
    "varbit": "varbit",
    "bit": "bit",
    "uuid": "uuid",
    "json": "json",
    "jsonb": "jsonb",
    "bytea": "bytea",
    "inet": "inet",
    "cidr": "cidr",
}
_INT_RANK = {"int2": 2, "int4": 4, "int8": 8}
_STRINGS = {"varchar", "text", "citext"}


def parse_type(spelling: str) -> PgType:
    """Normalise ``VARCHAR(20)``, ``character varying(20)``, ``pg_catalog.int4``, ..."""
    text = spelling.strip().lower().replace('"', "")
    text = re.sub(r"^pg_catalog\.", "", text)
    array = text.endswith("[]")
    text = text.removesuffix("[]").strip()
    args: tuple[int, ...] = ()
    match = re.match(r"^(.*?)\s*\(([\d\s,]+)\)\s*(.*)$", text)
    if match:
        base, raw_args, rest = match.groups()
        args = tuple(int(a) for a in raw_args.split(",") if a.strip())
        text = f"{base} {rest}".strip()
    text = re.sub(r"\s+", " ", text)
    family = _ALIASES.get(text, text)
    if family == "timestamp" and "with time zone" in text:
        family = "timestamptz"
    return PgType(family=family, args=args, array=array)


def _bounded_length(t: PgType) -> int | None:
    return t.args[0] if t.args else None


def classify(old: str, new: str) -> tuple[TypeChange, str]:
    """Return (kind, reason in plain words) for changing a column from ``old`` to ``new``."""
    a, b = parse_type(old), parse_type(new)
    if a == b:
        return TypeChange.SAME, "the type does not change"
    if a.array != b.array:
        return TypeChange.REWRITE, f"{a} -> {b} converts between arrays and scalars"
    fam_a, fam_b = a.family, b.family
    if fam_a in _STRINGS | {"char"} and fam_b in _STRINGS:
        len_a, len_b = _bounded_length(a), _bounded_length(b)
        if fam_a == "char":
            if len_b is not None and (len_a is None or len_b < len_a):
                return TypeChange.NARROWING, f"{a} -> {b} can cut values longer than {len_b}"
            return TypeChange.REWRITE, f"{a} -> {b} rewrites the table (char pads with blanks)"
        if len_b is None:
            if fam_b == "citext" or fam_a == "citext":
                return TypeChange.REWRITE, f"{a} -> {b} changes the collation behaviour"
            return TypeChange.METADATA, f"{a} -> {b} is binary coercible (no rewrite)"
        if len_a is None or len_b < len_a:
            return (
                TypeChange.NARROWING,
                f"{a} -> {b} rejects existing values longer than {len_b} characters",
            )
        return TypeChange.METADATA, f"{a} -> {b} widens the limit (no rewrite)"
    if fam_a in _INT_RANK and fam_b in _INT_RANK:
        if _INT_RANK[fam_b] < _INT_RANK[fam_a]:
            return TypeChange.NARROWING, f"{a} -> {b} rejects values outside the smaller range"
        return TypeChange.REWRITE, f"{a} -> {b} rewrites the table and its indexes"
    if fam_a == "numeric" and fam_b == "numeric":
        if not b.args:
            return TypeChange.METADATA, f"{a} -> {b} removes the precision limit (no rewrite)"
        if not a.args:
            return TypeChange.NARROWING, f"{a} -> {b} can round or reject existing values"
        prec_a, scale_a = a.args[0], a.args[1] if len(a.args) > 1 else 0
        prec_b, scale_b = b.args[0], b.args[1] if len(b.args) > 1 else 0
        if scale_b < scale_a:
            return TypeChange.NARROWING, f"{a} -> {b} rounds away {scale_a - scale_b} decimals"
        if prec_b - scale_b < prec_a - scale_a:
            return TypeChange.NARROWING, f"{a} -> {b} rejects values with more integer digits"
        if scale_b == scale_a and prec_b >= prec_a:
            return TypeChange.METADATA, f"{a} -> {b} raises the precision (no rewrite)"
        return TypeChange.REWRITE, f"{a} -> {b} changes the scale and rewrites the table"
    if fam_a in _INT_RANK and fam_b == "numeric":
        return TypeChange.REWRITE, f"{a} -> {b} rewrites the table"
    if fam_a in {"float4", "float8"} and fam_b in {"float4", "float8"}:
        if fam_a == "float8" and fam_b == "float4":
            return TypeChange.NARROWING, f"{a} -> {b} loses precision"
        return TypeChange.REWRITE, f"{a} -> {b} rewrites the table"
    if fam_a in {"timestamp", "timestamptz", "time", "timetz", "interval"} and fam_a == fam_b:
        prec_a = a.args[0] if a.args else 6
        prec_b = b.args[0] if b.args else 6
        if prec_b < prec_a:
            return TypeChange.NARROWING, f"{a} -> {b} rounds away fractional seconds"
        return TypeChange.METADATA, f"{a} -> {b} raises the precision (no rewrite)"
    if {fam_a, fam_b} == {"timestamp", "timestamptz"}:
        return (
            TypeChange.REWRITE,
            f"{a} -> {b} rewrites the table unless the session TimeZone is UTC (PostgreSQL 12+)",
        )
    if fam_a == "cidr" and fam_b == "inet":
        return TypeChange.METADATA, f"{a} -> {b} is binary coercible (no rewrite)"
    if fam_a == "varbit" and fam_b == "varbit":
        len_a, len_b = _bounded_length(a), _bounded_length(b)
        if len_b is not None and (len_a is None or len_b < len_a):
            return TypeChange.NARROWING, f"{a} -> {b} rejects longer bit strings"
        return TypeChange.METADATA, f"{a} -> {b} widens the limit (no rewrite)"
    if fam_b in _STRINGS and len(b.args) == 0:
        return TypeChange.REWRITE, f"{a} -> {b} rewrites the table as text"
    if fam_b in _STRINGS | {"char"}:
        return TypeChange.NARROWING, f"{a} -> {b} can cut the text form of existing values"
    return TypeChange.REWRITE, f"{a} -> {b} rewrites the table; the cast can fail on existing rows"
