"""The reviewed SQL script of a revision, forward or rollback, rendered from its record.

The script has header comments from the docstring, a ``DO $$ ... RAISE EXCEPTION``
validation block, ``BEGIN; ... COMMIT;`` (statements that cannot run in a transaction
block, such as ``CREATE INDEX CONCURRENTLY``, between transactions), the version-table
update and the post-migration checks.  ``alembic upgrade --sql`` prints it through the
env.py hook (:class:`OfflineScript`), and ``alembic-safe doc`` / ``export`` render the
same text with :func:`render` without running ``env.py``.

The statements are the recorded plan's (the revision's ``upgrade()`` / ``downgrade()``
ran once, when the plan was captured); Alembic's own offline context writes the frame
around them (the version table, ``BEGIN``/``COMMIT``, ``-- Running upgrade a -> b``), so the
text is what Alembic would print.  A revision whose plan is incomplete (it reads rows, or
inspects the live schema) cannot be rendered offline, and says why.

:func:`render` works one revision at a time, starting from the heads the database has
when the revisions are applied in :func:`order`, so the version-table statements of each
file are right for branches and merges too.  The version table is Alembic's default
(``alembic_version``, in the default schema).
"""

from __future__ import annotations

import copy
import functools
import heapq
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext, RevisionStep
from alembic.script import Script

from alembic_safe import checks
from alembic_safe.capture.plan import Plan
from alembic_safe.capture.project import Project
from alembic_safe.capture.sqlparse import parse
from alembic_safe.config import Settings
from alembic_safe.errors import AlembicSafeError
from alembic_safe.pg.connection import parse_url
from alembic_safe.record import RecordBook, RevisionRecord
from alembic_safe.tracebacks import relpath

VERSION_TABLE = "alembic_version"
OFFLINE_URL = "postgresql+psycopg://"
"""Only names the dialect: offline rendering never connects, whatever sqlalchemy.url says."""


class RenderError(AlembicSafeError):
    """A revision whose SQL cannot be rendered offline."""


# --------------------------------------------------------------------------- order and names


@dataclass(frozen=True)
class Position:
    """Where a revision stands when the history is applied one revision at a time."""

    number: int
    """1-based position in :func:`order`."""
    record: RevisionRecord
    heads_before: tuple[str, ...]
    heads_after: tuple[str, ...]

    @property
    def script(self) -> Script:
        return self.record.script

    @property
    def revision(self) -> str:
        return self.record.revision


def order(book: RecordBook, scripts: Sequence[Script]) -> list[Position]:
    """Every revision, parents (and ``depends_on``) first; ties by create date, then id.

    The order is a function of the revision files alone, so re-running gives the same
    numbering.
    """
    records = {r.revision: r for r in book.records(scripts)}
    waiting: dict[str, set[str]] = {}
    children: dict[str, list[str]] = {rev: [] for rev in records}
    for rev, record in records.items():
        needs = {d for d in record.script._all_down_revisions if d in records}
        waiting[rev] = needs
        for parent in needs:
            children[parent].append(rev)
    ready = [(records[r].create_date, r) for r, needs in waiting.items() if not needs]
    heapq.heapify(ready)
    positions: list[Position] = []
    heads: list[str] = []
    while ready:
        _, rev = heapq.heappop(ready)
        record = records[rev]
        before = tuple(heads)
        parents = set(record.script._normalized_down_revisions)
        heads = [h for h in heads if h not in parents] + [rev]
        positions.append(Position(len(positions) + 1, record, before, tuple(heads)))
        for child in sorted(children[rev]):
            waiting[child].discard(rev)
            if not waiting[child]:
                heapq.heappush(ready, (records[child].create_date, child))
    return positions


_SLUG = re.compile(r"\w+")


def slug(text: str, length: int = 40) -> str:
    """Alembic's file-name slug of a message: words joined by ``_``, lower case, truncated."""
    words = "_".join(_SLUG.findall(text or "")).lower()
    if len(words) > length:
        words = words[:length].rsplit("_", 1)[0]
    return words


def file_names(position: Position, total: int) -> tuple[str, str]:
    """``NNN_<slug>.sql`` and ``NNN_rollback_<slug>.sql`` (the reviewed scripts' layout)."""
    width = max(3, len(str(total)))
    name = slug(position.record.header.title) or position.revision
    number = f"{position.number:0{width}d}"
    return f"{number}_{name}.sql", f"{number}_rollback_{name}.sql"


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


# --------------------------------------------------------------------------- the script


def comment(label: str, value: str) -> list[str]:
    """``-- Label: value``; every further line of ``value`` is a comment line too."""
    lines = str(value).splitlines() or [""]
    first = f"-- {label}: {lines[0]}".rstrip()
    return [first] + [f"--   {line}".rstrip() for line in lines[1:]]


def render_header(record: RevisionRecord, direction: str, shown_path: str) -> str:
    """The header comments of the script, from the revision's docstring."""
    header = record.header
    kind = "Migration" if direction == "upgrade" else "Rollback Migration"
    lines = comment(kind, header.title or record.revision)
    parents = ", ".join(record.parents) or "base"
    lines += comment("Revision", f"{record.revision} (revises {parents})")
    for label, key in (("Author", "author"), ("Ticket/Issue", "ticket")):
        if header.get(key):
            lines += comment(label, header.get(key))
    if record.create_date:
        lines += comment("Date", record.create_date)
    if direction == "upgrade":
        for label, key in (("Impact", "impact"), ("Risks", "risks")):
            if header.get(key):
                lines += comment(label, header.get(key))
    if record.irreversible:
        lines += comment("Irreversible", record.irreversible)
    for destruction in record.destructions(direction):
        if destruction.step is not None:
            lines += comment(f"DESTRUCTIVE (line {destruction.lineno or '?'})", destruction.reason)
    plan = record.plan(direction)
    if not plan.complete:
        lines += comment("NOTE", plan.status())
    lines += comment("File", shown_path)
    return "\n".join(lines)


def replay(plan: Plan, migration_context: MigrationContext) -> None:
    """Write the recorded statements of ``plan`` into an offline context, as the revision did.

    Steps that ran outside the migration transaction (``autocommit_block``) are written
    between ``COMMIT;`` and ``BEGIN;`` exactly as Alembic writes them.
    """
    impl = migration_context.impl
    inside = True
    for step in plan.steps:
        if step.in_transaction and not inside:
            impl.emit_begin()
            inside = True
        elif not step.in_transaction and inside:
            impl.emit_commit()
            inside = False
        for chunk in step.sql_chunks:
            impl.static_output(chunk)
            for statement in parse(chunk):
                if statement.transaction_control in {"COMMIT", "ROLLBACK", "END", "ABORT"}:
                    inside = False
                elif statement.transaction_control in {"BEGIN", "START"}:
                    inside = True
    if not inside:
        impl.emit_begin()


def refusal(record: RevisionRecord, direction: str) -> str | None:
    """Why the script of ``direction`` cannot be rendered offline, or None."""
    if record.load_error:
        return f"the file cannot be imported: {record.load_error}"
    plan = record.plan(direction)
    if plan.missing:
        return None
    if plan.needs_database:
        return f"needs a database: {plan.needs_database}"
    if plan.error:
        return plan.error
    if plan.not_implemented:
        return f"{direction}() raises NotImplementedError"
    if plan.reads:  # the statements after a guessed answer may not be the ones that run
        return plan.status()
    return None


class OfflineScript:
    """Writes the reviewed SQL script for ``alembic upgrade --sql`` / ``downgrade --sql``."""

    def __init__(
        self,
        context: EnvironmentContext,
        settings: Settings,
        book: RecordBook | None = None,
        *,
        shown_path: Any = None,
    ) -> None:
        self.context = context
        self.settings = settings
        self.book = book or RecordBook(settings)
        self.original_fn = context.context_opts.get("fn")
        self.shown_path = shown_path or (lambda record: relpath(record.path))

    def run(self, url: str | None, configure_kwargs: dict[str, Any]) -> None:
        kwargs = dict(configure_kwargs)
        kwargs.pop("transaction_per_migration", None)
        kwargs.setdefault("literal_binds", True)
        if url:
            parse_url(url)  # a URL for another database, or one that does not parse, is refused
        # the script needs PostgreSQL's dialect, never the URL's driver or server
        self.context.configure(
            transaction_per_migration=True,
            fn=self.steps if self.original_fn else None,
            dialect_name="postgresql",
            **kwargs,
        )
        with self.context.begin_transaction():
            self.context.run_migrations()

    def steps(self, heads: Any, migration_context: MigrationContext) -> Iterator[Any]:
        assert self.original_fn is not None
        for step in self.original_fn(heads, migration_context):
            if not isinstance(step, RevisionStep):
                yield step
                continue
            direction = "upgrade" if step.is_upgrade else "downgrade"
            record = self.book.get(step.revision)
            why = refusal(record, direction)
            if why is not None:
                raise RenderError(
                    f"Revision {record.revision} cannot be written as SQL offline: {why}.",
                    hint="Apply it online (alembic upgrade without --sql), or move the part "
                    "that reads the database into a separate revision.",
                )
            output = migration_context.impl.static_output
            output(render_header(record, direction, self.shown_path(record)))
            found = record.checks(direction)
            for note in found.notes:
                output("\n".join(f"-- {line}".rstrip() for line in note.splitlines() or [""]))
            if found.pre:
                output(checks.render_do_block(found.pre, "Pre-migration validation"))
            clone = copy.copy(step)
            plan = record.plan(direction)

            def migration_fn(*_: Any, _plan: Plan = plan, **__: Any) -> None:
                replay(_plan, migration_context)

            clone.migration_fn = functools.update_wrapper(migration_fn, step.migration_fn)
            yield clone
            if found.post:
                output(checks.render_do_block(found.post, "Post-migration validation"))


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


def render(project: Project, book: RecordBook, position: Position, direction: str) -> str:
    """The forward (``upgrade``) or rollback (``downgrade``) script of one revision.

    Raises :class:`RenderError` when the revision cannot be rendered offline (it reads
    query results, inspects the live schema, or fails to import).
    """
    record = position.record
    why = refusal(record, direction)
    if why is not None:
        raise RenderError(why)
    is_upgrade = direction == "upgrade"
    heads = position.heads_before if is_upgrade else position.heads_after
    buffer = io.StringIO()
    config = copy.copy(project.config)
    config.output_buffer = buffer
    step = _OrderedStep(project.script.revision_map, record.script, is_upgrade)

    def steps(_heads: object, _context: object) -> Sequence[RevisionStep]:
        return [step]

    root = project_root(project)
    with EnvironmentContext(
        config,
        project.script,
        fn=steps,
        as_sql=True,
        starting_rev=list(heads) or None,
        destination_rev=record.revision,
        tag=None,
    ) as environment:
        script = OfflineScript(
            environment,
            project.settings,
            book,
            shown_path=lambda item: relative(item.path, root),
        )
        script.run(OFFLINE_URL, {"target_metadata": None})
    text = buffer.getvalue()
    if not is_upgrade and not position.heads_before:
        text = text.rstrip("\n") + (
            "\n\n-- The forward script created the version table; back at base, remove it.\n"
            f"DROP TABLE IF EXISTS {VERSION_TABLE};\n"
        )
    return text.rstrip("\n") + "\n"
