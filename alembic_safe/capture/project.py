"""Loading an Alembic project, including projects with revision files that do not import.

Alembic stops at the first revision file that fails to import.  :class:`Project` loads
every file on its own: a file that fails (syntax error, missing import, error at import
time) becomes a :class:`LoadError` with its path and reason, and a stand-in revision
(its id and parents read from the file's text) keeps the history connected, so every
other revision is still analysed.
"""

from __future__ import annotations

import ast
import re
import types
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.script import Script, ScriptDirectory
from alembic.script.revision import RevisionMap
from alembic.util import CommandError

from alembic_safe.config import Settings, load_settings
from alembic_safe.errors import ConfigError, ProjectLoadError, UsageError
from alembic_safe.tracebacks import line_in


@dataclass(frozen=True)
class LoadError:
    """A revision file that could not be imported."""

    path: str
    revision: str | None
    reason: str

    def format(self) -> str:
        return f"{self.path}: {self.reason}"


_ASSIGN = {
    "revision": re.compile(r"^revision\s*(?::[^=\n]*)?=\s*['\"]([^'\"]+)['\"]", re.M),
    "down_revision": re.compile(r"^down_revision\s*(?::[^=\n]*)?=\s*(.+)$", re.M),
}


def _read_identity(path: Path) -> dict[str, Any]:
    """revision / down_revision / branch_labels / depends_on from the text of a file."""
    text = path.read_text(encoding="utf-8", errors="replace")
    found: dict[str, Any] = {}
    try:
        tree = ast.parse(text)
    except SyntaxError:
        tree = None
    if tree is not None:
        for node in tree.body:
            targets: list[ast.expr] = []
            value = None
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            for target in targets:
                if isinstance(target, ast.Name) and target.id in {
                    "revision",
                    "down_revision",
                    "branch_labels",
                    "depends_on",
                }:
                    try:
                        found[target.id] = ast.literal_eval(value)  # type: ignore[arg-type]
                    except ValueError:
                        pass
        return found
    match = _ASSIGN["revision"].search(text)
    if match:
        found["revision"] = match.group(1)
    match = _ASSIGN["down_revision"].search(text)
    if match:
        try:
            found["down_revision"] = ast.literal_eval(match.group(1).split("#")[0].strip())
        except (ValueError, SyntaxError):
            pass
    return found


def describe_import_error(exc: BaseException, path: Path) -> str:
    """One line: where in the revision file it failed and why."""
    if isinstance(exc, SyntaxError):
        where = f"line {exc.lineno}" if exc.lineno else "syntax"
        return f"{where}: SyntaxError: {exc.msg}"
    lineno = line_in(exc, str(path))
    where = f"line {lineno}: " if lineno else ""
    return f"{where}{type(exc).__name__}: {exc}"


def _stand_in(path: Path, identity: dict[str, Any], reason: str) -> types.ModuleType:
    module = types.ModuleType(f"alembic_safe_unloadable_{identity['revision']}")
    module.__file__ = str(path)
    module.revision = identity["revision"]  # type: ignore[attr-defined]
    module.down_revision = identity.get("down_revision")  # type: ignore[attr-defined]
    module.branch_labels = identity.get("branch_labels")  # type: ignore[attr-defined]
    module.depends_on = identity.get("depends_on")  # type: ignore[attr-defined]
    module.alembic_safe_load_error = reason  # type: ignore[attr-defined]
    module.__doc__ = f"(this revision file cannot be imported: {reason})"
    return module


class TolerantScriptDirectory(ScriptDirectory):
    """A ScriptDirectory that records revision files which fail to import instead of failing."""

    load_errors: list[LoadError]

    @classmethod
    def from_config(cls, config: Config) -> TolerantScriptDirectory:
        base = ScriptDirectory.from_config(config)
        tolerant = cls.__new__(cls)
        tolerant.__dict__.update(base.__dict__)
        tolerant.load_errors = []
        tolerant.revision_map = RevisionMap(tolerant._load_revisions)
        return tolerant

    def _load_revisions(self) -> Iterator[Script]:
        self.load_errors = []
        seen: set[Path] = set()
        for location in self._version_locations:
            if not location.exists():
                continue
            for file_path in Script._list_py_dir(self, location):
                real = Path(file_path).resolve()
                if real in seen:
                    continue
                seen.add(real)
                try:
                    script = Script._from_path(self, real)
                except Exception as exc:  # any import-time failure of a user file
                    reason = describe_import_error(exc, real)
                    identity = _read_identity(real) if real.suffix == ".py" else {}
                    self.load_errors.append(LoadError(str(real), identity.get("revision"), reason))
                    if identity.get("revision"):
                        yield Script(_stand_in(real, identity, reason), identity["revision"], real)
                    continue
                if script is not None:
                    yield script


_RESERVED = {"base", "head", "heads"}


@dataclass
class Project:
    """An Alembic project: its config, settings and revisions (every file loaded once)."""

    config: Config
    settings: Settings
    script: TolerantScriptDirectory
    _all: list[Script] | None = None

    @classmethod
    def load(cls, config: Config, x_args: list[str] | None = None) -> Project:
        settings = load_settings(config, x_args or [])
        try:
            script = TolerantScriptDirectory.from_config(config)
        except CommandError as exc:
            raise ProjectLoadError(
                f"Cannot open the Alembic project of {config.config_file_name}: {exc}",
                hint="Check script_location in alembic.ini (or [tool.alembic] in pyproject.toml).",
            ) from None
        project = cls(config=config, settings=settings, script=script)
        project.all_revisions()  # loads every file now so load errors are known
        return project

    @property
    def load_errors(self) -> list[LoadError]:
        return self.script.load_errors

    def all_revisions(self) -> list[Script]:
        """Every revision, parents before children."""
        if self._all is not None:
            return list(self._all)
        try:
            self._all = list(reversed(list(self.script.walk_revisions("base", "heads"))))
            return list(self._all)
        except Exception as exc:  # Alembic raises CommandError, or asserts on odd graphs
            errors = "\n".join(e.format() for e in self.load_errors)
            reserved = sorted(r for r in self.script.revision_map._revision_map if r in _RESERVED)
            detail = str(exc) or type(exc).__name__
            if reserved:
                detail += f" (revision ids {', '.join(map(repr, reserved))} are reserved words)"
            raise ProjectLoadError(
                f"The revision history cannot be read: {detail}",
                context=[("Revision files that fail to import", errors)] if errors else (),
                hint="Fix the files named above (or the reference to a missing revision).",
            ) from None

    def revisions(self, rev_range: str | None = None) -> list[Script]:
        """Revisions in ``rev_range`` (``A:B``, ``A:``, ``:B``, ``A``), parents first."""
        if not rev_range:
            return self.all_revisions()
        try:
            if ":" in rev_range:
                lower, _, upper = rev_range.partition(":")
                found = self.script.walk_revisions(lower or "base", upper or "heads")
                return list(reversed(list(found)))
            script = self.script.get_revision(rev_range)
        except CommandError as exc:
            raise ConfigError(
                f"Revision range {rev_range!r} does not match this project: {exc}",
                hint="Use revision ids as shown by `alembic history`, e.g. base:head or ae1027a6acf:.",
            ) from None
        return [script] if script is not None else []

    def revisions_in_files(self, files: Sequence[str | Path]) -> tuple[list[Script], list[str]]:
        """The revisions defined in ``files`` (parents first), and notes on the files skipped.

        For pre-commit, which passes the changed files: a file that does not exist is an error;
        an existing file that is not one of the project's revisions (``__init__.py``, a helper
        module) is skipped with a note.
        """
        missing = [str(f) for f in files if not Path(f).is_file()]
        if missing:
            raise UsageError(
                "No such revision file: " + ", ".join(missing),
                hint="Pass revision files (migrations/versions/*.py) or one revision range "
                "(base:head, ae1027a6acf:).",
            )
        wanted = {Path(f).resolve() for f in files}
        scripts = [s for s in self.all_revisions() if Path(str(s.path)).resolve() in wanted]
        found = {Path(str(s.path)).resolve() for s in scripts}
        broken = {Path(e.path).resolve() for e in self.load_errors}
        notes = [
            f"{f}: not a revision of this project; skipped"
            for f in files
            if Path(f).resolve() not in found and Path(f).resolve() not in broken
        ]
        return scripts, notes
