"""The online column type change behind ``op.alter_column_type_online``: facts and statements.

:func:`inspect` reads from the catalog what depends on the column (indexes, constraints,
the default, owned sequences) and what makes an online change unsafe (views, foreign keys
from other tables, identity or generated columns, exclusion constraints...).  :class:`Retype`
turns those facts into the statements of each step, with the dependents' definitions
rewritten to the new column by pglast.  Both the operation (online) and the autogenerate
rewriter (which refuses, naming the recipe, what cannot be done online) ask this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pglast
from pglast import ast, visitors
from pglast.stream import RawStream

from alembic_safe.capture import types as _types
from alembic_safe.checks import dollar_tag, literal, regclass_literal
from alembic_safe.errors import UnsafeMigrationError
from alembic_safe.operations import _sql

Rows = Callable[[str], list[tuple[Any, ...]]]

RECIPE = "docs/operations.md#changing-a-column-type-by-hand"
"""Where the manual recipe for what the operation refuses is written down."""


@dataclass(frozen=True)
class Dependent:
    """An index or constraint of the table that involves the column."""

    kind: str
    """``index`` (a plain index), ``unique``, ``primary key``, ``check`` or ``foreign key``."""
    name: str
    definition: str
    """``pg_get_indexdef`` for indexes (and the index of a unique / primary key), else
    ``pg_get_constraintdef``."""
    suffix: str = ""
    """``DEFERRABLE INITIALLY DEFERRED`` and the like, for unique and primary keys."""


@dataclass
class Facts:
    """What the catalog says about the column and what depends on it."""

    schema: str | None
    table: str
    column: str
    type: str
    not_null: bool
    default: str | None
    comment: str | None
    dependents: list[Dependent] = field(default_factory=list)
    sequences: list[tuple[str, str]] = field(default_factory=list)
    """(sequence, its data type) for sequences owned by the column (``serial``)."""
    blockers: list[str] = field(default_factory=list)
    """Why the change cannot be made online, in words; empty when it can."""
    primary_key: list[str] = field(default_factory=list)
    """The table's primary key columns (the backfill walks the first)."""
    not_null_constraint: str | None = None
    """The name of the column's NOT NULL constraint (PostgreSQL 18 and later name them)."""


def _q(value: str | None) -> str:
    return "NULL" if value is None else literal(value)


def inspect(rows: Rows, schema: str | None, table: str, column: str) -> Facts | None:
    """The facts of ``schema.table.column``; None when the table or column does not exist."""
    relation = f"to_regclass({regclass_literal(schema, table)})"
    found = rows(
        "SELECT a.attnum, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,"
        " pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,"
        " a.attacl IS NOT NULL, c.relkind, pg_catalog.col_description(c.oid, a.attnum),"
        " c.relreplident"
        " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
        " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        f" WHERE a.attrelid = {relation} AND a.attname = {literal(column)}"
        " AND a.attnum > 0 AND NOT a.attisdropped"
    )
    if not found:
        return None
    attnum, type_, not_null, default, identity, generated, acl, relkind, comment, _ = found[0]
    facts = Facts(schema, table, column, str(type_), bool(not_null), default, comment)
    if identity:
        facts.blockers.append("it is an identity column (GENERATED ... AS IDENTITY)")
    if generated:
        facts.blockers.append("it is a generated column")
    if acl:
        facts.blockers.append("it has column privileges (GRANT ... (column))")
    if relkind != "r":
        kinds = {"p": "a partitioned table", "v": "a view", "m": "a materialized view"}
        facts.blockers.append(f"the table is {kinds.get(str(relkind), 'not a plain table')}")
    facts.primary_key = [
        str(name)
        for (name,) in rows(
            "SELECT a.attname FROM pg_catalog.pg_index i"
            " JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid"
            " AND a.attnum = ANY (i.indkey)"
            f" WHERE i.indrelid = {relation} AND i.indisprimary ORDER BY a.attnum"
        )
    ]
    depends = rows(
        "SELECT d.classid::regclass::text, d.objid, d.deptype,"
        " pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)"
        " FROM pg_catalog.pg_depend d WHERE d.refclassid = 'pg_catalog.pg_class'::regclass"
        f" AND d.refobjid = {relation} AND d.refobjsubid = {int(attnum)}"
        " AND d.deptype IN ('n', 'a', 'i') ORDER BY d.classid, d.objid, d.deptype"
    )
    seen: set[tuple[str, int]] = set()
    for classid, objid, deptype, described in depends:
        if (str(classid), int(objid)) in seen:
            continue  # an index on the column twice (key and predicate) depends on it twice
        seen.add((str(classid), int(objid)))
        if classid == "pg_attrdef":
            continue  # the column's own default: moved at the swap
        if classid == "pg_class":
            _relation_dependent(rows, facts, int(objid), str(deptype), str(described))
        elif classid == "pg_constraint":
            _constraint_dependent(rows, facts, int(objid), relation)
        elif classid == "pg_trigger" and _is_ours(str(described), table, column):
            continue
        elif classid == "pg_rewrite":
            facts.blockers.append(f"a view or rule uses it ({described})")
        else:
            facts.blockers.append(f"{described} depends on it")
    return facts


def _is_ours(described: str, table: str, column: str) -> bool:
    return described.startswith(f"trigger {trigger_name(table, column)} ")


def _relation_dependent(rows: Rows, facts: Facts, oid: int, deptype: str, described: str) -> None:
    kind = rows(f"SELECT relkind, relname FROM pg_catalog.pg_class WHERE oid = {oid}")
    relkind, name = kind[0] if kind else ("?", described)
    if relkind in ("i", "I"):
        owner = rows(
            "SELECT count(*) FROM pg_catalog.pg_constraint WHERE conindid = "
            f"{oid} AND contype IN ('p', 'u', 'x')"
        )[0][0]
        if not owner:  # a constraint's index comes with the constraint
            definition = rows(f"SELECT pg_catalog.pg_get_indexdef({oid})")[0][0]
            facts.dependents.append(Dependent("index", str(name), str(definition)))
    elif relkind == "S" and deptype == "a":
        seqtype = rows(
            "SELECT pg_catalog.format_type(seqtypid, NULL) FROM pg_catalog.pg_sequence"
            f" WHERE seqrelid = {oid}"
        )
        quoted = rows(f"SELECT {oid}::regclass::text")[0][0]
        facts.sequences.append((str(quoted), str(seqtype[0][0]) if seqtype else "bigint"))
    else:
        facts.blockers.append(f"{described} depends on it")


def _constraint_dependent(rows: Rows, facts: Facts, oid: int, relation: str) -> None:
    found = rows(
        "SELECT k.conname, k.contype, k.conrelid = "
        f"{relation}, pg_catalog.pg_get_constraintdef(k.oid), k.conindid, k.condeferrable,"
        " k.condeferred, k.conrelid::regclass::text"
        f" FROM pg_catalog.pg_constraint k WHERE k.oid = {oid}"
    )
    if not found:
        return
    name, contype, same_table, definition, index, deferrable, deferred, owner = found[0]
    if contype == "n":  # PostgreSQL 18 and later: NOT NULL is a constraint with a name
        facts.not_null_constraint = str(name)  # the swap sets NOT NULL and keeps the name
        return
    if not same_table:
        facts.blockers.append(
            f'foreign key "{name}" of "{owner}" refers to it (convert the referencing '
            "columns first, or change both in a maintenance window)"
        )
        return
    if contype == "c":
        facts.dependents.append(Dependent("check", str(name), str(definition)))
    elif contype == "f":
        facts.dependents.append(Dependent("foreign key", str(name), str(definition)))
    elif contype in ("u", "p"):
        suffix = ""
        if deferrable:
            suffix = " DEFERRABLE INITIALLY " + ("DEFERRED" if deferred else "IMMEDIATE")
        index_sql = rows(f"SELECT pg_catalog.pg_get_indexdef({int(index)})")[0][0]
        kind = "primary key" if contype == "p" else "unique"
        facts.dependents.append(Dependent(kind, str(name), str(index_sql), suffix))
    else:
        words = {"x": "exclusion constraint", "t": "constraint trigger"}
        facts.blockers.append(f'{words.get(str(contype), "constraint")} "{name}" uses it')


def refusal(facts: Facts, new_type: str) -> UnsafeMigrationError:
    """Why the column cannot change type online, and the recipe to follow instead."""
    shown = f"{facts.schema}.{facts.table}" if facts.schema else facts.table
    return UnsafeMigrationError(
        f'Changing "{shown}"."{facts.column}" from {facts.type} to {new_type} rewrites the '
        "table under ACCESS EXCLUSIVE, and alter_column_type_online cannot move everything "
        "that depends on the column; nothing was changed.",
        context=[("Cannot move", "\n".join(facts.blockers))],
        hint=f"Follow the manual recipe in {RECIPE} (shadow column, trigger, backfill, then "
        "a swap that also recreates the objects above), or accept the downtime with "
        "op.alter_column(...) in a maintenance window.",
    )


# --------------------------------------------------------------------------- names


def shadow_name(column: str) -> str:
    return _sql.object_name(column, None, "new")


def trigger_name(table: str, column: str) -> str:
    return _sql.object_name(table, column, "retype")


def temporary_name(name: str) -> str:
    return _sql.object_name(name, None, "new")


def not_null_name(table: str, column: str) -> str:
    return _sql.not_null_check_name(table, shadow_name(column))


# --------------------------------------------------------------------------- rewriting


class _Rename(visitors.Visitor):
    """Column references to ``old`` become references to ``new``."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new

    def visit_ColumnRef(self, ancestors: Any, node: ast.ColumnRef) -> Any:
        fields = node.fields or ()
        if fields and isinstance(fields[-1], ast.String) and fields[-1].sval == self.old:
            return ast.ColumnRef(fields=(*fields[:-1], ast.String(sval=self.new)))
        return None

    def visit_IndexElem(self, ancestors: Any, node: ast.IndexElem) -> Any:
        if node.name == self.old:
            node.name = self.new
        return None

    def visit_Constraint(self, ancestors: Any, node: ast.Constraint) -> Any:
        for attr in ("keys", "fk_attrs"):
            names = getattr(node, attr, None)
            if names:
                setattr(
                    node,
                    attr,
                    tuple(
                        ast.String(sval=self.new)
                        if isinstance(n, ast.String) and n.sval == self.old
                        else n
                        for n in names
                    ),
                )
        return None


def new_index_sql(definition: str, old: str, new: str, name: str) -> str:
    """``CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS <name> ...`` on column ``new``."""
    tree = pglast.parse_sql(definition)[0].stmt
    assert isinstance(tree, ast.IndexStmt)
    _Rename(old, new)(tree)
    tree.idxname = name
    tree.concurrent = True
    tree.if_not_exists = True
    return str(RawStream()(tree))


def new_constraint_sql(
    schema: str | None, table: str, definition: str, *, old: str, new: str, name: str
) -> str:
    """``ALTER TABLE ... ADD CONSTRAINT <name> <definition on new> NOT VALID``."""
    sql = (
        f"ALTER TABLE {_sql.qualified(schema, table)} ADD CONSTRAINT {_sql.ident(name)} "
        f"{definition}"
    )
    tree = pglast.parse_sql(sql)[0].stmt
    assert isinstance(tree, ast.AlterTableStmt)
    _Rename(old, new)(tree)
    for command in tree.cmds or ():
        constraint = command.def_
        constraint.skip_validation = True
        constraint.initially_valid = False
    return str(RawStream()(tree))


# --------------------------------------------------------------------------- statements


@dataclass
class Retype:
    """The statements of each step of one online type change."""

    schema: str | None
    table: str
    column: str
    new_type: str
    using: str | None = None
    """SQL computing the new value from the row (default ``column::new_type``)."""

    @property
    def target(self) -> str:
        return _sql.qualified(self.schema, self.table)

    @property
    def shadow(self) -> str:
        return shadow_name(self.column)

    @property
    def trigger(self) -> str:
        return trigger_name(self.table, self.column)

    @property
    def function(self) -> str:
        return _sql.qualified(self.schema, self.trigger)

    def value(self) -> str:
        """The new value from the row's columns."""
        return self.using or f"CAST({_sql.ident(self.column)} AS {self.new_type})"

    def prepare(self) -> str:
        """Shadow column, trigger function and trigger, in one transaction."""
        if self.using is None:
            compute = f"CAST(NEW.{_sql.ident(self.column)} AS {self.new_type})"
        else:  # the expression names columns: evaluate it over the new row
            compute = f"(SELECT {self.using} FROM (SELECT NEW.*) AS {_sql.ident(self.table)})"
        body = f"BEGIN NEW.{_sql.ident(self.shadow)} := {compute}; RETURN NEW; END"
        tag = dollar_tag(body)  # the USING expression is the user's: the tag must not occur in it
        return ";\n".join(
            [
                f"ALTER TABLE {self.target} ADD COLUMN IF NOT EXISTS {_sql.ident(self.shadow)} "
                f"{self.new_type}",
                f"CREATE OR REPLACE FUNCTION {self.function}() RETURNS trigger "
                f"LANGUAGE plpgsql AS {tag} {body} {tag}",
                f"DROP TRIGGER IF EXISTS {_sql.ident(self.trigger)} ON {self.target}",
                f"CREATE TRIGGER {_sql.ident(self.trigger)} BEFORE INSERT OR UPDATE ON "
                f"{self.target} FOR EACH ROW EXECUTE FUNCTION {self.function}()",
            ]
        )

    def backfill_where(self) -> str:
        return f"{_sql.ident(self.shadow)} IS DISTINCT FROM ({self.value()})"

    def not_null_check(self) -> tuple[str, str]:
        name = not_null_name(self.table, self.column)
        return name, (
            f"ALTER TABLE {self.target} ADD CONSTRAINT {_sql.ident(name)} "
            f"CHECK ({_sql.ident(self.shadow)} IS NOT NULL) NOT VALID"
        )

    def builds(self, facts: Facts) -> list[tuple[str, str, str]]:
        """(kind, temporary name, statement) of the dependents rebuilt on the shadow column."""
        result = []
        for dependent in facts.dependents:
            name = temporary_name(dependent.name)
            if dependent.kind in ("index", "unique", "primary key"):
                sql = new_index_sql(dependent.definition, self.column, self.shadow, name)
            else:
                sql = new_constraint_sql(
                    self.schema,
                    self.table,
                    dependent.definition,
                    old=self.column,
                    new=self.shadow,
                    name=name,
                )
            result.append((dependent.kind, name, sql))
        return result

    def swap(self, facts: Facts | None) -> str:
        """One transaction: the shadow column takes the old one's place, name and dependents."""
        shadow, column = _sql.ident(self.shadow), _sql.ident(self.column)
        statements = []
        if facts is None or facts.not_null:
            statements.append(f"ALTER TABLE {self.target} ALTER COLUMN {shadow} SET NOT NULL")
        if facts is not None and facts.default is not None:
            statements.append(
                f"ALTER TABLE {self.target} ALTER COLUMN {shadow} SET DEFAULT {facts.default}"
            )
        for sequence, seqtype in facts.sequences if facts is not None else ():
            statements.append(f"ALTER SEQUENCE {sequence} OWNED BY {self.target}.{shadow}")
            if _widens(seqtype, self.new_type):
                statements.append(f"ALTER SEQUENCE {sequence} AS {self.new_type}")
        statements += [
            f"DROP TRIGGER IF EXISTS {_sql.ident(self.trigger)} ON {self.target}",
            f"ALTER TABLE {self.target} DROP COLUMN {column}",
            f"ALTER TABLE {self.target} RENAME COLUMN {shadow} TO {column}",
        ]
        for dependent in facts.dependents if facts is not None else ():
            temporary = _sql.ident(temporary_name(dependent.name))
            original = _sql.ident(dependent.name)
            if dependent.kind == "index":
                index = _sql.qualified(self.schema, temporary_name(dependent.name))
                statements.append(f"ALTER INDEX {index} RENAME TO {original}")
            elif dependent.kind in ("unique", "primary key"):
                words = "PRIMARY KEY" if dependent.kind == "primary key" else "UNIQUE"
                statements.append(
                    f"ALTER TABLE {self.target} ADD CONSTRAINT {original} {words} "
                    f"USING INDEX {temporary}{dependent.suffix}"
                )
            else:
                statements.append(
                    f"ALTER TABLE {self.target} RENAME CONSTRAINT {temporary} TO {original}"
                )
        if facts is None or facts.not_null:
            name = _sql.ident(not_null_name(self.table, self.column))
            statements.append(f"ALTER TABLE {self.target} DROP CONSTRAINT IF EXISTS {name}")
        if facts is not None and facts.not_null_constraint is not None:
            statements.append(self._rename_not_null(facts.not_null_constraint))
        if facts is not None and facts.comment is not None:
            statements.append(f"COMMENT ON COLUMN {self.target}.{column} IS {_q(facts.comment)}")
        statements.append(f"DROP FUNCTION IF EXISTS {self.function}()")
        return ";\n".join(statements)

    def _rename_not_null(self, original: str) -> str:
        """Give the column's new NOT NULL constraint the old one's name (PostgreSQL 18+).

        ``SET NOT NULL`` on the shadow column named it after the shadow; the name it gets is
        read from the catalog, not guessed.
        """
        relation = f"{regclass_literal(self.schema, self.table)}::regclass"
        rename = f"ALTER TABLE {self.target} RENAME CONSTRAINT %I TO %I"
        body = (
            " DECLARE found name; BEGIN"
            " SELECT k.conname INTO found FROM pg_catalog.pg_constraint k"
            " JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]"
            f" WHERE k.conrelid = {relation} AND k.contype = 'n'"
            f" AND a.attname = {literal(self.column)};"
            f" IF found IS NOT NULL AND found <> {literal(original)} THEN"
            f" EXECUTE format({literal(rename)}, found, {literal(original)});"
            " END IF; END "
        )
        tag = dollar_tag(body)
        return f"DO {tag}{body}{tag}"

    def cleanup(self) -> str:
        """What an abandoned change leaves: the trigger, its function, the shadow column."""
        return ";\n".join(
            [
                f"DROP TRIGGER IF EXISTS {_sql.ident(self.trigger)} ON {self.target}",
                f"DROP FUNCTION IF EXISTS {self.function}()",
                f"ALTER TABLE {self.target} DROP COLUMN IF EXISTS {_sql.ident(self.shadow)}",
            ]
        )


def _widens(sequence_type: str, new_type: str) -> bool:
    ranks = {"int2": 2, "int4": 4, "int8": 8}
    old, new = _types.parse_type(sequence_type).family, _types.parse_type(new_type).family
    return old in ranks and new in ranks and ranks[new] > ranks[old]


def same_type(current: str, wanted: str) -> bool:
    return _types.parse_type(current) == _types.parse_type(wanted)
