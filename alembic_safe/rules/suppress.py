"""Suppressing findings in a revision file, with a reason that stays next to the code.

Three forms, narrowest first:

* a comment on the operation's line (any line of a multi-line call, or alone on the
  line above it)::

      op.drop_column("users", "legacy_flag")  # alembic-safe: ignore[drop-column] unused since v42

* the same comment on ``def upgrade():`` (or ``def downgrade():``): the whole function;
* a module-level mapping of rule ids to reasons: the whole revision::

      alembic_safe_ignore = {"drop-column": "the column was never read (ticket #512)"}

A suppression without a reason is reported (``ignore-without-reason``), and one that
matches no finding is reported as ``unused-ignore``, so stale comments do not pile up.
The file is read as text and parsed with :mod:`ast`; it is never imported again.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

DIRECTIVE = re.compile(r"#\s*alembic-safe:\s*ignore\[([^\]]*)\]\s*(.*)$", re.I)
MODULE_VARIABLE = "alembic_safe_ignore"
_DEF = re.compile(r"^(?:async\s+)?def\s+(\w+)\s*\(", re.M)


@dataclass
class Directive:
    """One suppression: where it is written, what it covers, why."""

    line: int
    rules: tuple[str, ...]
    reason: str
    start: int
    end: int
    scope: str
    """``line``, ``function`` or ``module``."""
    per_rule: dict[str, str] = field(default_factory=dict)
    """Module-level form: each rule has its own reason."""
    used: set[str] = field(default_factory=set)

    def reason_for(self, rule: str) -> str:
        return self.per_rule.get(rule, self.reason) if self.per_rule else self.reason

    def covers(self, rule: str, line: int) -> bool:
        return rule in self.rules and self.start <= line <= self.end


def _clean_reason(text: str) -> str:
    """The reason after the bracket, up to another comment on the line (`` # ...``)."""
    text = re.split(r"(?:^|\s)#", text, maxsplit=1)[0]
    return text.strip().lstrip("-:—").strip()


@dataclass
class Suppressions:
    """The suppressions and function lines of one revision file."""

    path: str
    directives: list[Directive] = field(default_factory=list)
    function_lines: dict[str, int] = field(default_factory=dict)
    syntax_error: str | None = None

    def match(self, rule: str, line: int) -> Directive | None:
        """The narrowest directive covering ``rule`` at ``line``; marks it used."""
        best: Directive | None = None
        for directive in self.directives:
            if directive.covers(rule, line) and (
                best is None or directive.end - directive.start < best.end - best.start
            ):
                best = directive
        if best is not None:
            best.used.add(rule)
        return best


def _statements(tree: ast.Module) -> list[ast.stmt]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.stmt)]


def _span(statements: list[ast.stmt], line: int, own_line: bool) -> tuple[int, int, str]:
    starting = [s for s in statements if s.lineno == line]
    if starting:
        outer = max(starting, key=lambda s: (s.end_lineno or s.lineno) - s.lineno)
        scope = "function" if isinstance(outer, (ast.FunctionDef, ast.AsyncFunctionDef)) else "line"
        return outer.lineno, outer.end_lineno or outer.lineno, scope
    containing = [s for s in statements if s.lineno <= line <= (s.end_lineno or s.lineno)]
    simple = [s for s in containing if not hasattr(s, "body")]
    if simple and not own_line:
        inner = min(simple, key=lambda s: (s.end_lineno or s.lineno) - s.lineno)
        return inner.lineno, inner.end_lineno or inner.lineno, "line"
    following = [s for s in statements if s.lineno > line]
    if own_line and following:
        nxt = min(following, key=lambda s: (s.lineno, -(s.end_lineno or s.lineno)))
        return nxt.lineno, nxt.end_lineno or nxt.lineno, "line"
    return line, line, "line"


def _module_directive(tree: ast.Module) -> Directive | None:
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        if value is None or not any(
            isinstance(t, ast.Name) and t.id == MODULE_VARIABLE for t in targets
        ):
            continue
        try:
            data = ast.literal_eval(value)
        except ValueError:
            data = {}
        if isinstance(data, str):
            data = [data]
        pairs: dict[str, str] = {}
        if isinstance(data, dict):
            pairs = {str(k): str(v or "") for k, v in data.items()}
        elif isinstance(data, (list, tuple, set)):
            pairs = {str(k): "" for k in data}
        return Directive(
            line=node.lineno,
            rules=tuple(pairs),
            reason="",
            start=0,
            end=10**9,
            scope="module",
            per_rule={k: _clean_reason(v) for k, v in pairs.items()},
        )
    return None


def read(path: str | Path) -> Suppressions:
    """Parse the suppressions of one revision file (never raises)."""
    result = Suppressions(path=str(path))
    try:
        source = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        result.syntax_error = str(exc)
        return result
    for found in _DEF.finditer(source):
        result.function_lines.setdefault(found.group(1), source.count("\n", 0, found.start()) + 1)
    if "alembic-safe" not in source and MODULE_VARIABLE not in source:
        return result  # nothing to parse: most revisions of a long history
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        result.syntax_error = f"line {exc.lineno}: {exc.msg}"
        return result
    statements = _statements(tree)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):  # pragma: no cover - ast.parse passed
        tokens = []
    previous_line_end: dict[int, bool] = {}
    for token in tokens:
        if token.type not in {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT}:
            previous_line_end[token.start[0]] = True
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        match = DIRECTIVE.search(token.string)
        if not match:
            continue
        line = token.start[0]
        rules = tuple(r.strip() for r in match.group(1).split(",") if r.strip())
        own_line = not previous_line_end.get(line, False)
        start, end, scope = _span(statements, line, own_line)
        result.directives.append(
            Directive(line, rules, _clean_reason(match.group(2)), start, end, scope)
        )
    module = _module_directive(tree)
    if module is not None:
        result.directives.append(module)
    return result
