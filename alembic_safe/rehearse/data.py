"""Rows on the scratch database: checksums that survive a round trip, and seed rows.

:func:`checksums` gives, per table, the row count and an order-independent checksum of
the rows over the named columns (the sum of a 64-bit hash of each row's text), so the
same rows in another physical order, or the same columns in another position, give the
same checksum.

:func:`seed` writes a few rows into empty tables, so that a round trip has data to lose:
values come from the column types (numbers, strings cut to the column's length, dates,
uuids, enum labels, json...), NOT NULL columns are always filled, foreign keys point at
rows of the referenced table (seeded first when it is empty), and every row differs from
the others so single-column unique keys hold.  A table whose rows PostgreSQL refuses
(a check constraint, a trigger, a type without a generator) is reported with the reason,
never half-filled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.engine import Connection

from alembic_safe.checks import literal, quote_ident
from alembic_safe.pg.catalog import regclass_text

SEED_ROWS = 3


def qualified_sql(key: str) -> str:
    """``schema.table`` -> ``"schema"."table"`` (the key as :mod:`.snapshot` writes it)."""
    schema, _, name = key.rpartition(".")
    return f"{quote_ident(schema)}.{quote_ident(name)}" if schema else quote_ident(name)


def checksum_sql(key: str, columns: Sequence[str]) -> str:
    """``SELECT count, checksum`` of the table ``key`` over ``columns`` (sorted by name)."""
    row = ", ".join(quote_ident(c) for c in sorted(columns))
    digest = f"md5(ROW({row})::text)" if columns else "''"
    return (
        f"SELECT count(*), coalesce(sum(('x' || substr({digest}, 1, 16))::bit(64)::bigint"
        f"::numeric), 0)::text FROM {qualified_sql(key)}"
    )


def checksums(
    connection: Connection, tables: Mapping[str, Sequence[str]]
) -> dict[str, tuple[int, str]]:
    """Row count and checksum per table ``schema.name``, over the given columns."""
    result: dict[str, tuple[int, str]] = {}
    for key, columns in tables.items():
        count, digest = connection.execute(text(checksum_sql(key, columns))).one()
        result[key] = (int(count), str(digest))
    return result


@dataclass(frozen=True)
class Measure:
    """Rows of one table: count, checksum of whole rows, and a checksum per column."""

    rows: int
    whole: str
    """Over all the measured columns together (detects values moved between rows)."""
    columns: dict[str, str]
    """Per column alone, to compare when only some columns are left to compare."""

    def same_as(self, other: Measure, columns: Sequence[str]) -> bool:
        """Same rows over ``columns``: whole rows when all were measured, else per column."""
        if sorted(columns) == sorted(self.columns) == sorted(other.columns):
            return self.rows == other.rows and self.whole == other.whole
        return self.rows == other.rows and all(
            self.columns.get(c) == other.columns.get(c) for c in columns
        )


def _hash_sum(expression: str) -> str:
    return (
        f"coalesce(sum(('x' || substr(md5({expression}), 1, 16))::bit(64)::bigint::numeric), 0)"
        "::text"
    )


def measure(connection: Connection, key: str, columns: Sequence[str]) -> Measure:
    """Count and checksums of the table ``key`` over ``columns``, in one pass."""
    ordered = sorted(columns)
    whole = ", ".join(quote_ident(c) for c in ordered)
    parts = ["count(*)", _hash_sum(f"ROW({whole})::text" if ordered else "''")]
    parts += [_hash_sum(f"ROW({quote_ident(c)})::text") for c in ordered]
    row = connection.execute(text(f"SELECT {', '.join(parts)} FROM {qualified_sql(key)}")).one()
    return Measure(
        int(row[0]), str(row[1]), {c: str(v) for c, v in zip(ordered, row[2:], strict=True)}
    )


# ---------------------------------------------------------------------- seeding


@dataclass
class SeedReport:
    """What :func:`seed` did: rows written per table, and the tables it could not fill."""

    seeded: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    """Table -> why no rows were written."""


_COLUMNS = """
SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, a.atthasdef,
       coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid) ~ '^nextval\\(', false),
       a.attidentity <> '', a.attgenerated <> '',
       coalesce(bt.typname, t.typname), coalesce(bt.typcategory, t.typcategory),
       coalesce(bt.typtype, t.typtype),
       CASE WHEN a.atttypmod > 0 AND coalesce(bt.typname, t.typname) IN ('varchar', 'bpchar')
            THEN a.atttypmod - 4 END,
       CASE WHEN coalesce(bt.typname, t.typname) = 'numeric' AND a.atttypmod > 0
            THEN ((a.atttypmod - 4) >> 16) - ((a.atttypmod - 4) & 65535) END,
       (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e
        WHERE e.enumtypid = coalesce(bt.oid, t.oid))
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = to_regclass(:table) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
"""

_FOREIGN_KEYS = """
SELECT k.oid,
       (SELECT array_agg(a.attname::text ORDER BY x.n) FROM unnest(k.conkey) WITH ORDINALITY x(num, n)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.num),
       rn.nspname || '.' || r.relname,
       (SELECT array_agg(a.attname::text ORDER BY x.n) FROM unnest(k.confkey) WITH ORDINALITY x(num, n)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.num)
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class r ON r.oid = k.confrelid
JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
WHERE k.conrelid = to_regclass(:table) AND k.contype = 'f'
"""

_TABLE = """
SELECT n.nspname || '.' || c.relname, c.relkind FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(:table)
"""


@dataclass(frozen=True)
class _Column:
    name: str
    type: str
    not_null: bool
    has_default: bool
    serial: bool
    identity: bool
    generated: bool
    base: str
    category: str
    typtype: str
    length: int | None
    integer_digits: int | None
    labels: tuple[str, ...]

    @property
    def filled_by_database(self) -> bool:
        return self.identity or self.generated or self.serial


def _value(column: _Column, i: int) -> str | None:
    """A literal for row ``i`` (0-based) of ``column``, or None when there is no generator."""
    n = i + 1
    base, category = column.base, column.category
    if column.typtype == "e" or column.labels:
        return literal(column.labels[i % len(column.labels)]) if column.labels else None
    if category == "A":
        return literal("{}")
    if category == "N":
        if base == "numeric" and column.integer_digits is not None and column.integer_digits < 1:
            return literal(f"0.{n}")
        return literal(str(n))
    if category == "S":
        value = f"seed{n}" if base != "name" else f"seed_{n}"
        if column.length is not None:
            value = value[-column.length :] if column.length < len(value) else value
        return literal(value)
    simple = {
        "bool": "true" if i % 2 == 0 else "false",
        "date": f"2024-01-{n:02d}",
        "timestamp": f"2024-01-01 00:00:{n:02d}",
        "timestamptz": f"2024-01-01 00:00:{n:02d}+00",
        "time": f"00:00:{n:02d}",
        "timetz": f"00:00:{n:02d}+00",
        "interval": f"{n} seconds",
        "uuid": f"00000000-0000-4000-8000-{n:012d}",
        "json": f'{{"seed": {n}}}',
        "jsonb": f'{{"seed": {n}}}',
        "bytea": f"\\x{n:02x}",
        "inet": f"10.0.0.{n}",
        "cidr": f"10.0.{n}.0/24",
        "macaddr": f"08:00:2b:01:02:{n:02x}",
        "xml": f"<seed>{n}</seed>",
        "money": str(n),
        "bit": "1",
        "varbit": "1",
        "tsvector": f"seed{n}",
    }
    if base in simple:
        return literal(simple[base])
    return None


def _columns(connection: Connection, table: str) -> list[_Column]:
    rows = connection.execute(text(_COLUMNS), {"table": regclass_text(table)}).all()
    return [
        _Column(
            name=r[0],
            type=r[1],
            not_null=r[2],
            has_default=r[3],
            serial=r[4],
            identity=r[5],
            generated=r[6],
            base=r[7],
            category=r[8],
            typtype=r[9],
            length=r[10],
            integer_digits=r[11],
            labels=tuple(r[12] or ()),
        )
        for r in rows
    ]


class _Seeder:
    def __init__(self, connection: Connection, rows: int) -> None:
        self.connection = connection
        self.rows = rows
        self.report = SeedReport()
        self.visiting: set[str] = set()

    def table(self, written: str) -> bool:
        """Seed ``written`` if it is an empty table; True when it holds rows afterwards."""
        found = self.connection.execute(text(_TABLE), {"table": regclass_text(written)}).first()
        if found is None or found[1] not in ("r", "p"):
            return False
        key = str(found[0])
        if key in self.report.seeded:
            return True
        if key in self.report.skipped or key in self.visiting:
            return False
        has_rows = self.connection.execute(
            text(f"SELECT EXISTS (SELECT FROM {qualified_sql(key)})")
        ).scalar()
        if has_rows:
            return True
        self.visiting.add(key)
        try:
            return self._fill(key)
        finally:
            self.visiting.discard(key)

    def _fill(self, key: str) -> bool:
        columns = {c.name: c for c in _columns(self.connection, key)}
        references: dict[str, list[Any]] = {}
        for _oid, local, target, remote in self.connection.execute(
            text(_FOREIGN_KEYS), {"table": regclass_text(key)}
        ).all():
            nullable = all(not columns[c].not_null for c in local)
            if target == key or not self.table(target):
                if nullable:
                    continue  # leave the reference NULL
                self.report.skipped[key] = (
                    f"its foreign key ({', '.join(local)}) needs rows in {target}, which "
                    "could not be seeded"
                )
                return False
            select = ", ".join(f"{quote_ident(c)}::text" for c in remote)
            found = self.connection.execute(
                text(f"SELECT {select} FROM {qualified_sql(target)} LIMIT {self.rows}")
            ).all()
            for position, column in enumerate(local):
                references[column] = [row[position] for row in found]
        names: list[str] = []
        values: list[list[str]] = [[] for _ in range(self.rows)]
        for column in columns.values():
            if column.filled_by_database:
                continue
            if column.name in references:
                pool = references[column.name]
                generated = [literal(str(pool[i % len(pool)])) for i in range(self.rows)]
            else:
                candidate = [_value(column, i) for i in range(self.rows)]
                if any(v is None for v in candidate):
                    if column.not_null and not column.has_default:
                        self.report.skipped[key] = (
                            f"column {column.name} is NOT NULL and of type {column.type}, "
                            "for which the rehearsal has no value"
                        )
                        return False
                    continue
                generated = [str(v) for v in candidate]
            names.append(quote_ident(column.name))
            for i in range(self.rows):
                values[i].append(f"CAST({generated[i]} AS {column.type})")
        rows = ", ".join("(" + ", ".join(row) + ")" for row in values)
        statement = (
            f"INSERT INTO {qualified_sql(key)} ({', '.join(names)}) VALUES {rows}"
            if names
            else f"INSERT INTO {qualified_sql(key)} SELECT FROM generate_series(1, {self.rows})"
        )
        savepoint = self.connection.begin_nested()
        try:
            self.connection.execute(text(statement))
        except sa_exc.DBAPIError as exc:
            savepoint.rollback()
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            self.report.skipped[key] = f"PostgreSQL refused the rows: {reason}"
            return False
        savepoint.commit()
        self.report.seeded[key] = self.rows
        return True


def seed(connection: Connection, tables: Sequence[str], rows: int = SEED_ROWS) -> SeedReport:
    """Write ``rows`` rows into each empty table of ``tables`` (names as written in revisions).

    Tables that do not exist (yet) are ignored.  The rows are committed.
    """
    seeder = _Seeder(connection, rows)
    with connection.begin():
        for table in tables:
            seeder.table(table)
    return seeder.report
