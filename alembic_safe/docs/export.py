"""``alembic-safe export DIR``: reviewed SQL files, numbered, and a README log.

For teams whose DBAs apply reviewed SQL with ``psql``, every revision becomes two files::

    001_create_users.sql              forward: header, DO $$ validation, BEGIN; ... COMMIT;, post-checks
    001_rollback_create_users.sql     rollback, likewise
    002_add_phone_number.sql
    ...
    README.md                         the migration log, with the file names

Applied in order with ``psql -v ON_ERROR_STOP=1 -f FILE``, the forward files give the same
schema (and version table) as ``alembic upgrade heads``; the rollback files, in reverse
order, return the database to where it started.  The scripts are the ones ``alembic
upgrade --sql`` prints through the guard (:mod:`alembic_safe.docs.sqlscript`), numbered in
:func:`alembic_safe.docs.sqlscript.order`.

Nothing is written unless every revision renders: a revision that fails to import, or
that reads query results (which offline SQL cannot do), stops the export with its file,
line and reason.  Re-running rewrites only files whose content changed and removes
numbered files of an earlier export that no longer belong to the history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from alembic_safe.capture.project import Project
from alembic_safe.docs import sqlscript
from alembic_safe.docs.files import LOG_MARK, LOG_NAME, WriteResult, write_file, write_log
from alembic_safe.docs.log import render_log
from alembic_safe.docs.model import build
from alembic_safe.docs.sqlscript import RenderError
from alembic_safe.errors import ExportError, ProjectLoadError
from alembic_safe.record import RecordBook

_NUMBERED = re.compile(r"^\d{3,}_.+\.sql$")
_OURS = ("-- Migration:", "-- Rollback Migration:")


@dataclass
class ExportResult:
    """What ``alembic-safe export`` wrote."""

    directory: Path
    files: list[Path] = field(default_factory=list)
    """Every file of the export, forward and rollback per revision in order, then README.md."""
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def export(project: Project, directory: str | Path, book: RecordBook | None = None) -> ExportResult:
    """Write ``NNN_<slug>.sql`` / ``NNN_rollback_<slug>.sql`` per revision and ``README.md``."""
    book = book or RecordBook.of(project)
    target = Path(directory)
    root = sqlscript.project_root(project)
    if project.load_errors:
        raise ProjectLoadError(
            "Cannot export: some revision files cannot be imported, so their SQL is unknown.",
            context=[
                (
                    "Revision files that cannot be loaded",
                    "\n".join(
                        f"{sqlscript.relative(e.path, root)}: {e.reason}"
                        for e in project.load_errors
                    ),
                )
            ],
            hint="Fix those files and run again; nothing was written.",
        )
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} exists and is not a directory.", hint="Choose another DIR.")
    log_path = target / LOG_NAME
    if log_path.exists() and not log_path.read_text(encoding="utf-8").startswith(LOG_MARK):
        raise ExportError(
            f"{log_path} exists and is not a migration log written by alembic-safe.",
            hint="Export into an empty directory, or move that file away; nothing was written.",
        )
    positions = sqlscript.order(book, project.all_revisions())
    rendered: list[tuple[str, str]] = []
    problems: list[tuple[str, str]] = []
    for position in positions:
        scripts = []
        for direction in ("upgrade", "downgrade"):
            try:
                scripts.append(sqlscript.render(project, book, position, direction))
            except RenderError as exc:
                label = f"{position.revision} ({sqlscript.relative(position.script.path, root)})"
                problems.append((label, f"{direction}(): {exc.message}"))
                scripts.append("")
        rendered.append((scripts[0], scripts[1]))
    if problems:
        raise ExportError(
            "Cannot export: some revisions cannot be rendered as SQL offline; nothing was written.",
            context=problems,
            hint="A revision that reads query results (op.get_bind().execute(...).fetchall(), "
            "sa.inspect()) has no offline SQL. Write the data change as SQL "
            "(op.execute(...)), or apply that revision with `alembic upgrade`.",
        )
    book.lint([p.script for p in positions], parallel=False)
    documents = build(project, positions, stats=None)
    result = ExportResult(directory=target)
    writer = WriteResult()
    keep: set[Path] = set()
    for position, (forward, rollback) in zip(positions, rendered, strict=True):
        names = sqlscript.file_names(position, len(positions))
        for name, content in zip(names, (forward, rollback), strict=True):
            path = target / name
            keep.add(path)
            result.files.append(path)
            write_file(path, content, writer)
    readme = render_log(
        documents,
        [],
        root=root,
        title="Migration log (SQL export)",
        links=False,
        files=True,
    )
    write_log(log_path, readme, writer)
    result.files.append(log_path)
    for path in sorted(target.glob("*.sql")):
        if path in keep or not _NUMBERED.match(path.name):
            continue
        with path.open(encoding="utf-8", errors="replace") as handle:
            first = handle.readline()
        if first.startswith(_OURS):
            path.unlink()
            result.removed.append(path)
    result.written, result.unchanged = writer.written, writer.unchanged
    return result
