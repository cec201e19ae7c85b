"""A catalog snapshot of a database, for "is it exactly as before?" comparisons.

:func:`take` reads, for every user schema (extension members and the excluded tables
left out): schemas; tables with their columns (type with length and precision,
nullability, default, identity, generated expression, collation), row-level security,
options and partitioning; constraints (definition, validated); indexes (definition,
validity); views and materialized views (definition); sequences; enums, domains,
composite and range types (with their values); functions and procedures (signature,
result, language, volatility and a hash of the body); triggers; extensions; comments;
grants (normalised, so ``GRANT`` then ``REVOKE`` reads as no grant at all); row-level
security policies; default privileges.  With ``include_data`` every table also gets a
row count and an order-independent checksum of its rows (:mod:`.data`).

Columns are compared by name, not position: a column dropped and added again reads as
the same column, and only the data tells it apart.  Sequence positions are data, not
schema, and are left out.

:func:`diff` says what differs, one :class:`Difference` per object, in plain words
(``column users.name is varchar(100), was varchar(50)``).  :func:`version_tables` finds
Alembic's version tables, which a rehearsal leaves out of the comparison.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from alembic_safe.rehearse import data

Snapshot = dict[str, Any]
"""Section name -> object key -> attributes; plain JSON-able values."""

SECTIONS = (
    "schemas",
    "extensions",
    "types",
    "sequences",
    "tables",
    "views",
    "constraints",
    "indexes",
    "functions",
    "triggers",
    "policies",
    "comments",
    "grants",
    "default_privileges",
)

_USER_SCHEMA = (
    "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
    " AND n.nspname !~ '^pg_(toast_)?temp_'"
)


def _not_extension_member(catalog: str, column: str) -> str:
    return (
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = "
        f"'pg_catalog.{catalog}'::regclass AND e.objid = {column} AND e.deptype = 'e')"
    )


_RELATIONS = f"""
SELECT c.oid, n.nspname, c.relname, c.relkind, c.relpersistence, c.relrowsecurity,
       c.relforcerowsecurity, coalesce(array_to_string(c.reloptions, ','), ''),
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
       CASE WHEN c.relispartition THEN (
           SELECT pn.nspname || '.' || pc.relname FROM pg_catalog.pg_inherits i
           JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
           JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
           WHERE i.inhrelid = c.oid LIMIT 1) END,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END,
       owner.oid,
       CASE WHEN owner.oid IS NOT NULL THEN on_.nspname || '.' || owner.relname || '.' || (
           SELECT a.attname FROM pg_catalog.pg_attribute a
           WHERE a.attrelid = owner.oid AND a.attnum = d.refobjsubid) END,
       pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin,
       s.seqmax, s.seqcache, s.seqcycle
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN pg_catalog.pg_depend d ON c.relkind = 'S' AND d.classid = 'pg_catalog.pg_class'::regclass
     AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass
     AND d.deptype IN ('a', 'i')
LEFT JOIN pg_catalog.pg_class owner ON owner.oid = d.refobjid
LEFT JOIN pg_catalog.pg_namespace on_ ON on_.oid = owner.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {_USER_SCHEMA}
  AND {_not_extension_member("pg_class", "c.oid")}
"""

_COLUMNS = f"""
SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f') AND {_USER_SCHEMA}
"""

_CONSTRAINTS = f"""
SELECT k.conrelid, k.conname, k.contype, pg_catalog.pg_get_constraintdef(k.oid), k.convalidated
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE {_USER_SCHEMA} AND k.contype <> 'n'
"""
# PostgreSQL 18 records NOT NULL as constraints ('n'); the columns' attnotnull already says it,
# and their generated names would differ after a round trip that is otherwise exact.

_INDEXES = f"""
SELECT x.indrelid, n.nspname, i.relname, pg_catalog.pg_get_indexdef(x.indexrelid), x.indisvalid
FROM pg_catalog.pg_index x
JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
JOIN pg_catalog.pg_namespace n ON n.oid = i.relnamespace
WHERE {_USER_SCHEMA}
"""

_TYPES = f"""
SELECT n.nspname, t.typname, t.typtype,
       CASE WHEN t.typtype = 'e' THEN (
           SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
           FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid) END,
       CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END,
       t.typnotnull, t.typdefault,
       CASE WHEN t.typtype = 'd' THEN (
           SELECT array_agg(k.conname || ' ' || pg_catalog.pg_get_constraintdef(k.oid)
                            ORDER BY k.conname)
           FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid) END,
       CASE WHEN t.typtype = 'c' THEN (
           SELECT array_agg(a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
                            ORDER BY a.attnum)
           FROM pg_catalog.pg_attribute a
           WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END,
       CASE WHEN t.typtype = 'r' THEN (
           SELECT pg_catalog.format_type(r.rngsubtype, NULL)
           FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid) END
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype IN ('e', 'd', 'c', 'r') AND {_USER_SCHEMA}
  AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_catalog.pg_class c
                          WHERE c.oid = t.typrelid) = 'c')
  AND {_not_extension_member("pg_type", "t.oid")}
"""

_FUNCTIONS = f"""
SELECT n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid),
       pg_catalog.pg_get_function_result(p.oid), l.lanname, md5(coalesce(p.prosrc, '')),
       p.provolatile, p.prosecdef, p.prokind, p.proisstrict,
       coalesce(array_to_string(p.proconfig, ','), '')
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE {_USER_SCHEMA} AND {_not_extension_member("pg_proc", "p.oid")}
"""

_TRIGGERS = """
SELECT t.tgrelid, t.tgname, pg_catalog.pg_get_triggerdef(t.oid), t.tgenabled
FROM pg_catalog.pg_trigger t WHERE NOT t.tgisinternal
"""

_EXTENSIONS = """
SELECT e.extname, e.extversion, n.nspname
FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
"""

_SCHEMAS = f"SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE {_USER_SCHEMA}"

_COMMENTS = """
SELECT d.objoid, pg_catalog.pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description
FROM pg_catalog.pg_description d
WHERE d.objoid >= 16384
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = d.classoid
                  AND e.objid = d.objoid AND e.deptype = 'e')
"""

_PRIVILEGES = """(
    SELECT array_agg(DISTINCT coalesce(r.rolname, 'PUBLIC') || ' ' || x.privilege_type
                     || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
    FROM pg_catalog.aclexplode({acl}) x
    LEFT JOIN pg_catalog.pg_roles r ON r.oid = x.grantee)"""

_RELATION_PRIVILEGES = _PRIVILEGES.format(
    acl="coalesce(c.relacl, pg_catalog.acldefault("
    "CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner))"
)

_GRANTS = f"""
SELECT c.oid, CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view'
                  WHEN 'm' THEN 'materialized view' ELSE 'table' END,
       n.nspname || '.' || c.relname,
       {_RELATION_PRIVILEGES}
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {_USER_SCHEMA}
  AND {_not_extension_member("pg_class", "c.oid")}
UNION ALL
SELECT c.oid, 'column', n.nspname || '.' || c.relname || '.' || a.attname,
       {_PRIVILEGES.format(acl="a.attacl")}
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND {_USER_SCHEMA}
UNION ALL
SELECT 0, CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,
       n.nspname || '.' || p.proname || '('
       || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
       {_PRIVILEGES.format(acl="coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))")}
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE {_USER_SCHEMA} AND {_not_extension_member("pg_proc", "p.oid")}
UNION ALL
SELECT 0, 'schema', n.nspname,
       {_PRIVILEGES.format(acl="coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner))")}
FROM pg_catalog.pg_namespace n WHERE {_USER_SCHEMA}
UNION ALL
SELECT 0, 'type', n.nspname || '.' || t.typname,
       {_PRIVILEGES.format(acl="coalesce(t.typacl, pg_catalog.acldefault('T', t.typowner))")}
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype IN ('e', 'd', 'r') AND {_USER_SCHEMA}
  AND {_not_extension_member("pg_type", "t.oid")}
"""

_POLICIES = """
SELECT p.polrelid, p.polname, p.polcmd, p.polpermissive,
       (SELECT array_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(r)::text END
                         ORDER BY 1) FROM unnest(p.polroles) r),
       pg_catalog.pg_get_expr(p.polqual, p.polrelid),
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)
FROM pg_catalog.pg_policy p
"""

_DEFAULT_PRIVILEGES = """
SELECT pg_catalog.pg_get_userbyid(d.defaclrole)::text, coalesce(n.nspname, ''), d.defaclobjtype,
       (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(d.defaclacl) a)
FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
"""

_VERSION_TABLES = f"""
SELECT n.nspname, c.relname FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND {_USER_SCHEMA}
  AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid
              AND k.contype = 'p' AND k.conname = c.relname || '_pkc')
  AND (SELECT array_agg(a.attname::text) FROM pg_catalog.pg_attribute a
       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) = ARRAY['version_num']
"""

_KINDS = {"r": "table", "p": "partitioned table", "f": "foreign table"}
_TYPE_KINDS = {"e": "enum", "d": "domain", "c": "composite", "r": "range"}


_QUERIES = {
    "relations": _RELATIONS,
    "columns": _COLUMNS,
    "constraints": _CONSTRAINTS,
    "indexes": _INDEXES,
    "types": _TYPES,
    "functions": _FUNCTIONS,
    "triggers": _TRIGGERS,
    "extensions": _EXTENSIONS,
    "schemas": _SCHEMAS,
    "comments": _COMMENTS,
    **{f"grants_{i}": part for i, part in enumerate(_GRANTS.split("UNION ALL"))},
    "policies": _POLICIES,
    "default_privileges": _DEFAULT_PRIVILEGES,
}


def _run_all(connection: Connection, queries: Mapping[str, str]) -> dict[str, list[Any]]:
    """Every query's rows; with psycopg, sent in one pipeline (one round trip, prepared).

    The grants are five queries rather than one ``UNION ALL``, which plans worse.
    """
    dbapi: Any = connection.connection.dbapi_connection
    if type(dbapi).__module__.split(".")[0] != "psycopg":
        return {name: list(connection.execute(text(q)).all()) for name, q in queries.items()}
    cursors = {name: dbapi.cursor() for name in queries}
    try:
        with dbapi.pipeline():
            for name, query in queries.items():
                cursors[name].execute(query)
        return {name: list(cursor.fetchall()) for name, cursor in cursors.items()}
    finally:
        for cursor in cursors.values():
            cursor.close()


def version_tables(connection: Connection) -> list[str]:
    """Alembic version tables (one ``version_num`` column, primary key ``<table>_pkc``)."""
    return [f"{s}.{t}" for s, t in connection.execute(text(_VERSION_TABLES))]


def _excluded(schema: str, name: str, names: set[str]) -> bool:
    return name in names or f"{schema}.{name}" in names


def take(
    connection: Connection,
    *,
    include_data: bool = True,
    exclude_tables: Iterable[str] = ("alembic_safe_history",),
) -> Snapshot:
    """Snapshot every user schema reachable from ``connection``.

    :param include_data: add each table's row count and checksum (reads every row).
    :param exclude_tables: tables (``name`` or ``schema.name``) left out, with their
     columns, constraints, indexes, triggers, policies, grants and owned sequences.
    """
    names = set(exclude_tables)
    snap: Snapshot = {section: {} for section in SECTIONS}
    excluded: set[int] = set()
    tables: dict[int, str] = {}
    relations: dict[int, str] = {}
    results = _run_all(connection, _QUERIES)
    rows = results["relations"]
    for row in rows:  # first the tables, so sequences owned by excluded ones are known
        if row[3] in ("r", "p", "f") and _excluded(row[1], row[2], names):
            excluded.add(row[0])
    for row in rows:
        oid, schema, name, kind, persistence, rls, force_rls, options = row[:8]
        part_key, part_bound, part_of, definition, owner, owned_by = row[8:14]
        if oid in excluded or owner in excluded:
            excluded.add(oid)
            continue
        key = f"{schema}.{name}"
        relations[oid] = key
        if kind in ("v", "m"):
            snap["views"][key] = {
                "kind": "view" if kind == "v" else "materialized view",
                "definition": definition,
            }
        elif kind == "S":
            seq_type, start, increment, minimum, maximum, cache, cycle = row[14:21]
            snap["sequences"][key] = {
                "type": seq_type,
                "start": start,
                "increment": increment,
                "min": minimum,
                "max": maximum,
                "cache": cache,
                "cycle": cycle,
                "owned_by": owned_by,
            }
        else:
            tables[oid] = key
            snap["tables"][key] = {
                "kind": _KINDS[kind],
                "unlogged": persistence == "u",
                "row_security": rls,
                "force_row_security": force_rls,
                "options": options,
                "partition_key": part_key,
                "partition_of": part_of,
                "partition_bound": part_bound,
                "columns": {},
            }
    for relid, name, type_, notnull, default, identity, generated, collation in results["columns"]:
        if relid in tables:
            snap["tables"][tables[relid]]["columns"][name] = {
                "type": type_,
                "nullable": not notnull,
                "default": default if not generated else None,
                "identity": {"a": "always", "d": "by default"}.get(identity),
                "generated": default if generated else None,
                "collation": collation,
            }
    for relid, name, kind, definition, validated in results["constraints"]:
        if relid in tables:
            snap["constraints"][f"{tables[relid]}.{name}"] = {
                "table": tables[relid],
                "type": kind,
                "definition": definition,
                "validated": validated,
            }
    for relid, schema, name, definition, valid in results["indexes"]:
        if relid in relations:
            snap["indexes"][f"{schema}.{name}"] = {
                "table": relations[relid],
                "definition": definition,
                "valid": valid,
            }
    _types(results["types"], snap)
    _functions(results["functions"], snap)
    for relid, name, definition, enabled in results["triggers"]:
        if relid in tables:
            snap["triggers"][f"{tables[relid]}.{name}"] = {
                "definition": definition,
                "enabled": enabled,
            }
    for name, version, schema in results["extensions"]:
        snap["extensions"][name] = {"version": version, "schema": schema}
    for (schema,) in results["schemas"]:
        snap["schemas"][schema] = {}
    for oid, what, description in results["comments"]:
        if oid not in excluded:
            snap["comments"][what] = description
    grants = [row for key, rows in results.items() if key.startswith("grants_") for row in rows]
    for oid, kind, name, privileges in grants:
        if oid not in excluded:
            snap["grants"][f"{kind} {name}"] = sorted(privileges or ())
    for relid, name, command, permissive, roles, using, check in results["policies"]:
        if relid in tables:
            snap["policies"][f"{tables[relid]}.{name}"] = {
                "command": command,
                "permissive": permissive,
                "roles": list(roles or ()),
                "using": using,
                "with_check": check,
            }
    for role, schema, kind, acl in results["default_privileges"]:
        snap["default_privileges"][f"{role} {schema or '*'} {kind}"] = list(acl or ())
    if include_data:
        counted = data.checksums(
            connection,
            {
                key: list(snap["tables"][key]["columns"])
                for key in tables.values()
                if snap["tables"][key]["kind"] != "foreign table"
            },
        )
        for key, (count, checksum) in counted.items():
            snap["tables"][key]["rows"] = count
            snap["tables"][key]["checksum"] = checksum
    return snap


def _types(rows: list[Any], snap: Snapshot) -> None:
    for (
        schema,
        name,
        kind,
        labels,
        base,
        notnull,
        default,
        checks,
        attributes,
        subtype,
    ) in rows:
        entry: dict[str, Any] = {"kind": _TYPE_KINDS[kind]}
        if kind == "e":
            entry["values"] = list(labels or ())
        elif kind == "d":
            entry.update(
                base=base, nullable=not notnull, default=default, checks=list(checks or ())
            )
        elif kind == "c":
            entry["attributes"] = list(attributes or ())
        else:
            entry["subtype"] = subtype
        snap["types"][f"{schema}.{name}"] = entry


_PROKINDS = {"f": "function", "p": "procedure", "a": "aggregate", "w": "window function"}
_VOLATILITY = {"i": "immutable", "s": "stable", "v": "volatile"}


def _functions(rows: list[Any], snap: Snapshot) -> None:
    for row in rows:
        schema, name, arguments, result, language, body, volatility = row[:7]
        definer, kind, strict, settings = row[7:]
        snap["functions"][f"{schema}.{name}({arguments})"] = {
            "kind": _PROKINDS.get(kind, kind),
            "returns": result,
            "language": language,
            "body": body,
            "volatility": _VOLATILITY.get(volatility, volatility),
            "security_definer": definer,
            "strict": strict,
            "settings": settings,
        }


# ---------------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Difference:
    """One object that differs between two snapshots."""

    change: str
    """``added`` (only in the second snapshot), ``removed`` (only in the first) or ``changed``."""
    kind: str
    """``table``, ``column``, ``index``, ``type``... (``comment on``, ``grants on``)."""
    name: str
    """The object as a person reads it: ``users.name``, ``mood``, ``app.orders``."""
    detail: str = ""
    """For ``changed``: what it is now and what it was (``is varchar(100), was varchar(50)``)."""

    @property
    def subject(self) -> str:
        return f"{self.kind} {self.name}"

    def __str__(self) -> str:
        if self.change == "added":
            return f"{self.subject} is new"
        if self.change == "removed":
            return f"{self.subject} is gone"
        return f"{self.subject} {self.detail}"

    def to_json(self) -> dict[str, str]:
        return {
            "change": self.change,
            "kind": self.kind,
            "name": self.name,
            "detail": self.detail,
            "text": str(self),
        }


def display(key: str) -> str:
    """``public.users`` -> ``users``; other schemas stay qualified."""
    return key[len("public.") :] if key.startswith("public.") else key


_TYPE_WORDS = (
    (re.compile(r"\bcharacter varying\b"), "varchar"),
    (re.compile(r"\bcharacter\b"), "char"),
    (re.compile(r"\btimestamp(\(\d+\))? without time zone\b"), r"timestamp\1"),
    (re.compile(r"\btimestamp(\(\d+\))? with time zone\b"), r"timestamptz\1"),
    (re.compile(r"\btime(\(\d+\))? without time zone\b"), r"time\1"),
    (re.compile(r"\btime(\(\d+\))? with time zone\b"), r"timetz\1"),
)


def display_type(type_: str | None) -> str:
    """A type in the short spelling people write (``varchar(50)``, ``timestamptz``)."""
    shown = type_ or "?"
    for pattern, short in _TYPE_WORDS:
        shown = pattern.sub(short, shown)
    return shown


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "(" + ", ".join(map(str, value)) + ")"
    shown = str(value)
    return shown if len(shown) <= 160 else shown[:157] + "..."


def _column_change(name: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    details = []
    if old.get("type") != new.get("type"):
        details.append(f"is {display_type(new.get('type'))}, was {display_type(old.get('type'))}")
    if old.get("nullable") != new.get("nullable"):
        now = "nullable" if new.get("nullable") else "NOT NULL"
        was = "nullable" if old.get("nullable") else "NOT NULL"
        details.append(f"is {now}, was {was}")
    for attr, words in (
        ("default", "default"),
        ("identity", "identity"),
        ("generated", "generated as"),
        ("collation", "collation"),
    ):
        if old.get(attr) != new.get(attr):
            now = f"has {words} {new[attr]}" if new.get(attr) else f"has no {words}"
            was = f"had {old[attr]}" if old.get(attr) else "had none"
            details.append(f"{now}, {was}")
    return details


_WORDS = {
    "definition": "definition",
    "valid": "valid",
    "validated": "validated",
    "values": "values",
    "body": "body (hash)",
}


def _generic_change(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    details = []
    for attr in sorted(set(old) | set(new)):
        if attr in ("columns", "rows", "checksum"):
            continue
        before, after = old.get(attr), new.get(attr)
        if before == after:
            continue
        if attr == "valid":
            details.append(
                f"is {'valid' if after else 'INVALID'}, was {'valid' if before else 'INVALID'}"
            )
        elif attr == "validated":
            details.append(
                f"is {'validated' if after else 'NOT VALID'}, was "
                f"{'validated' if before else 'NOT VALID'}"
            )
        elif attr == "values":
            details.append(f"has values {_shown(after)}, had {_shown(before)}")
        elif attr == "body":
            details.append("has another body")
        else:
            word = _WORDS.get(attr, attr.replace("_", " "))
            details.append(f"{word} is {_shown(after)}, was {_shown(before)}")
    return details


_SECTION_KIND = {
    "schemas": "schema",
    "extensions": "extension",
    "sequences": "sequence",
    "constraints": "constraint",
    "indexes": "index",
    "functions": "function",
    "triggers": "trigger",
    "policies": "policy",
    "default_privileges": "default privileges",
}


def _kind(section: str, entry: Any) -> str:
    if section in ("tables", "views", "types") and isinstance(entry, Mapping):
        kind = str(entry.get("kind", section[:-1]))
        return "type" if section == "types" else kind
    return _SECTION_KIND.get(section, section)


def diff(before: Snapshot, after: Snapshot) -> list[Difference]:
    """What differs from ``before`` to ``after`` (empty when they are equal)."""
    found: list[Difference] = []
    for section in SECTIONS:
        old: Mapping[str, Any] = before.get(section, {})
        new: Mapping[str, Any] = after.get(section, {})
        for key in sorted(set(old) | set(new)):
            if section == "comments":
                _comment(found, key, old.get(key), new.get(key))
            elif section == "grants":
                _grants(found, key, old.get(key), new.get(key))
            elif key not in new:
                found.append(Difference("removed", _kind(section, old[key]), display(key)))
            elif key not in old:
                found.append(Difference("added", _kind(section, new[key]), display(key)))
            elif old[key] != new[key]:
                kind = _kind(section, new[key])
                if isinstance(old[key], Mapping) and isinstance(new[key], Mapping):
                    details = _generic_change(old[key], new[key])
                else:
                    details = [f"is {_shown(new[key])}, was {_shown(old[key])}"]
                found.extend(Difference("changed", kind, display(key), d) for d in details)
                if section == "tables":
                    _table(found, key, old[key], new[key])
    return found


def _table(
    found: list[Difference], key: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> None:
    columns_old, columns_new = old.get("columns", {}), new.get("columns", {})
    for column in sorted(set(columns_old) | set(columns_new)):
        name = f"{display(key)}.{column}"
        if column not in columns_new:
            found.append(Difference("removed", "column", name))
        elif column not in columns_old:
            found.append(Difference("added", "column", name))
        else:
            found.extend(
                Difference("changed", "column", name, detail)
                for detail in _column_change(name, columns_old[column], columns_new[column])
            )
    if "rows" in old and "rows" in new:
        if old["rows"] != new["rows"]:
            found.append(
                Difference(
                    "changed", "rows of", display(key), f"are {new['rows']}, were {old['rows']}"
                )
            )
        elif old.get("checksum") != new.get("checksum"):
            found.append(
                Difference("changed", "rows of", display(key), "have other contents (checksum)")
            )


def _comment(found: list[Difference], key: str, old: Any, new: Any) -> None:
    if old == new:
        return
    if new is None:
        found.append(Difference("removed", "comment on", key))
    elif old is None:
        found.append(Difference("added", "comment on", key))
    else:
        found.append(
            Difference("changed", "comment on", key, f"is {_shown(new)!r}, was {_shown(old)!r}")
        )


def _grants(found: list[Difference], key: str, old: Any, new: Any) -> None:
    if old is None or new is None or old == new:
        return  # the object itself is new or gone: its own difference says so
    kind, _, name = key.partition(" ")
    if kind == "materialized":
        kind, _, name = key.partition(" view ")
        kind = "materialized view"
    gained = sorted(set(new) - set(old))
    lost = sorted(set(old) - set(new))
    parts = []
    if gained:
        parts.append("gained " + ", ".join(gained))
    if lost:
        parts.append("lost " + ", ".join(lost))
    found.append(Difference("changed", f"grants on {kind}", display(name), "; ".join(parts)))
