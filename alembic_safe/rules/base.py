"""The lint model: severities, findings, the rule base class, the per-plan context, the registry.

A rule is a class with a stable kebab-case :attr:`Rule.id`, a default :attr:`Rule.severity`,
message and suggestion templates, and a docstring that *is* its documentation page
(``docs/rules/<id>.md`` is generated from it).  :meth:`Rule.check` reads one captured
plan through a :class:`RuleContext` and yields :class:`Finding` objects.

The context walks the plan's SQL statement by statement and knows, for each one, whether
it runs inside the migration transaction (and which one), which tables and columns the
revision created before it (operations on those are exempt: nobody else can be waiting
on a table that did not exist a moment ago), and, with a live connection, the table's
estimated rows and size (an ALTER of a small table is downgraded to info).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

from alembic.script import Script

from alembic_safe.analysis.stats import SMALL_TABLE_ROWS
from alembic_safe.capture.plan import Plan, Step
from alembic_safe.capture.sqlparse import Statement, normal_name
from alembic_safe.config import Settings
from alembic_safe.operations.ops import SAFE_OPERATIONS
from alembic_safe.pg.catalog import split_table

if TYPE_CHECKING:
    from alembic_safe.analysis.stats import LiveCatalog
    from alembic_safe.rules.suppress import Suppressions

DEFAULT_POSTGRES_VERSION = 15
"""Target major version assumed when neither ``postgres_version`` nor ``--url`` says."""


DOC_SECTIONS = ("What it does", "Why is this bad?", "What to do instead", "PostgreSQL versions")
"""Sections every rule docstring has, in this order (``## <name>``)."""


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Finding:
    """One problem in one revision (the JSON contract of ``alembic-safe check``)."""

    revision: str
    path: str
    line: int
    """1-based line in :attr:`path`."""
    rule: str
    severity: Severity
    message: str
    suggestion: str
    direction: str = "upgrade"
    suppressed: str | None = None
    """Why the finding is suppressed (it is reported but does not fail the check)."""
    fingerprint: str = ""
    """Stable across line moves: revision, direction, rule and the statement it is about."""
    destructive: bool = False
    key: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """What the finding is about, for cross-revision facts (``(table, column)``); not output."""

    def to_json(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "path": self.path,
            "line": self.line,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "suggestion": self.suggestion,
            "direction": self.direction,
            "suppressed": self.suppressed,
            "destructive": self.destructive,
            "fingerprint": self.fingerprint,
        }


def fingerprint(revision: str, direction: str, rule: str, subject: str) -> str:
    normal = " ".join(subject.split()).lower()
    digest = hashlib.sha1(f"{revision}|{direction}|{rule}|{normal}".encode(), usedforsecurity=False)
    return digest.hexdigest()[:16]


# --------------------------------------------------------------------------- names and code


def norm(name: str | None) -> str:
    """Compare table names as PostgreSQL resolves them in the default search_path."""
    return normal_name(name)


def py(value: Any) -> str:
    """Python source for a literal, strings double-quoted (as in Alembic's own docs)."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(py(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py(k)}: {py(v)}" for k, v in value.items()) + "}"
    return repr(value)


def call(function: str, *args: Any, **kwargs: Any) -> str:
    """``op.x("a", ["b"], unique=True)`` with the user's names (None keywords left out)."""
    parts = [py(a) for a in args] + [f"{k}={py(v)}" for k, v in kwargs.items() if v is not None]
    return f"{function}({', '.join(parts)})"


def table_call(
    function: str, table: str, *args: Any, before: tuple[Any, ...] = (), **kwargs: Any
) -> str:
    """A call on ``table`` with its schema as ``schema=`` (never ``"sales.posts"``).

    ``before`` holds the arguments that come before the table (a constraint name).
    """
    schema, bare = split_table(table)
    return call(function, *before, bare, *args, **kwargs, schema=schema)


# --------------------------------------------------------------------------- the context


@dataclass(frozen=True)
class StatementRef:
    """A statement of the plan with where it runs."""

    position: int
    step: Step
    statement: Statement
    in_transaction: bool
    transaction: int
    """Statements with the same number run in the same transaction (when in_transaction)."""

    @property
    def node(self) -> Any:
        return self.statement.node

    safe_op: bool = False
    """The step is one of alembic-safe's own operations (:data:`~alembic_safe.operations.ops.SAFE_OPERATIONS`)."""


@dataclass(frozen=True)
class Raised:
    """A finding with the statement and table it is about (for plan-level rules)."""

    finding: Finding
    rule: Rule
    ref: StatementRef | None
    table: str | None
    slow: bool = False
    """The finding means a long lock on :attr:`table` (see :attr:`Rule.slow`)."""


@dataclass
class RuleContext:
    """What a rule may read about one revision in one direction."""

    script: Script
    plan: Plan
    settings: Settings
    postgres_version: int
    live: LiveCatalog | None = None
    suppressions: Suppressions | None = None
    other_plan: Plan | None = None
    """The opposite direction's plan (the downgrade when linting the upgrade)."""
    history: HistoryFacts | None = None
    refs: list[StatementRef] = field(default_factory=list)
    raised: list[Raised] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    """Table -> position of the statement that created it in this plan."""
    added_columns: dict[tuple[str, str], int] = field(default_factory=dict)
    by_node: dict[type, list[StatementRef]] = field(default_factory=dict)
    """The statements of :attr:`refs` by pglast node class, in plan order."""

    def refs_of(self, nodes: tuple[type, ...] | None) -> list[StatementRef]:
        """The statements whose node is one of ``nodes`` (all of them for None), in order."""
        if nodes is None:
            return self.refs
        if len(nodes) == 1:
            return self.by_node.get(nodes[0], [])
        found = [r for n in nodes for r in self.by_node.get(n, [])]
        return sorted(found, key=lambda r: r.position)

    @classmethod
    def build(cls, script: Script, plan: Plan, settings: Settings, **kw: Any) -> RuleContext:
        ctx = cls(script=script, plan=plan, settings=settings, **kw)
        ctx._walk()
        return ctx

    def _walk(self) -> None:
        position = 0
        transaction = 0
        state: bool | None = None
        for step in self.plan.steps:
            if state is None or state != step.in_transaction:
                state = step.in_transaction
                transaction += 1
            safe = isinstance(step.op, SAFE_OPERATIONS)
            for statement in step.statements:
                control = statement.transaction_control
                if control in {"COMMIT", "ROLLBACK", "END", "ABORT"}:
                    state = False
                    transaction += 1
                    continue
                if control in {"BEGIN", "START"}:
                    state = True
                    transaction += 1
                    continue
                if not state:
                    transaction += 1
                ref = StatementRef(position, step, statement, bool(state), transaction, safe)
                self.refs.append(ref)
                self.by_node.setdefault(type(statement.node), []).append(ref)
                for created in statement.creates:
                    self.created.setdefault(norm(created), position)
                for table, column in added_columns(statement):
                    self.added_columns.setdefault((norm(table), column), position)
                position += 1

    # ---- facts rules share

    @property
    def revision(self) -> str:
        return self.script.revision

    @property
    def direction(self) -> str:
        return self.plan.direction

    @property
    def heads(self) -> tuple[Script, ...]:
        """The history's heads when it has several that no branch label separates."""
        return self.history.heads if self.history is not None else ()

    def table_is_new(self, table: str | None, ref: StatementRef | None = None) -> bool:
        """The revision created ``table`` before ``ref`` (or at all, without ``ref``)."""
        at = self.created.get(norm(table))
        return at is not None and (ref is None or at < ref.position)

    def is_key_lookup(self, table: str, where: Any) -> bool:
        """``where`` names rows by a whole key of ``table`` with constants: a few rows at most.

        The keys are the table's primary key as the history created it and, with a live
        connection, every primary key, unique constraint and unique index of the table.
        """
        columns = constant_columns(where)
        if not columns:
            return False
        keys: list[tuple[str, ...]] = []
        known = self.history.primary_keys.get(norm(table)) if self.history else None
        if known is not None:
            keys.append(known[1])
        if self.live is not None:
            keys.extend(self.live.key_columns(table))
        return any(key and set(key) <= columns for key in keys)

    def column_is_new(self, table: str, column: str, ref: StatementRef | None = None) -> bool:
        at = self.added_columns.get((norm(table), column))
        return at is not None and (ref is None or at < ref.position)

    def table_is_small(self, table: str | None) -> bool:
        if self.live is None or not table:
            return False
        stats = self.live.table(table)
        return stats is not None and stats.is_small(SMALL_TABLE_ROWS)

    def line_of(self, step: Step | None) -> int:
        if step is not None and step.lineno:
            return step.lineno
        return self.function_line()

    def function_line(self, direction: str | None = None) -> int:
        if self.suppressions is not None:
            line = self.suppressions.function_lines.get(direction or self.direction)
            if line:
                return line
        return 1

    # ---- reporting

    def report(
        self,
        rule: Rule,
        ref: StatementRef | None,
        *,
        table: str | None = None,
        message: str | None = None,
        suggestion: str | None = None,
        subject: str | None = None,
        severity: Severity | None = None,
        line: int | None = None,
        slow: bool | None = None,
        key: tuple[str, ...] = (),
        **values: Any,
    ) -> Finding:
        """Build a finding from ``rule``'s templates, with live size facts when known.

        Templates name the table as written in messages (``{table}``: ``sales.posts``) and
        as Alembic takes it in code: ``{table_py}`` (``"posts"``) and ``{schema_kw}``
        (``, schema="sales"``, or nothing).
        """
        values.setdefault("table", table or "")
        schema, bare = split_table(values["table"])
        values.setdefault("table_py", py(bare))
        values.setdefault("schema_kw", f", schema={py(schema)}" if schema else "")
        text = (message or rule.message).format(**values)
        advice = (suggestion if suggestion is not None else rule.suggestion).format(**values)
        level = severity or rule.severity
        if self.live is not None and table:
            stats = self.live.table(table)
            if stats is not None and stats.known:
                text = f"{stats.describe()}: {text}"
                if rule.size_sensitive and stats.is_small(SMALL_TABLE_ROWS):
                    level = Severity.INFO
                    text += " (small table: the lock is brief)"
        step = ref.step if ref is not None else None
        about = subject if subject is not None else (ref.statement.text if ref else rule.id)
        finding = Finding(
            revision=self.revision,
            path=self.plan.path,
            line=line or self.line_of(step),
            rule=rule.id,
            severity=level,
            message=text,
            suggestion=advice,
            direction=self.direction,
            fingerprint=fingerprint(self.revision, self.direction, rule.id, about),
            destructive=rule.destructive,
            key=key,
        )
        is_slow = rule.slow if slow is None else slow
        self.raised.append(Raised(finding, rule, ref, norm(table) if table else None, is_slow))
        return finding


@dataclass
class HistoryFacts:
    """Facts carried from one revision to the next while linting a history in order."""

    not_null_checks: dict[tuple[str, str], str] = field(default_factory=dict)
    """(table, column) -> name of a validated ``CHECK (column IS NOT NULL)``."""
    primary_keys: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    """table -> (constraint name, columns) of the primary keys the history created."""
    indexes: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    """index -> (table, columns) of the plain-column indexes the history created."""
    heads: tuple[Script, ...] = ()
    """The heads of the whole history when there are several (known before linting)."""

    def learn(self, refs: Iterable[StatementRef]) -> None:
        """Take in what one revision's upgrade did (its statements, in order)."""
        refs = list(refs)
        self.not_null_checks = validated_not_null_checks(refs, self.not_null_checks)
        for ref in refs:
            _learn_keys(ref, self)

    def absorb(self, later: HistoryFacts) -> None:
        """Add the facts of a later stretch of the history (linted on its own)."""
        self.not_null_checks.update(later.not_null_checks)
        self.primary_keys.update(later.primary_keys)
        self.indexes.update(later.indexes)

    def voids(self, finding: Finding, postgres_version: int) -> bool:
        """A finding made without these (earlier) facts that they show to be wrong."""
        if not finding.key:
            return False
        if finding.rule == "set-not-null":
            return postgres_version >= 12 and finding.key in self.not_null_checks
        if finding.rule == "backfill-in-transaction" and finding.key[0] == "lookup":
            known = self.primary_keys.get(finding.key[1])
            return known is not None and set(known[1]) <= set(finding.key[2:])
        if finding.rule == "drop-index-non-concurrently" and finding.key[0] == "drop-index":
            index = self.indexes.get(finding.key[1])
            return index is not None and bool(set(index[1]) & set(finding.key[2:]))
        return False


def constant_columns(where: Any) -> set[str]:
    """Columns ``where`` compares with constants by ``=`` or ``IN``, across ``AND``."""
    from pglast import ast, enums

    found: set[str] = set()
    if isinstance(where, ast.BoolExpr) and where.boolop == enums.BoolExprType.AND_EXPR:
        for arg in where.args or ():
            found |= constant_columns(arg)
        return found
    if not isinstance(where, ast.A_Expr):
        return found
    left, right = where.lexpr, where.rexpr
    if isinstance(right, ast.ColumnRef) and not isinstance(left, ast.ColumnRef):
        left, right = right, left
    if not isinstance(left, ast.ColumnRef) or not left.fields:
        return found
    column = left.fields[-1]
    if not isinstance(column, ast.String):
        return found
    constant = (ast.A_Const, ast.ParamRef)
    operator = [n.sval for n in where.name or () if isinstance(n, ast.String)]
    if where.kind == enums.A_Expr_Kind.AEXPR_OP and operator == ["="]:
        if isinstance(right, constant) or (
            isinstance(right, ast.TypeCast) and isinstance(right.arg, constant)
        ):
            found.add(str(column.sval))
    elif (
        where.kind == enums.A_Expr_Kind.AEXPR_IN
        and isinstance(right, (list, tuple))
        and all(isinstance(v, constant) for v in right)
    ):
        found.add(str(column.sval))
    return found


def _learn_keys(ref: StatementRef, facts: HistoryFacts) -> None:
    """Primary keys and indexes created, renamed and dropped by one statement."""
    from pglast import ast, enums

    node = ref.node
    keys = facts.primary_keys
    if isinstance(node, ast.CreateStmt):
        table = norm(ref.statement.creates[0]) if ref.statement.creates else ""
        for element in node.tableElts or ():
            if isinstance(element, ast.ColumnDef):
                for constraint in element.constraints or ():
                    if constraint.contype == enums.ConstrType.CONSTR_PRIMARY:
                        keys[table] = (_pk_name(table, constraint), (str(element.colname),))
            elif (
                isinstance(element, ast.Constraint)
                and element.contype == enums.ConstrType.CONSTR_PRIMARY
            ):
                keys[table] = (_pk_name(table, element), tuple(names(element.keys)))
    elif isinstance(node, ast.IndexStmt) and node.idxname:
        columns = tuple(names(node.indexParams))
        if all(isinstance(p, ast.IndexElem) and p.name for p in node.indexParams or ()):
            facts.indexes[norm(node.idxname)] = (norm(target_table(ref)), columns)
    elif isinstance(node, ast.AlterTableStmt):
        table = norm(target_table(ref))
        for cmd in node.cmds or ():
            _learn_alter(cmd, table, facts)
    elif isinstance(node, ast.DropStmt) and node.removeType == enums.ObjectType.OBJECT_TABLE:
        for name in ref.statement.actions:
            keys.pop(norm(name), None)
    elif isinstance(node, ast.RenameStmt) and node.relation is not None:
        table = norm(target_table(ref))
        if node.renameType == enums.ObjectType.OBJECT_TABLE and table in keys:
            schema = table.rpartition(".")[0]
            keys[norm(f"{schema}.{node.newname}" if schema else node.newname)] = keys.pop(table)
        elif node.renameType == enums.ObjectType.OBJECT_COLUMN and table in keys:
            name, columns = keys[table]
            renamed = tuple(str(node.newname) if c == node.subname else c for c in columns)
            keys[table] = (name, renamed)


def _learn_alter(cmd: Any, table: str, facts: HistoryFacts) -> None:
    from pglast import ast, enums

    subtype = cmd.subtype
    keys = facts.primary_keys
    at = enums.AlterTableType
    if subtype == at.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
        constraint = cmd.def_
        if constraint.contype == enums.ConstrType.CONSTR_PRIMARY:
            columns = tuple(names(constraint.keys))
            if constraint.indexname:
                index = facts.indexes.get(norm(constraint.indexname))
                columns = index[1] if index is not None else ()
            if columns:
                keys[table] = (_pk_name(table, constraint), columns)
    elif subtype == at.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
        for constraint in cmd.def_.constraints or ():
            if constraint.contype == enums.ConstrType.CONSTR_PRIMARY:
                keys[table] = (_pk_name(table, constraint), (str(cmd.def_.colname),))
    elif (subtype == at.AT_DropConstraint and table in keys and keys[table][0] == cmd.name) or (
        subtype == at.AT_DropColumn and table in keys and cmd.name in keys[table][1]
    ):
        del keys[table]


def _pk_name(table: str, constraint: Any) -> str:
    return str(constraint.conname or f"{table.rpartition('.')[2]}_pkey")


def added_columns(statement: Statement) -> Iterator[tuple[str, str]]:
    from pglast import ast, enums

    node = statement.node
    if not isinstance(node, ast.AlterTableStmt):
        return
    table = statement.tables[0] if statement.tables else ""
    for cmd in node.cmds or ():
        if cmd.subtype == enums.AlterTableType.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
            yield table, str(cmd.def_.colname)


# --------------------------------------------------------------------------- rules


class Rule:
    """Base class of every rule; subclasses set the class attributes and ``check``."""

    id: ClassVar[str]
    severity: ClassVar[Severity]
    message: ClassVar[str]
    """The problem, present tense, with ``{placeholders}`` for the user's names."""
    suggestion: ClassVar[str]
    """What to write instead: the exact safe call when the rule can build it."""
    destructive: ClassVar[bool] = False
    """Findings are data-loss risks."""
    size_sensitive: ClassVar[bool] = True
    """With live statistics, a small table turns the finding into info."""
    slow: ClassVar[bool] = False
    """A finding means a long lock (rewrite, scan, index build) on its table."""
    directions: ClassVar[tuple[str, ...]] = ("upgrade",)
    """Plans the rule reads: most rules lint ``upgrade()`` only."""
    order: ClassVar[int] = 0
    """Rules run by increasing order; plan-level rules that read other findings go last."""
    since: ClassVar[str] = "0.1.0"

    def check(self, ctx: RuleContext) -> Iterable[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def doc(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        sections: dict[str, str] = {}
        current: str | None = None
        for line in cls.doc().splitlines():
            match = re.match(r"^## (.+?)\s*$", line)
            if match:
                current = match.group(1)
                sections[current] = ""
            elif current is not None:
                sections[current] += line + "\n"
        return {k: v.strip() for k, v in sections.items()}


class StatementRule(Rule):
    """A rule that looks at one statement at a time.

    :attr:`nodes` names the pglast statement classes the rule reads (``ast.IndexStmt``):
    the rule sees only those statements, so a plan is not walked once per rule.
    """

    nodes: ClassVar[tuple[type, ...] | None] = None
    """Statement node classes the rule reads; None for every statement."""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for ref in ctx.refs_of(self.nodes):
            yield from self.check_statement(ref, ctx)

    def check_statement(
        self, ref: StatementRef, ctx: RuleContext
    ) -> Iterable[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError


REGISTRY: dict[str, Rule] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Add a rule to the registry; its id must be new and its docstring complete."""
    if not re.fullmatch(r"[a-z]+(-[a-z]+)*", cls.id):
        raise ValueError(f"rule id {cls.id!r} is not kebab-case")
    if cls.id in REGISTRY:
        raise ValueError(f"rule id {cls.id!r} is registered twice")
    missing = [s for s in DOC_SECTIONS if s not in cls.doc_sections()]
    if missing:
        raise ValueError(f"rule {cls.id} has no doc section(s): {', '.join(missing)}")
    REGISTRY[cls.id] = cls()
    return cls


# --------------------------------------------------------------------------- statement helpers


def alter_commands(ref: StatementRef) -> Iterator[Any]:
    """The sub-commands of an ALTER TABLE statement (nothing for other statements)."""
    from pglast import ast

    node = ref.node
    if isinstance(node, ast.AlterTableStmt):
        yield from node.cmds or ()


def target_table(ref: StatementRef) -> str:
    """The table an ALTER/CREATE INDEX/... statement works on, as written."""
    return ref.statement.tables[0] if ref.statement.tables else ""


def existing_alter_target(ref: StatementRef, ctx: RuleContext) -> str | None:
    """The table an unsafe ALTER works on, or None when exempt.

    Exempt: the statement comes from one of our safe operations, or the table was created
    earlier in the same revision (nobody reads or writes it yet).
    """
    if ref.safe_op:
        return None
    table = target_table(ref)
    return None if ctx.table_is_new(table, ref) else table


def names(nodes: Any) -> list[str]:
    """Plain names of a pglast list of String nodes or IndexElems."""
    from pglast import ast

    out = []
    for node in nodes or ():
        if isinstance(node, ast.String):
            out.append(str(node.sval))
        elif isinstance(node, ast.IndexElem) and node.name:
            out.append(str(node.name))
        elif isinstance(node, ast.IndexElem):
            from alembic_safe.capture.sqlparse import render_node

            out.append(render_node(node.expr))
    return out


def op_columns(value: Any) -> list[str]:
    """Column names of an Alembic op's ``columns`` argument, expressions as SQL text."""
    out = []
    for item in value or ():
        name = getattr(item, "name", None)
        out.append(str(name) if isinstance(name, str) else str(item))
    return out


def not_null_check_column(constraint: Any) -> str | None:
    """``c`` for a ``CHECK (c IS NOT NULL)`` constraint node, else None."""
    from pglast import ast, enums

    if not isinstance(constraint, ast.Constraint):
        return None
    if constraint.contype != enums.ConstrType.CONSTR_CHECK:
        return None
    expr = constraint.raw_expr
    if (
        isinstance(expr, ast.NullTest)
        and expr.nulltesttype == enums.NullTestType.IS_NOT_NULL
        and isinstance(expr.arg, ast.ColumnRef)
        and expr.arg.fields
        and isinstance(expr.arg.fields[-1], ast.String)
    ):
        return str(expr.arg.fields[-1].sval)
    return None


def validated_not_null_checks(
    refs: Iterable[StatementRef], known: dict[tuple[str, str], str] | None = None
) -> dict[tuple[str, str], str]:
    """(table, column) -> CHECK name, for NOT NULL checks validated by these statements."""
    from pglast import enums

    validated = dict(known or {})
    pending: dict[str, tuple[str, str]] = {}
    for ref in refs:
        table = norm(target_table(ref))
        for cmd in alter_commands(ref):
            if cmd.subtype == enums.AlterTableType.AT_AddConstraint:
                column = not_null_check_column(cmd.def_)
                if column is None:
                    continue
                name = str(cmd.def_.conname or "")
                if cmd.def_.skip_validation:
                    pending[name] = (table, column)
                else:
                    validated[(table, column)] = name
            elif cmd.subtype == enums.AlterTableType.AT_ValidateConstraint:
                if cmd.name in pending:
                    validated[pending.pop(cmd.name)] = str(cmd.name)
            elif cmd.subtype == enums.AlterTableType.AT_DropConstraint:
                for key, name in list(validated.items()):
                    if name == cmd.name and key[0] == table:
                        del validated[key]
    return validated
