"""``alembic-safe adopt [DIR]``: turn an existing Alembic project into a guarded one.

One command does what the README's manual route leaves to the user:

1. **env.py**: every ``context.configure(...)`` followed by ``with
   context.begin_transaction(): context.run_migrations()`` becomes one
   ``alembic_safe.run_migrations(context, target_metadata, ...)`` call, in place, with the
   same keyword arguments (``connection=`` becomes ``connectable=``; ``literal_binds`` and
   ``dialect_opts`` are the offline script's own business).  The project keeps its own
   engine, its async wrapper (``run_sync``) and its offline function.
2. **script.py.mako**: ours (header, ``preconditions()``, ``downgrade()``, ``verify()``),
   after copying theirs to ``script.py.mako.orig``.
3. **the post-write hook** (impact page, migration log and findings of every new
   revision): in ``[post_write_hooks]`` of alembic.ini, or ``[[tool.alembic.post_write_hooks]]``
   of pyproject.toml when that is where Alembic reads hooks from.
4. **the backup folder's ignore file** when ``backup_dir`` points inside the repository
   (the default, a per-user state directory, is outside it).
5. **a baseline of today's findings** (``.alembic-safe-baseline.json`` beside alembic.ini,
   named by the ``baseline`` setting) so ``alembic-safe check`` fails only on new ones.

Every change is computed before anything is written, shown as a diff, and written only
without ``--dry-run``; a step that is already done is left alone, so a second run changes
nothing.  Text files are edited as text (comments and layout survive), never re-serialised.
"""

from __future__ import annotations

import ast
import difflib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from alembic_safe.backup.store import IGNORE_FILE, IGNORE_TEXT, repository_of, resolve_directory
from alembic_safe.commands import config_from, template_files
from alembic_safe.config import INI_SECTION, TOML_TABLE, load_settings
from alembic_safe.errors import ConfigError

HOOK_NAME = "alembic_safe_doc"
HOOK_MODULE = "alembic_safe.write_hook"
BASELINE_NAME = ".alembic-safe-baseline.json"
TEMPLATE_COPY_SUFFIX = ".orig"
_OFFLINE_ONLY = {"literal_binds", "dialect_opts", "as_sql"}
"""configure() arguments the reviewed offline script sets itself."""


@dataclass
class Change:
    """One file adopt writes: its text before (None: a new file) and after."""

    path: Path
    what: str
    before: str | None
    after: str

    def diff(self, root: Path) -> str:
        name = _shown(self.path, root)
        before = (self.before or "").splitlines(keepends=True)
        after = self.after.splitlines(keepends=True)
        lines = difflib.unified_diff(
            before,
            after,
            fromfile=f"a/{name}" if self.before is not None else "/dev/null",
            tofile=f"b/{name}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass
class Adoption:
    """What adopting one project takes: the file changes, the baseline, and notes."""

    root: Path
    changes: list[Change] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    """Steps found already done."""
    notes: list[str] = field(default_factory=list)
    baseline: Path | None = None
    """The baseline file to record (None: one exists already)."""
    baseline_findings: int = 0

    @property
    def changes_anything(self) -> bool:
        return bool(self.changes or self.baseline)

    def text(self, path: Path) -> str | None:
        """The text of ``path`` with the changes planned so far (None: no such file)."""
        for change in self.changes:
            if change.path == path:
                return change.after
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def edit(self, path: Path, what: str, after: str) -> None:
        """Plan ``path`` to hold ``after``; several edits of one file become one change."""
        for change in self.changes:
            if change.path == path:
                change.after = after
                change.what = f"{change.what}; {what}"
                return
        before = path.read_text(encoding="utf-8") if path.is_file() else None
        self.changes.append(Change(path, what, before, after))


def plan(
    directory: str | Path = ".", *, config_file: str | None = None, name: str = "alembic"
) -> Adoption:
    """Work out every change adopting the project in ``directory`` takes; write nothing."""
    root = Path(directory).resolve()
    ini = Path(config_file) if config_file else root / "alembic.ini"
    if not ini.is_absolute():
        ini = (Path.cwd() / ini).resolve()
    config = config_from(ini, name)
    try:
        script_dir = Path(ScriptDirectory.from_config(config).dir)
    except CommandError as exc:
        raise ConfigError(
            f"The Alembic project of {ini} cannot be read: {exc}",
            hint="Run adopt in a directory where `alembic history` works.",
        ) from None
    adoption = Adoption(root=ini.parent)
    _adopt_env(adoption, script_dir / "env.py")
    _adopt_template(adoption, script_dir)
    _adopt_hook(adoption, config, ini)
    settings = load_settings(config)
    _adopt_backup_dir(adoption, settings.backup_dir, ini.parent)
    baseline = ini.parent / (settings.baseline or BASELINE_NAME)
    if not settings.baseline:
        _set(adoption, config, ini, "baseline", BASELINE_NAME)
    if baseline.exists():
        adoption.done.append(f"the baseline {_shown(baseline, adoption.root)} exists (kept)")
    else:
        adoption.baseline = baseline
    if (config.get_main_option("sqlalchemy.url") or "").startswith("driver://"):
        adoption.notes.append(
            "sqlalchemy.url is still Alembic's placeholder (driver://...), and env.py builds "
            "its engine from it: set it, or have env.py read the URL from the environment"
        )
    return adoption


def apply(adoption: Adoption, config_file: Path | None = None) -> list[Path]:
    """Write the changes and the baseline; return the files written."""
    written: list[Path] = []
    for change in adoption.changes:
        change.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        change.path.write_text(change.after, encoding="utf-8")
        written.append(change.path)
    if adoption.baseline is not None:
        from alembic_safe import lint

        config = config_from(config_file or adoption.root / "alembic.ini")
        result = lint.check(config, write_baseline=adoption.baseline)
        adoption.baseline_findings = len(result.active)
        written.append(adoption.baseline)
    return written


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------- env.py


def _adopt_env(adoption: Adoption, env_py: Path) -> None:
    source = adoption.text(env_py)
    if source is None:
        raise ConfigError(f"{env_py} does not exist, so there is no env.py to adopt.")
    adopted = adopt_env(source, env_py)
    if adopted is None:
        adoption.done.append("env.py runs the guard (alembic_safe.run_migrations)")
    else:
        adoption.edit(env_py, "the migration run goes through alembic-safe's guard", adopted)


def adopt_env(source: str, path: Path | str = "env.py") -> str | None:
    """``source`` with each configure + run_migrations block replaced by the guarded call.

    None when env.py already calls ``alembic_safe.run_migrations``.  A file without such a
    block is refused with the manual route.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ConfigError(f"{path} does not parse (line {exc.lineno}): {exc.msg}") from None
    if _calls_run_migrations(tree):
        return None
    blocks = list(_blocks(tree))
    if not blocks:
        raise ConfigError(
            f"{path} has no context.configure(...) followed by `with "
            "context.begin_transaction(): context.run_migrations()`, so adopt cannot tell "
            "where the migrations run.",
            hint="Adopt it by hand: call alembic_safe.run_migrations(context, target_metadata, "
            "connectable=connection, **the configure() arguments) where env.py runs the "
            "migrations (see the README, 'An existing project').",
        )
    lines = source.splitlines(keepends=True)
    for configure, with_block in sorted(blocks, key=lambda b: b[0].lineno, reverse=True):
        indent = re.match(r"[ \t]*", lines[configure.lineno - 1]).group(0)  # type: ignore[union-attr]
        call = _guarded_call(configure, source)
        lines[configure.lineno - 1 : with_block.end_lineno] = [f"{indent}{call}\n"]
    adopted = "".join(lines)
    adopted = _with_import(adopted)
    try:
        compile(adopted, str(path), "exec")
    except SyntaxError as exc:  # pragma: no cover - the edit keeps statements whole
        raise ConfigError(f"Adopting {path} would not compile: {exc.msg}") from None
    return adopted


def _calls_run_migrations(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "run_migrations"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "alembic_safe"
        ):
            return True
    return False


def _is_context_call(node: ast.AST, name: str) -> ast.Call | None:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == name
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "context"
    ):
        return node
    return None


def _blocks(tree: ast.AST) -> list[tuple[ast.Expr, ast.With]]:
    """(configure statement, the ``with begin_transaction()`` right after it) pairs."""
    found: list[tuple[ast.Expr, ast.With]] = []
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for first, second in itertools.pairwise(body):
            if not (isinstance(first, ast.Expr) and _is_context_call(first.value, "configure")):
                continue
            if not isinstance(second, ast.With) or len(second.items) != 1:
                continue
            if not _is_context_call(second.items[0].context_expr, "begin_transaction"):
                continue
            inner = second.body
            if (
                len(inner) == 1
                and isinstance(inner[0], ast.Expr)
                and _is_context_call(inner[0].value, "run_migrations")
            ):
                found.append((first, second))
    return found


def _guarded_call(configure: ast.Expr, source: str) -> str:
    call = configure.value
    assert isinstance(call, ast.Call)
    metadata = "None"
    arguments: list[str] = []
    for keyword in call.keywords:
        value = ast.get_source_segment(source, keyword.value) or "None"
        value = " ".join(value.split()) if "\n" not in value else value
        if keyword.arg is None:
            arguments.append(f"**{value}")
        elif keyword.arg == "target_metadata":
            metadata = value
        elif keyword.arg == "connection":
            arguments.append(f"connectable={value}")
        elif keyword.arg not in _OFFLINE_ONLY:
            arguments.append(f"{keyword.arg}={value}")
    return "alembic_safe.run_migrations(" + ", ".join(["context", metadata, *arguments]) + ")"


def _with_import(source: str) -> str:
    """``import alembic_safe`` after the module's last top-level import."""
    tree = ast.parse(source)
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    lines = source.splitlines(keepends=True)
    at = imports[-1].end_lineno if imports else 0
    assert at is not None
    lines[at:at] = ["\nimport alembic_safe\n"] if imports else ["import alembic_safe\n\n"]
    return "".join(lines)


# ---------------------------------------------------------------------- script.py.mako


def _adopt_template(adoption: Adoption, script_dir: Path) -> None:
    ours = template_files()["script.py.mako"].read_text(encoding="utf-8")
    target = script_dir / "script.py.mako"
    theirs = adoption.text(target)
    if theirs == ours:
        adoption.done.append("script.py.mako is alembic-safe's")
        return
    copy = target.with_name(target.name + TEMPLATE_COPY_SUFFIX)
    if theirs is not None and not copy.exists():
        adoption.edit(copy, "a copy of the project's own template", theirs)
    adoption.edit(
        target, "new revisions get the header, preconditions(), downgrade() and verify()", ours
    )


# ---------------------------------------------------------------------- the post-write hook

_SECTION = re.compile(r"^\[(?P<name>[^\]]+)\][ \t]*$", re.M)


def _section_span(text: str, name: str) -> tuple[int, int] | None:
    """(start of the line after the header, end of the section) of ``[name]`` in ini text."""
    headers = list(_SECTION.finditer(text))
    for i, match in enumerate(headers):
        if match.group("name").strip() == name:
            start = match.end() + 1 if match.end() < len(text) else match.end()
            end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
            return start, end
    return None


def _adopt_hook(adoption: Adoption, config: Config, ini: Path) -> None:
    hooks = config.get_hooks_list()
    if any(
        h.get("_hook_name") == HOOK_NAME
        or h.get("module") == HOOK_MODULE
        or h.get("type") == "alembic_safe"  # the in-process hook type of our own template
        for h in hooks
    ):
        adoption.done.append("the post-write hook is configured")
        return
    what = "the post-write hook writes the page and prints the findings of each new revision"
    text = adoption.text(ini) or ""
    if _section_span(text, "post_write_hooks") is None and config.toml_alembic_config:
        pyproject = ini.parent / "pyproject.toml"
        adoption.edit(pyproject, what, _toml_with_hook(pyproject, adoption.text(pyproject) or ""))
    else:
        adoption.edit(ini, what, _ini_with_hook(text))


def _ini_with_hook(text: str) -> str:
    entry = f"{HOOK_NAME}.type = module\n{HOOK_NAME}.module = {HOOK_MODULE}\n"
    span = _section_span(text, "post_write_hooks")
    if span is None:
        tail = "" if text.endswith("\n") or not text else "\n"
        return f"{text}{tail}\n[post_write_hooks]\nhooks = {HOOK_NAME}\n{entry}"
    start, end = span
    body = text[start:end]
    hooks_line = re.search(r"^hooks[ \t]*=[ \t]*(?P<names>.*)$", body, re.M)
    if hooks_line is None:
        return text[:start] + f"hooks = {HOOK_NAME}\n{entry}" + text[start:]
    names = hooks_line.group("names").strip()
    joined = f"{names}, {HOOK_NAME}" if names else HOOK_NAME
    line_end = start + hooks_line.end()
    new_line = f"hooks = {joined}\n{entry}"
    return text[: start + hooks_line.start()] + new_line + text[line_end + 1 :]


def _toml_with_hook(pyproject: Path, text: str) -> str:
    if re.search(r"^\s*post_write_hooks\s*=", text, re.M):
        raise ConfigError(
            f"{pyproject} sets post_write_hooks inline, so adopt cannot add its hook there.",
            hint=f'Add {{ name = "{HOOK_NAME}", type = "module", module = "{HOOK_MODULE}" }} '
            "to that list by hand, then run adopt again.",
        )
    entry = (
        "\n[[tool.alembic.post_write_hooks]]\n"
        "# alembic-safe: the impact page, the migration log and the findings of each revision\n"
        f'name = "{HOOK_NAME}"\n'
        'type = "module"\n'
        f'module = "{HOOK_MODULE}"\n'
    )
    tail = "" if text.endswith("\n") else "\n"
    return text + tail + entry


# ---------------------------------------------------------------------- settings and backups


def _set(adoption: Adoption, config: Config, ini: Path, key: str, value: str) -> None:
    """``key = value`` in ``[alembic_safe]`` of alembic.ini, or ``[tool.alembic-safe]``."""
    text = adoption.text(ini) or ""
    span = _section_span(text, INI_SECTION)
    pyproject = ini.parent / "pyproject.toml"
    toml_text = adoption.text(pyproject) or ""
    toml_header = f"[tool.{TOML_TABLE}]"
    what = f"the {key} setting"
    if span is None and (toml_header in toml_text or config.toml_alembic_config):
        if toml_header in toml_text:
            at = toml_text.index(toml_header) + len(toml_header) + 1
            after = toml_text[:at] + f'{key} = "{value}"\n' + toml_text[at:]
        else:
            tail = "" if toml_text.endswith("\n") else "\n"
            after = f'{toml_text}{tail}\n{toml_header}\n{key} = "{value}"\n'
        adoption.edit(pyproject, what, after)
        return
    if span is None:
        tail = "" if text.endswith("\n") else "\n"
        after = f"{text}{tail}\n[{INI_SECTION}]\n{key} = {value}\n"
    else:
        after = text[: span[0]] + f"{key} = {value}\n" + text[span[0] :]
    adoption.edit(ini, what, after)


def _adopt_backup_dir(adoption: Adoption, backup_dir: str, base: Path) -> None:
    if not backup_dir.strip():
        adoption.done.append(
            "backups go outside the project (backup_dir unset: the per-user state directory)"
        )
        return
    directory = resolve_directory(backup_dir, base)
    ignore = directory / IGNORE_FILE
    if repository_of(directory) is None:
        adoption.done.append(f"backups go outside any git repository ({directory})")
    elif ignore.exists():
        adoption.done.append(f"the backup directory has its {IGNORE_FILE}")
    else:
        adoption.edit(ignore, "keeps the backups (they hold rows) out of git", IGNORE_TEXT)


def describe(adoption: Adoption, *, dry_run: bool) -> Sequence[str]:
    """The lines ``alembic-safe adopt`` prints (diffs included)."""
    lines: list[str] = []
    verb = "would write" if dry_run else "wrote"
    for change in adoption.changes:
        lines.append(f"{verb} {_shown(change.path, adoption.root)}: {change.what}")
        if change.before is not None:
            lines.append(change.diff(adoption.root).rstrip("\n"))
    if adoption.baseline is not None:
        lines.append(
            f"{verb} {_shown(adoption.baseline, adoption.root)}: a baseline of today's findings"
            + (f" ({adoption.baseline_findings} recorded)" if not dry_run else "")
            + "; `alembic-safe check` fails only on new ones"
        )
    for item in adoption.done:
        lines.append(f"already done: {item}")
    for note in adoption.notes:
        lines.append(f"note: {note}")
    if not adoption.changes_anything:
        lines.append("Nothing to change: the project is adopted.")
    elif dry_run:
        lines.append("Dry run: nothing was written. Run without --dry-run to apply.")
    return lines
