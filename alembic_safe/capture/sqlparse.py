"""What a SQL statement does, read with pglast (PostgreSQL's own parser).

:func:`parse` splits a string into statements (multi-statement ``op.execute`` text
included) and describes each: its command tag, the tables it locks and the lock mode it
takes on them, what it creates, whether it can run inside a transaction block, and
whether it destroys data (with the reason in plain words).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import pglast
from pglast import ast, enums
from pglast.parser import ParseError
from pglast.stream import RawStream

# Lock modes, weakest first (PostgreSQL docs, "Table-Level Locks").
ACCESS_SHARE = "ACCESS SHARE"
ROW_SHARE = "ROW SHARE"
ROW_EXCLUSIVE = "ROW EXCLUSIVE"
SHARE_UPDATE_EXCLUSIVE = "SHARE UPDATE EXCLUSIVE"
SHARE = "SHARE"
SHARE_ROW_EXCLUSIVE = "SHARE ROW EXCLUSIVE"
EXCLUSIVE = "EXCLUSIVE"
ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE"
LOCK_ORDER = (
    ACCESS_SHARE,
    ROW_SHARE,
    ROW_EXCLUSIVE,
    SHARE_UPDATE_EXCLUSIVE,
    SHARE,
    SHARE_ROW_EXCLUSIVE,
    EXCLUSIVE,
    ACCESS_EXCLUSIVE,
)
BLOCKS = {
    ACCESS_SHARE: "nothing but ACCESS EXCLUSIVE (DDL)",
    ROW_SHARE: "EXCLUSIVE and ACCESS EXCLUSIVE locks",
    ROW_EXCLUSIVE: "SHARE locks (index builds) and stronger",
    SHARE_UPDATE_EXCLUSIVE: "other DDL, VACUUM and ANALYZE (reads and writes continue)",
    SHARE: "writes (INSERT, UPDATE, DELETE); reads continue",
    SHARE_ROW_EXCLUSIVE: "writes (INSERT, UPDATE, DELETE); reads continue",
    EXCLUSIVE: "writes and SELECT FOR UPDATE; plain reads continue",
    ACCESS_EXCLUSIVE: "all reads and writes",
}


def stronger(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if LOCK_ORDER.index(a) >= LOCK_ORDER.index(b) else b


class TypeChangeSpec:
    """``ALTER COLUMN ... TYPE`` found in SQL; the old type is only known to a catalog.

    The type and the ``USING`` expression are printed from the parse tree when first read
    (printing is slow, and most changes come from Alembic operations that state the types).
    """

    __slots__ = ("_column_def", "_new_type", "_using", "column", "table")

    def __init__(self, table: str, column: str, column_def: Any) -> None:
        self.table = table
        self.column = column
        self._column_def = column_def
        self._new_type: str | None = None
        self._using: tuple[str | None] | None = None

    @property
    def new_type(self) -> str:
        if self._new_type is None:
            self._new_type = render_node(self._column_def.typeName)
        return self._new_type

    @property
    def using(self) -> str | None:
        if self._using is None:
            raw = self._column_def.raw_default
            self._using = (render_node(raw) if raw is not None else None,)
        return self._using[0]

    def __repr__(self) -> str:
        return f"TypeChangeSpec({self.table!r}, {self.column!r}, {self.new_type!r}, {self.using!r})"


@dataclass(frozen=True)
class Statement:
    """One parsed statement."""

    text: str
    kind: str
    """pglast node name (``AlterTableStmt``) or ``Unparsed``."""
    tag: str
    """Command tag in words (``ALTER TABLE``)."""
    tables: tuple[str, ...] = ()
    """Existing relations the statement locks, as written (``users``, ``app.users``)."""
    lock: str | None = None
    """Strongest table lock taken on :attr:`tables`."""
    creates: tuple[str, ...] = ()
    """Relations (tables, indexes, views) the statement creates."""
    transactional: bool = True
    """False when PostgreSQL refuses to run it inside a transaction block."""
    transaction_control: str | None = None
    """``BEGIN``, ``COMMIT``, ``ROLLBACK``... for transaction statements."""
    destructive: str | None = None
    """Why it destroys data, or None."""
    actions: tuple[str, ...] = ()
    """Sub-commands of ALTER TABLE in words (``DROP COLUMN email``)."""
    type_changes: tuple[TypeChangeSpec, ...] = ()
    has_where: bool | None = None
    """For UPDATE/DELETE: whether a WHERE clause limits the rows."""
    error: str | None = None
    node: Any = field(default=None, compare=False, repr=False)

    def without_destruction(self) -> Statement:
        """The same statement judged harmless (it only destroys what its plan created)."""
        return _with_node(replace(self, destructive=None), self.node)

    def assigned_columns(self) -> tuple[str, ...]:
        """The columns an UPDATE sets (nothing for other statements)."""
        if not isinstance(self.node, ast.UpdateStmt):
            return ()
        return tuple(str(t.name) for t in self.node.targetList or () if getattr(t, "name", None))

    def added_columns(self) -> tuple[str, ...]:
        """The columns an ALTER TABLE adds (nothing for other statements)."""
        return self._alter_columns(_AT.AT_AddColumn)

    def dropped_columns(self) -> tuple[str, ...]:
        """The columns an ALTER TABLE drops (nothing for other statements)."""
        return self._alter_columns(_AT.AT_DropColumn)

    def _alter_columns(self, subtype: Any) -> tuple[str, ...]:
        if not isinstance(self.node, ast.AlterTableStmt):
            return ()
        found = []
        for cmd in self.node.cmds or ():
            if cmd.subtype != subtype:
                continue
            if subtype == _AT.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
                found.append(str(cmd.def_.colname))
            elif cmd.name:
                found.append(str(cmd.name))
        return tuple(found)


def normal_name(name: str | None) -> str:
    """A relation name as PostgreSQL resolves it in the default search_path, for comparing."""
    if not name:
        return ""
    return name.replace('"', "").removeprefix("public.")


def qualified(range_var: Any) -> str:
    """``schema.name`` or ``name`` for a pglast RangeVar."""
    if range_var is None:
        return ""
    if getattr(range_var, "schemaname", None):
        return f"{range_var.schemaname}.{range_var.relname}"
    return str(range_var.relname)


def _name_list(names: Any) -> str:
    return ".".join(n.sval for n in names if isinstance(n, ast.String))


def render_node(node: Any) -> str:
    try:
        return str(RawStream()(node))
    except Exception:  # pglast cannot print every node; a description is still useful
        return type(node).__name__


_AT = enums.AlterTableType
_SUE_SUBCOMMANDS = {
    _AT.AT_ValidateConstraint,
    _AT.AT_SetStatistics,
    _AT.AT_ClusterOn,
    _AT.AT_DropCluster,
    _AT.AT_AttachPartition,
}
_SRE_SUBCOMMANDS = {
    _AT.AT_EnableTrig,
    _AT.AT_DisableTrig,
    _AT.AT_EnableTrigAll,
    _AT.AT_DisableTrigAll,
    _AT.AT_EnableTrigUser,
    _AT.AT_DisableTrigUser,
    _AT.AT_EnableAlwaysTrig,
    _AT.AT_EnableReplicaTrig,
}
ALTER_WORDS = {
    _AT.AT_AddColumn: "ADD COLUMN",
    _AT.AT_DropColumn: "DROP COLUMN",
    _AT.AT_AlterColumnType: "ALTER COLUMN TYPE",
    _AT.AT_SetNotNull: "SET NOT NULL",
    _AT.AT_DropNotNull: "DROP NOT NULL",
    _AT.AT_ColumnDefault: "SET DEFAULT",
    _AT.AT_AddConstraint: "ADD CONSTRAINT",
    _AT.AT_DropConstraint: "DROP CONSTRAINT",
    _AT.AT_ValidateConstraint: "VALIDATE CONSTRAINT",
    _AT.AT_AddIndex: "ADD INDEX",
    _AT.AT_AttachPartition: "ATTACH PARTITION",
    _AT.AT_DetachPartition: "DETACH PARTITION",
    _AT.AT_SetTableSpace: "SET TABLESPACE",
    _AT.AT_SetLogged: "SET LOGGED",
    _AT.AT_SetUnLogged: "SET UNLOGGED",
}


def _alter_table(stmt: ast.AlterTableStmt, text: str) -> Statement:
    table = qualified(stmt.relation)
    lock: str | None = None
    actions: list[str] = []
    destroyed: list[str] = []
    type_changes: list[TypeChangeSpec] = []
    creates: list[str] = []
    extra_tables: list[str] = []
    is_index = stmt.objtype == enums.ObjectType.OBJECT_INDEX
    transactional = True
    for cmd in stmt.cmds or ():
        subtype = cmd.subtype
        word = ALTER_WORDS.get(subtype, subtype.name.removeprefix("AT_"))
        actions.append(f"{word} {cmd.name}" if cmd.name else word)
        if subtype in _SUE_SUBCOMMANDS:
            cmd_lock = SHARE_UPDATE_EXCLUSIVE
        elif subtype in _SRE_SUBCOMMANDS:
            cmd_lock = SHARE_ROW_EXCLUSIVE
        elif subtype == _AT.AT_DetachPartition and getattr(cmd.def_, "concurrent", False):
            cmd_lock = SHARE_UPDATE_EXCLUSIVE
            transactional = False  # DETACH PARTITION CONCURRENTLY refuses transaction blocks
        else:
            cmd_lock = ACCESS_EXCLUSIVE
        if subtype == _AT.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
            constraint = cmd.def_
            if constraint.contype == enums.ConstrType.CONSTR_FOREIGN:
                cmd_lock = SHARE_ROW_EXCLUSIVE
                extra_tables.append(qualified(constraint.pktable))
        lock = stronger(lock, cmd_lock)
        if subtype == _AT.AT_DropColumn:
            destroyed.append(f'drops column "{table}"."{cmd.name}" and the data in it')
        if subtype == _AT.AT_AlterColumnType and isinstance(cmd.def_, ast.ColumnDef):
            type_changes.append(TypeChangeSpec(table, str(cmd.name), cmd.def_))
        if subtype == _AT.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
            for constraint in cmd.def_.constraints or ():
                if constraint.contype == enums.ConstrType.CONSTR_FOREIGN:
                    extra_tables.append(qualified(constraint.pktable))
    return Statement(
        text=text,
        kind="AlterTableStmt",
        tag="ALTER INDEX" if is_index else "ALTER TABLE",
        tables=(table, *(t for t in extra_tables if t and t != table)),
        lock=lock,
        creates=tuple(creates),
        transactional=transactional,
        destructive="; ".join(destroyed) or None,
        actions=tuple(actions),
        type_changes=tuple(type_changes),
    )


_OT = enums.ObjectType
_DROP_WORDS = {
    _OT.OBJECT_TABLE: "TABLE",
    _OT.OBJECT_INDEX: "INDEX",
    _OT.OBJECT_VIEW: "VIEW",
    _OT.OBJECT_MATVIEW: "MATERIALIZED VIEW",
    _OT.OBJECT_SEQUENCE: "SEQUENCE",
    _OT.OBJECT_SCHEMA: "SCHEMA",
    _OT.OBJECT_TYPE: "TYPE",
    _OT.OBJECT_FUNCTION: "FUNCTION",
    _OT.OBJECT_TRIGGER: "TRIGGER",
    _OT.OBJECT_EXTENSION: "EXTENSION",
    _OT.OBJECT_DOMAIN: "DOMAIN",
    _OT.OBJECT_FOREIGN_TABLE: "FOREIGN TABLE",
}


def _drop(stmt: ast.DropStmt, text: str) -> Statement:
    kind = stmt.removeType
    word = _DROP_WORDS.get(kind, kind.name.removeprefix("OBJECT_"))
    names = []
    for obj in stmt.objects or ():
        if isinstance(obj, tuple):
            names.append(_name_list(obj))
        elif isinstance(obj, ast.String):
            names.append(obj.sval)
        else:
            names.append(render_node(obj))
    destructive = None
    cascade = stmt.behavior == enums.DropBehavior.DROP_CASCADE
    if kind == _OT.OBJECT_TABLE:
        quoted = ", ".join(f'"{n}"' for n in names)
        destructive = f"drops table {quoted} and every row in it"
    elif kind == _OT.OBJECT_SCHEMA:
        destructive = f'drops schema "{", ".join(names)}"' + (
            " and every table in it" if cascade else ""
        )
    elif kind == _OT.OBJECT_SEQUENCE:
        destructive = f'drops sequence "{", ".join(names)}" and its current value'
    if cascade and destructive is None and kind in {_OT.OBJECT_TYPE, _OT.OBJECT_DOMAIN}:
        destructive = f"drops {word.lower()} {', '.join(names)} with CASCADE (drops columns of it)"
    elif cascade and destructive is None:
        quoted = ", ".join(f'"{n}"' for n in names)
        destructive = (
            f"drops {word.lower()} {quoted} with CASCADE: what depends on it (constraints, "
            "foreign keys, views) is dropped too"
        )
    relation_kinds = {_OT.OBJECT_TABLE, _OT.OBJECT_INDEX, _OT.OBJECT_VIEW, _OT.OBJECT_MATVIEW}
    return Statement(
        text=text,
        kind="DropStmt",
        tag=f"DROP {word}",
        tables=tuple(names) if kind in relation_kinds else (),
        lock=(
            SHARE_UPDATE_EXCLUSIVE
            if stmt.concurrent
            else ACCESS_EXCLUSIVE
            if kind in relation_kinds
            else None
        ),
        transactional=not stmt.concurrent,
        destructive=destructive,
        actions=tuple(names),
    )


def _has_option(params: Any, name: str) -> bool:
    return any(isinstance(p, ast.DefElem) and p.defname == name for p in params or ())


_LOCK_MODES = {
    1: ACCESS_SHARE,
    2: ROW_SHARE,
    3: ROW_EXCLUSIVE,
    4: SHARE_UPDATE_EXCLUSIVE,
    5: SHARE,
    6: SHARE_ROW_EXCLUSIVE,
    7: EXCLUSIVE,
    8: ACCESS_EXCLUSIVE,
}


def _describe(node: Any, text: str) -> Statement:
    kind = type(node).__name__
    if isinstance(node, ast.AlterTableStmt):
        return _alter_table(node, text)
    if isinstance(node, ast.DropStmt):
        return _drop(node, text)
    if isinstance(node, ast.IndexStmt):
        return Statement(
            text=text,
            kind=kind,
            tag="CREATE UNIQUE INDEX" if node.unique else "CREATE INDEX",
            tables=(qualified(node.relation),),
            lock=SHARE_UPDATE_EXCLUSIVE if node.concurrent else SHARE,
            creates=(node.idxname,) if node.idxname else (),
            transactional=not node.concurrent,
        )
    if isinstance(node, ast.CreateStmt):
        refs = []
        for element in node.tableElts or ():
            constraints = list(getattr(element, "constraints", None) or ())
            if isinstance(element, ast.Constraint):
                constraints.append(element)
            refs.extend(
                qualified(c.pktable)
                for c in constraints
                if c.contype == enums.ConstrType.CONSTR_FOREIGN
            )
        return Statement(
            text=text,
            kind=kind,
            tag="CREATE TABLE",
            tables=tuple(dict.fromkeys(refs)),
            lock=SHARE_ROW_EXCLUSIVE if refs else None,
            creates=(qualified(node.relation),),
        )
    if isinstance(node, ast.CreateTableAsStmt):
        return Statement(
            text=text, kind=kind, tag="CREATE TABLE AS", creates=(qualified(node.into.rel),)
        )
    if isinstance(node, ast.CreateSeqStmt):
        return Statement(
            text=text, kind=kind, tag="CREATE SEQUENCE", creates=(qualified(node.sequence),)
        )
    if isinstance(node, ast.ViewStmt):
        return Statement(text=text, kind=kind, tag="CREATE VIEW", creates=(qualified(node.view),))
    if isinstance(node, ast.TruncateStmt):
        names = tuple(qualified(r) for r in node.relations or ())
        cascade = node.behavior == enums.DropBehavior.DROP_CASCADE
        return Statement(
            text=text,
            kind=kind,
            tag="TRUNCATE",
            tables=names,
            lock=ACCESS_EXCLUSIVE,
            destructive=f"truncates {', '.join(names)}: every row is deleted"
            + (" (CASCADE also empties every table that references it)" if cascade else ""),
        )
    if isinstance(node, ast.DeleteStmt):
        table = qualified(node.relation)
        has_where = node.whereClause is not None
        return Statement(
            text=text,
            kind=kind,
            tag="DELETE",
            tables=(table,),
            lock=ROW_EXCLUSIVE,
            has_where=has_where,
            destructive=None if has_where else f'deletes every row of "{table}" (no WHERE)',
        )
    if isinstance(node, ast.UpdateStmt):
        table = qualified(node.relation)
        has_where = node.whereClause is not None
        columns = ", ".join(t.name for t in node.targetList or () if hasattr(t, "name"))
        return Statement(
            text=text,
            kind=kind,
            tag="UPDATE",
            tables=(table,),
            lock=ROW_EXCLUSIVE,
            has_where=has_where,
            destructive=None
            if has_where
            else f'overwrites {columns or "columns"} in every row of "{table}" (no WHERE)',
        )
    if isinstance(node, ast.InsertStmt):
        return Statement(
            text=text,
            kind=kind,
            tag="INSERT",
            tables=(qualified(node.relation),),
            lock=ROW_EXCLUSIVE,
        )
    if isinstance(node, ast.RenameStmt):
        table = qualified(node.relation) if node.relation is not None else render_node(node.object)
        what = node.renameType.name.removeprefix("OBJECT_")
        detail = f"{node.subname} TO {node.newname}" if node.subname else f"TO {node.newname}"
        return Statement(
            text=text,
            kind=kind,
            tag=f"RENAME {what}",
            tables=(table,) if node.relation is not None else (),
            lock=ACCESS_EXCLUSIVE if node.relation is not None else None,
            actions=(detail,),
        )
    if isinstance(node, ast.VacuumStmt):
        full = _has_option(node.options, "full")
        names = tuple(qualified(r.relation) for r in node.rels or () if r.relation is not None)
        return Statement(
            text=text,
            kind=kind,
            tag=("VACUUM FULL" if full else "VACUUM") if node.is_vacuumcmd else "ANALYZE",
            tables=names,
            lock=ACCESS_EXCLUSIVE if full else SHARE_UPDATE_EXCLUSIVE,
            transactional=not node.is_vacuumcmd,
        )
    if isinstance(node, ast.ClusterStmt):
        return Statement(
            text=text,
            kind=kind,
            tag="CLUSTER",
            tables=(qualified(node.relation),) if node.relation is not None else (),
            lock=ACCESS_EXCLUSIVE,
        )
    if isinstance(node, ast.ReindexStmt):
        concurrently = _has_option(node.params, "concurrently")
        return Statement(
            text=text,
            kind=kind,
            tag="REINDEX",
            tables=(qualified(node.relation),) if node.relation is not None else (),
            lock=SHARE_UPDATE_EXCLUSIVE if concurrently else ACCESS_EXCLUSIVE,
            transactional=not concurrently,
        )
    if isinstance(node, ast.LockStmt):
        return Statement(
            text=text,
            kind=kind,
            tag="LOCK TABLE",
            tables=tuple(qualified(r) for r in node.relations or ()),
            lock=_LOCK_MODES.get(node.mode, ACCESS_EXCLUSIVE),
        )
    if isinstance(node, ast.RefreshMatViewStmt):
        return Statement(
            text=text,
            kind=kind,
            tag="REFRESH MATERIALIZED VIEW",
            tables=(qualified(node.relation),),
            lock=EXCLUSIVE if node.concurrent else ACCESS_EXCLUSIVE,
        )
    if isinstance(node, ast.CreateTrigStmt):
        return Statement(
            text=text,
            kind=kind,
            tag="CREATE TRIGGER",
            tables=(qualified(node.relation),),
            lock=SHARE_ROW_EXCLUSIVE,
        )
    if isinstance(node, ast.TransactionStmt):
        word = node.kind.name.removeprefix("TRANS_STMT_")
        return Statement(text=text, kind=kind, tag=word, transaction_control=word)
    if isinstance(node, ast.DropdbStmt):
        return Statement(
            text=text,
            kind=kind,
            tag="DROP DATABASE",
            transactional=False,
            destructive=f'drops database "{node.dbname}"',
        )
    if isinstance(node, ast.CreatedbStmt):
        return Statement(text=text, kind=kind, tag="CREATE DATABASE", transactional=False)
    if isinstance(node, ast.AlterEnumStmt):
        return Statement(text=text, kind=kind, tag="ALTER TYPE")
    if isinstance(node, ast.SelectStmt):
        return Statement(text=text, kind=kind, tag="SELECT", lock=ACCESS_SHARE)
    tag = kind.removesuffix("Stmt")
    return Statement(text=text, kind=kind, tag=tag.upper())


@lru_cache(maxsize=4096)
def parse(sql: str) -> tuple[Statement, ...]:
    """Split ``sql`` into statements and describe each; unparseable text is kept whole."""
    if not sql.strip():
        return ()
    try:
        raw_statements = pglast.parse_sql(sql)
    except ParseError as exc:
        return (Statement(text=sql.strip(), kind="Unparsed", tag="UNPARSED", error=str(exc)),)
    result = []
    for raw in raw_statements:  # pglast reports character (not byte) offsets
        start = raw.stmt_location or 0
        end = start + raw.stmt_len if raw.stmt_len else len(sql)
        text = sql[start:end].strip()
        statement = _describe(raw.stmt, text)
        result.append(_with_node(statement, raw.stmt))
    return tuple(result)


def _with_node(statement: Statement, node: Any) -> Statement:
    object.__setattr__(statement, "node", node)
    return statement
