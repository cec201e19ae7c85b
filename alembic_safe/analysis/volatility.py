"""Whether a column default is volatile: the one judgement for the linter and the impact page.

``ADD COLUMN ... DEFAULT <expr>`` is a catalog change on PostgreSQL 11+ unless ``<expr>``
calls a VOLATILE function (``gen_random_uuid()``, ``uuidv7()``, ``clock_timestamp()``,
``nextval()``...): then PostgreSQL computes a value per row and rewrites the table under
ACCESS EXCLUSIVE.  Built-in functions are known from pg_proc
(:mod:`alembic_safe.analysis.volatility_data`, generated); other functions are asked of the
live catalog when there is one, and are otherwise unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pglast import ast, visitors

from alembic_safe.analysis.volatility_data import NOT_VOLATILE, VOLATILE

LiveVolatility = Callable[[str], "str | None"]
"""A qualified function name -> ``volatile`` / ``stable`` / ``immutable``, or None if unknown."""


class _Functions(visitors.Visitor):
    def __init__(self) -> None:
        self.found: list[str] = []

    def visit_FuncCall(self, ancestors: Any, node: ast.FuncCall) -> None:
        parts = [n.sval for n in node.funcname if isinstance(n, ast.String)]
        self.found.append(".".join(p for p in parts if p != "pg_catalog"))


def functions_in(expr: Any) -> list[str]:
    """Names of the functions an expression calls (``pg_catalog.`` dropped), in order."""
    if expr is None:
        return []
    visitor = _Functions()
    visitor(expr)
    return visitor.found


@dataclass(frozen=True)
class Verdict:
    """What the functions of an expression say about its volatility."""

    volatile: list[str] = field(default_factory=list)
    """Functions known to be VOLATILE."""
    unknown: list[str] = field(default_factory=list)
    """Functions neither pg_proc's built-ins nor the live catalog know."""

    @property
    def is_volatile(self) -> bool:
        return bool(self.volatile)


def judge(expr: Any, live: LiveVolatility | None = None) -> Verdict:
    """The volatility of the functions ``expr`` (a pglast expression) calls."""
    volatile: list[str] = []
    unknown: list[str] = []
    for name in functions_in(expr):
        base = name.rpartition(".")[2].lower()
        schema = name.rpartition(".")[0]
        if not schema or schema == "public":
            if base in VOLATILE:
                volatile.append(name)
                continue
            if base in NOT_VOLATILE:
                continue
        found = live(name) if live is not None else None
        if found == "volatile":
            volatile.append(name)
        elif found is None:
            unknown.append(name)
    return Verdict(volatile, unknown)
