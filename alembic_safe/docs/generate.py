"""``alembic-safe doc``: the impact pages of a history and its migration log.

A page per revision (``<docs_dir>/<revision>_<slug>.md``, :mod:`alembic_safe.docs.page`) and
the log (``<docs_dir>/README.md``, :mod:`alembic_safe.docs.log`), generated from the revision
records: each revision's ``upgrade()`` and ``downgrade()`` run once for all of it.  With a
database URL the pages carry live row estimates and sizes.  Output is deterministic (no
generation time, stable order): regenerating an unchanged history rewrites nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic_safe.analysis.impact import live_stats, tables_of
from alembic_safe.analysis.stats import TableStats
from alembic_safe.capture.project import LoadError, Project
from alembic_safe.docs import sqlscript
from alembic_safe.docs.files import LOG_NAME, WriteResult, existing_pages, write_log, write_page
from alembic_safe.docs.log import render_log
from alembic_safe.docs.model import build, fill_sql
from alembic_safe.docs.page import PageContext, render_page
from alembic_safe.docs.sqlscript import Position
from alembic_safe.pg.connection import connect, resolve_url
from alembic_safe.record import RecordBook


@dataclass
class DocResult:
    """What ``alembic-safe doc`` did."""

    directory: Path
    written: list[Path]
    unchanged: list[Path]
    removed: list[Path]
    load_errors: list[LoadError]
    sql_errors: list[str]
    schema_file: Path | None = None


def resolve_dir(project: Project, value: str) -> Path:
    """A configured path: absolute, or relative to the project's config file."""
    path = Path(value)
    return path if path.is_absolute() else sqlscript.project_root(project) / path


def env_is_guarded(project: Project) -> bool:
    env = Path(project.script.dir) / "env.py"
    try:
        return "alembic_safe" in env.read_text(encoding="utf-8")
    except OSError:
        return False


def generate(
    project: Project,
    rev_range: str | None = None,
    *,
    out: str | Path | None = None,
    url: str | None = None,
    schema: bool = False,
    book: RecordBook | None = None,
) -> DocResult:
    """Write the pages of the revisions in ``rev_range`` (all by default) and the log."""
    book = book or RecordBook.of(project)
    directory = Path(out) if out is not None else resolve_dir(project, project.settings.docs_dir)
    if schema and not url and not project.config.get_main_option("sqlalchemy.url"):
        resolve_url(project.config, url)  # raises the "no database URL" error
    wanted = {s.revision for s in project.revisions(rev_range)}
    positions = sqlscript.order(book, project.all_revisions())
    stats: dict[str, TableStats] | None = None
    schema_path: Path | None = None
    connection = connect(resolve_url(project.config, url)) if (url or schema) else None
    try:
        if connection is not None:
            names: list[str] = []
            for position in positions:
                if not position.record.load_error:
                    names += tables_of(position.record.upgrade)
            stats = live_stats(connection, names)
            connection.commit()
        book.lint([p.script for p in positions], connection=connection, parallel=False)
        if schema:
            from alembic_safe.backup import schema_file

            assert connection is not None
            schema_path = schema_file.write(project.config, project.settings, connection)
    finally:
        if connection is not None:
            connection.close()
    _load_measured(project, positions)
    docs = build(project, positions, stats=stats)
    context = PageContext(
        settings=project.settings,
        guarded=env_is_guarded(project),
        have_stats=stats is not None,
        pages={d.revision: d.page for d in docs},
    )
    existing = existing_pages(directory)
    result = WriteResult()
    sql_errors: list[str] = []
    for doc in docs:
        if doc.revision not in wanted:
            continue
        if not doc.load_error:
            fill_sql(project, book, doc)
            sql_errors += [f"{doc.revision} {d}: {e}" for d, e in doc.sql_errors.items()]
        write_page(
            directory,
            revision=doc.revision,
            page=doc.page,
            content=render_page(doc, context),
            existing=existing,
            result=result,
        )
    log = render_log(docs, project.load_errors, root=sqlscript.project_root(project))
    write_log(directory / LOG_NAME, log, result)
    return DocResult(
        directory=directory,
        written=result.written,
        unchanged=result.unchanged,
        removed=result.removed,
        load_errors=list(project.load_errors),
        sql_errors=sql_errors,
        schema_file=schema_path,
    )


def _load_measured(project: Project, positions: list[Position]) -> None:
    """Rehearsal results of exactly these files (``<docs_dir>/rehearsals``) onto their records."""
    from alembic_safe.rehearse.results import executed_plan, load
    from alembic_safe.rehearse.runner import results_directory

    directory = results_directory(project)
    if not directory.is_dir():
        return
    for position in positions:
        record = position.record
        if record.load_error:
            continue
        record.measured = load(directory, record.path)
        if record.measured is not None:
            record.executed = executed_plan(record.measured)
