"""Naming rules: identifiers PostgreSQL would change silently."""

from __future__ import annotations

from collections.abc import Iterable

from alembic.operations import ops
from pglast.parser import ParseError, scan

from alembic_safe.rules.base import Finding, Rule, RuleContext, Severity, register

MAX_IDENTIFIER_BYTES = 63
"""NAMEDATALEN - 1: PostgreSQL keeps this many bytes of a name."""


def _identifier(token_text: str) -> str:
    """A name as PostgreSQL stores it: quoted as written, unquoted folded to lower case."""
    if token_text.startswith('"') and token_text.endswith('"') and len(token_text) > 1:
        return token_text[1:-1].replace('""', '"')
    return token_text.lower()


def truncated(name: str) -> str:
    """What PostgreSQL keeps of ``name``: at most 63 bytes, cut at a character boundary."""
    data = name.encode("utf-8")[:MAX_IDENTIFIER_BYTES]
    return data.decode("utf-8", errors="ignore")


def long_identifiers(sql: str) -> list[str]:
    """Identifiers of ``sql`` longer than 63 bytes, in order, as written (not truncated)."""
    try:
        tokens = scan(sql)
    except ParseError:
        return []
    found = []
    for token in tokens:
        if token.name != "IDENT":
            continue
        name = _identifier(sql[token.start : token.end + 1])
        if len(name.encode("utf-8")) > MAX_IDENTIFIER_BYTES:
            found.append(name)
    return found


@register
class IdentifierTooLong(Rule):
    """## What it does
    Flags a name longer than 63 bytes (a table, column, index, constraint...) that a
    revision gives an object: in the arguments of an Alembic operation (`op.f(...)` names
    and names a naming convention builds, such as
    `fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s`, grow long quickly) and
    in raw SQL.

    ## Why is this bad?
    PostgreSQL keeps only the first 63 bytes of an identifier and says so only in a
    NOTICE; SQLAlchemy shortens `op.f()` and convention names itself (with a hash
    suffix, differently across versions) and refuses other long names when the
    migration runs. Either way the object gets another name than the one in the code:
    autogenerate sees a difference on every run, a later drop by the full name depends on
    being cut the same way, and two long names that share their first 63 bytes collide
    ("already exists"), which is an error here.

    ## What to do instead
    Give the object a shorter explicit name:

    ```python
    sa.ForeignKeyConstraint(
        ["parent_block_document_id"], ["block_document.id"],
        name="fk_block_doc_ref__parent_block_doc_id",
    )
    ```

    or shorten the naming convention (`%(column_0_N_name)s`, a hash suffix).

    ## PostgreSQL versions
    All (NAMEDATALEN is 64 unless PostgreSQL was compiled with another value).
    """

    id = "identifier-too-long"
    severity = Severity.WARNING
    size_sensitive = False
    message = 'identifier "{name}" is {size} bytes: PostgreSQL cuts it to 63 ("{short}") and says so only in a NOTICE'
    suggestion = "give it an explicit name of at most 63 bytes"

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        seen: dict[str, str] = {}
        for step in ctx.plan.steps:
            ref = next((r for r in ctx.refs if r.step is step), None)
            from_op = op_names(step.op) if step.op is not None else []
            names = [(n, True) for n in from_op]
            if not from_op:  # raw SQL: the names as PostgreSQL reads them
                for statement in step.statements:
                    if len(statement.text) > MAX_IDENTIFIER_BYTES:
                        names += [(n, False) for n in long_identifiers(statement.text)]
            for name, in_code in names:
                if len(name.encode("utf-8")) <= MAX_IDENTIFIER_BYTES:
                    continue
                short = truncated(name)
                if seen.get(short) == name:
                    continue  # reported where it first appears
                other = seen.get(short)
                seen[short] = name
                values = {
                    "name": name,
                    "size": len(name.encode("utf-8")),
                    "short": short,
                    "other": other or "",
                }
                message = None
                if other is not None:
                    message = (
                        'identifier "{name}" is {size} bytes and shares its first 63 bytes with '
                        '"{other}": PostgreSQL makes them the same name, they collide'
                    )
                elif in_code:
                    message = (
                        'name "{name}" is {size} bytes: the object is created under a shortened '
                        "name (PostgreSQL keeps 63 bytes), not the one the code uses"
                    )
                yield ctx.report(
                    self,
                    ref,
                    line=ctx.line_of(step),
                    subject=name,
                    severity=Severity.ERROR if other is not None else None,
                    message=message,
                    **values,
                )


_NAME_ATTRIBUTES = (
    "table_name",
    "constraint_name",
    "index_name",
    "column_name",
    "new_column_name",
    "new_table_name",
)


def op_names(op: object) -> list[str]:
    """The names an Alembic operation gives objects, as the revision writes them."""
    found = [v for a in _NAME_ATTRIBUTES if isinstance(v := getattr(op, a, None), str)]
    items: list[object] = []
    if isinstance(op, ops.CreateTableOp):
        items = list(op.columns)
        for column in op.columns:
            items.extend(getattr(column, "constraints", ()) or ())
    elif isinstance(op, ops.AddColumnOp):
        items = [op.column, *(op.column.constraints or ())]
    for named in items:
        name = getattr(named, "name", None)
        if isinstance(name, str):
            found.append(name)
    return list(dict.fromkeys(found))
