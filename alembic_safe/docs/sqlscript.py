"""The reviewed SQL script of one revision, forward or rollback, rendered offline.

The script is exactly what ``alembic upgrade --sql`` prints through the guard
(:class:`alembic_safe.guard.OfflineScript`): header comments from the docstring, a
``DO $$ ... RAISE EXCEPTION`` validation block, ``BEGIN; ... COMMIT;`` (statements that
cannot run in a transaction block, such as ``CREATE INDEX CONCURRENTLY``, between
transactions), the version-table update and the post-migration checks.  It is rendered
one revision at a time, starting from the heads the database has when the revisions are
applied in :func:`order`, so the version-table statements of each file are right for
branches and merges too.

The project's own ``env.py`` is not run: rendering needs no database and no URL, and
works the same for projects that never used our template.  The version table is
Alembic's default (``alembic_version``, in the default schema).
"""

from __future__ import annotations

import ast
import copy
import heapq
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import RevisionStep
from alembic.script import Script

from alembic_safe import guard
from alembic_safe.capture.header import parse_header
from alembic_safe.capture.project import Project

VERSION_TABLE = "alembic_version"
OFFLINE_URL = "postgresql+psycopg://"
"""Only names the dialect: offline rendering never connects, whatever sqlalchemy.url says."""


@dataclass(frozen=True)
class Position:
    """Where a revision stands when the history is applied one revision at a time."""

    number: int
    """1-based position in :func:`order`."""
    script: Script
    heads_before: tuple[str, ...]
    heads_after: tuple[str, ...]

    @property
    def revision(self) -> str:
        return self.script.revision


def docstring(script: Script) -> str | None:
    """The revision's docstring; for a file that does not import, read from its text."""
    if not getattr(script.module, "alembic_safe_load_error", None):
        return script.module.__doc__
    try:
        tree = ast.parse(Path(str(script.path)).read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return None
    return ast.get_docstring(tree, clean=False)


def create_date(script: Script) -> str:
    """The ``Create Date:`` of the revision's docstring, without fractions of a second."""
    for line in (docstring(script) or "").splitlines():
        if line.strip().startswith("Create Date:"):
            value = line.split(":", 1)[1].strip()
            return value.split(".", 1)[0]
    return ""


def order(project: Project) -> list[Position]:
    """Every revision, parents (and ``depends_on``) first; ties by create date, then id.

    The order is a function of the revision files alone, so re-running gives the same
    numbering.
    """
    scripts = {s.revision: s for s in project.all_revisions()}
    waiting: dict[str, set[str]] = {}
    children: dict[str, list[str]] = {rev: [] for rev in scripts}
    for rev, script in scripts.items():
        needs = {d for d in script._all_down_revisions if d in scripts}
        waiting[rev] = needs
        for parent in needs:
            children[parent].append(rev)
    ready = [(create_date(scripts[r]), r) for r, needs in waiting.items() if not needs]
    heapq.heapify(ready)
    positions: list[Position] = []
    heads: list[str] = []
    while ready:
        _, rev = heapq.heappop(ready)
        script = scripts[rev]
        before = tuple(heads)
        parents = set(script._normalized_down_revisions)
        heads = [h for h in heads if h not in parents] + [rev]
        positions.append(Position(len(positions) + 1, script, before, tuple(heads)))
        for child in sorted(children[rev]):
            waiting[child].discard(rev)
            if not waiting[child]:
                heapq.heappush(ready, (create_date(scripts[child]), child))
    return positions


_SLUG = re.compile(r"\w+")


def slug(text: str, length: int = 40) -> str:
    """Alembic's file-name slug of a message: words joined by ``_``, lower case, truncated."""
    words = "_".join(_SLUG.findall(text or "")).lower()
    if len(words) > length:
        words = words[:length].rsplit("_", 1)[0]
    return words


class _OrderedStep(RevisionStep):
    """A RevisionStep whose merge / unmerge statements come in a stable order.

    Alembic picks the version-table rows of a merge or an unmerge from a ``set``, so the
    order of the INSERT and UPDATE statements can change from one run to the next; the
    scripts must be byte-identical when nothing changed.
    """

    def _unmerge_to_revisions(self, heads: set[str]) -> tuple[str, ...]:
        return tuple(sorted(super()._unmerge_to_revisions(heads)))

    def merge_branch_idents(self, heads: set[str]) -> tuple[list[str], str, str]:
        deletes, update_from, update_to = super().merge_branch_idents(heads)
        ordered = sorted([*deletes, update_from])
        return ordered[:-1], ordered[-1], update_to


class RenderError(Exception):
    """A revision whose SQL cannot be rendered offline."""


def relative(path: str | Path, root: Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators, or absolute when outside it."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(root.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def project_root(project: Project) -> Path:
    """The directory of the project's config file (where ``alembic`` runs)."""
    name = project.config.config_file_name or getattr(project.config, "toml_file_name", None)
    return Path(name).resolve().parent if name else Path.cwd()


def render(project: Project, position: Position, direction: str) -> str:
    """The forward (``upgrade``) or rollback (``downgrade``) script of one revision.

    Raises :class:`RenderError` when the revision cannot run offline (it reads query
    results, inspects the live schema, or fails to import).
    """
    script = position.script
    load_error = getattr(script.module, "alembic_safe_load_error", None)
    if load_error:
        raise RenderError(f"the file cannot be imported: {load_error}")
    is_upgrade = direction == "upgrade"
    heads = position.heads_before if is_upgrade else position.heads_after
    buffer = io.StringIO()
    config = copy.copy(project.config)
    config.output_buffer = buffer
    step = _OrderedStep(project.script.revision_map, script, is_upgrade)

    def steps(_heads: object, _context: object) -> Sequence[RevisionStep]:
        return [step]

    try:
        with EnvironmentContext(
            config,
            project.script,
            fn=steps,
            as_sql=True,
            starting_rev=list(heads) or None,
            destination_rev=script.revision,
            tag=None,
        ) as environment:
            guard.run_migrations(environment, None, url=OFFLINE_URL)
    except Exception as exc:  # the user's revision code runs here
        plan = project.plan(script, direction)
        if plan.needs_database:
            raise RenderError(f"needs a database: {plan.needs_database}") from exc
        raise RenderError(_reason(exc, str(script.path))) from exc
    text = buffer.getvalue()
    shown = guard._relpath(str(script.path))
    text = text.replace(
        f"-- File: {shown}\n", f"-- File: {relative(script.path, project_root(project))}\n", 1
    )
    if not is_upgrade and not position.heads_before:
        text = text.rstrip("\n") + (
            "\n\n-- The forward script created the version table; back at base, remove it.\n"
            f"DROP TABLE IF EXISTS {VERSION_TABLE};\n"
        )
    return text.rstrip("\n") + "\n"


def _reason(exc: BaseException, path: str) -> str:
    line = guard._line_in(exc, path)
    where = f"line {line}: " if line else ""
    detail = " ".join(str(exc).split())[:300] or type(exc).__name__
    return f"{where}{type(exc).__name__}: {detail}"


def file_names(position: Position, total: int) -> tuple[str, str]:
    """``NNN_<slug>.sql`` and ``NNN_rollback_<slug>.sql`` (the seed's layout)."""
    width = max(3, len(str(total)))
    title = parse_header(docstring(position.script)).title
    name = slug(title) or position.revision
    number = f"{position.number:0{width}d}"
    return f"{number}_{name}.sql", f"{number}_rollback_{name}.sql"
