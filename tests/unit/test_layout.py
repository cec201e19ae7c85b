"""The package's layout keeps its layers: no import points up, and no modules import in a circle.

Layers, lowest first (see ARCHITECTURE.md): foundation -> capture -> operations ->
analysis -> record -> execution and reporting -> face.  A module may import its own
layer and any layer below.  Imports inside functions count too; imports that only
type-check (``if TYPE_CHECKING:``) count for the layers but not for circles.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "alembic_safe"

LAYERS = {
    "foundation": 0,
    "capture": 1,
    "operations": 2,
    "analysis": 3,
    "record": 4,
    "execution": 5,
    "reporting": 5,
    "face": 6,
}

PLACES = {
    # foundation: no knowledge of revisions
    "alembic_safe.errors": "foundation",
    "alembic_safe.version": "foundation",
    "alembic_safe.config": "foundation",
    "alembic_safe.console": "foundation",
    "alembic_safe.tracebacks": "foundation",
    "alembic_safe.checks": "foundation",
    "alembic_safe.template": "foundation",
    "alembic_safe.postgres": "foundation",
    "alembic_safe._pgbin": "foundation",
    "alembic_safe.pg": "foundation",
    "alembic_safe.operations": "operations",
    "alembic_safe.lockwait": "operations",
    "alembic_safe.capture": "capture",
    "alembic_safe.analysis": "analysis",
    "alembic_safe.rules": "analysis",
    "alembic_safe.rewrite": "analysis",
    "alembic_safe.record": "record",
    "alembic_safe.guard": "execution",
    "alembic_safe.backup": "execution",
    "alembic_safe.rehearse": "execution",
    "alembic_safe.docs": "reporting",
    "alembic_safe.lint": "reporting",
    "alembic_safe.report": "reporting",
    "alembic_safe.hooks": "face",
    "alembic_safe.commands": "face",
    "alembic_safe.cli": "face",
    "alembic_safe.demo": "face",
    "alembic_safe.adopt": "face",
    "alembic_safe.write_hook": "face",
    "alembic_safe.pytest_plugin": "face",
    "alembic_safe.__main__": "face",
    "alembic_safe": "face",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def place(module: str) -> str:
    candidates = [p for p in PLACES if module == p or module.startswith(p + ".")]
    assert candidates, f"{module} has no layer in tests/unit/test_layout.py (and ARCHITECTURE.md)"
    return PLACES[max(candidates, key=len)]


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports(path: Path) -> Iterator[tuple[str, int, bool]]:
    """(imported alembic_safe module, line, runtime?) for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = _type_checking_lines(tree)
    own = module_name(path)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("alembic_safe"):
                    yield alias.name, node.lineno, node.lineno not in typing_only
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            if not base.startswith("alembic_safe"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                target = candidate if _is_module(candidate) else base
                yield target, node.lineno, node.lineno not in typing_only


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (
        PACKAGE / relative / "__init__.py"
    ).is_file()


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_has_a_layer() -> None:
    for name in modules():
        place(name)


def test_no_import_points_up_a_layer() -> None:
    upward = []
    for name, path in modules().items():
        own = LAYERS[place(name)]
        for target, line, _ in imports(path):
            if LAYERS[place(target)] > own:
                upward.append(f"{name}:{line} ({place(name)}) imports {target} ({place(target)})")
    assert upward == []


def test_no_modules_import_in_a_circle() -> None:
    graph: dict[str, set[str]] = {}
    for name, path in modules().items():
        graph[name] = {t for t, _, runtime in imports(path) if runtime and t != name}
    # a package's __init__ that re-exports its modules does not make a circle with them
    for name in list(graph):
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    circles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for following in sorted(graph.get(node, ())):
            if state.get(following) == 1:
                circles.append([*stack[stack.index(following) :], following])
            elif following not in state:
                visit(following)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert circles == []


def test_no_private_name_is_imported_from_another_module() -> None:
    crossing = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("alembic_safe"):
                for alias in node.names:
                    private = alias.name.startswith("_") and not alias.name.startswith("__")
                    if private and not _is_module(f"{node.module}.{alias.name}"):
                        crossing.append(f"{name}:{node.lineno} imports {node.module}.{alias.name}")
    assert crossing == []
