"""One function per ``alembic-safe`` command, callable from Python like ``alembic.command``.

Commands return values or raise :class:`~alembic_safe.errors.AlembicSafeError`; they never
print and never exit.  :mod:`alembic_safe.cli` does the printing.
"""

from __future__ import annotations

import configparser
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from alembic.config import Config
from mako.template import Template

from alembic_safe.capture.project import Project
from alembic_safe.errors import ConfigError, UsageError
from alembic_safe.guard.history import History, HistoryRow, configured_schema
from alembic_safe.pg.connection import connect, resolve_url
from alembic_safe.record import RecordBook, RevisionRecord
from alembic_safe.template import templates_dir

if TYPE_CHECKING:
    from alembic_safe.rehearse.results import RehearsalResult
    from alembic_safe.rehearse.runner import Request

TEMPLATES = ("safe", "async")
"""Template packs; every pack but ``safe`` holds only the files it changes."""
BASE_TEMPLATE = "safe"


def init(
    directory: str | Path, *, config_file: str | Path = "alembic.ini", template: str = "safe"
) -> list[Path]:
    """Write the template pack: ``alembic.ini`` and ``DIRECTORY/{env.py, script.py.mako, README}``.

    Refuses (exit 2) when any of those files already exists, naming them.
    """
    if template not in TEMPLATES:
        raise UsageError(
            f"Unknown template {template!r}.", hint=f"Available templates: {', '.join(TEMPLATES)}."
        )
    files = template_files(template)
    target = Path(directory)
    ini = Path(config_file)
    copies = [files[name] for name in sorted(files) if name != "alembic.ini.mako"]
    planned = [ini] + [target / p.name for p in copies] + [target / "versions"]
    existing = [p for p in planned if p.exists()]
    if existing:
        raise UsageError(
            "Refusing to overwrite existing files: " + ", ".join(str(p) for p in existing),
            hint="Choose another directory, or move these files away first.",
        )
    ini_dir = ini.resolve().parent
    try:
        relative = target.resolve().relative_to(ini_dir)
        location = f"%(here)s/{relative.as_posix()}"
    except ValueError:
        location = str(target.resolve())
    target.mkdir(parents=True, exist_ok=True)
    (target / "versions").mkdir()
    written = []
    for path in copies:
        shutil.copyfile(path, target / path.name)
        written.append(target / path.name)
    ini.write_text(render_ini(location, template))
    written.insert(0, ini)
    return written


def template_files(template: str = BASE_TEMPLATE) -> dict[str, Path]:
    """File name -> path of a template pack: the ``safe`` pack's files, overridden by its own."""
    files = {p.name: p for p in sorted((templates_dir() / BASE_TEMPLATE).iterdir()) if p.is_file()}
    if template != BASE_TEMPLATE:
        files.update(
            {p.name: p for p in sorted((templates_dir() / template).iterdir()) if p.is_file()}
        )
    return files


def render_ini(script_location: str, template: str = BASE_TEMPLATE) -> str:
    path = template_files(template)["alembic.ini.mako"]
    mako = Template(filename=str(path))  # noqa: S702 - renders an ini file, not HTML
    return str(mako.render(script_location=script_location))


def config_from(path: str | Path | None, name: str = "alembic") -> Config:
    """An Alembic Config for ``path`` (default ``alembic.ini``), or a clear error."""
    ini = Path(path or os.environ.get("ALEMBIC_CONFIG", "alembic.ini"))
    if not ini.is_file():
        raise ConfigError(
            f"No Alembic configuration at {ini}.",
            hint="Run in the directory of alembic.ini, pass -c PATH, or create one with "
            "`alembic-safe init migrations`.",
        )
    pyproject = ini.resolve().parent / "pyproject.toml"
    config = Config(
        str(ini),
        ini_section=name,
        toml_file=str(pyproject) if pyproject.is_file() else None,
    )
    _require_section(config, ini, name)
    return config


def _require_section(config: Config, ini: Path, name: str) -> None:
    """``-n NAME`` must name a section of the ini file (pyproject.toml may stand for [alembic])."""
    try:
        present = config.file_config.has_section(name)
    except configparser.Error as exc:
        raise ConfigError(f"Cannot read {ini}: {exc}") from None
    if present or (name == "alembic" and config.toml_alembic_config):
        return
    sections = [
        s
        for s in config.file_config.sections()
        if not s.startswith(("logger", "handler", "formatter"))
    ]
    raise ConfigError(
        f"{ini} has no [{name}] section (-n {name}), so there is no Alembic configuration to read.",
        hint=f"Sections there: {', '.join(sections) or '(none)'}. Pass -n with one of them, "
        "or leave -n out for [alembic].",
    )


def history(config: Config | None, url: str | None, limit: int = 50) -> list[HistoryRow]:
    """The newest ``limit`` rows of the migration history table.

    The table is looked for in the version table's schema (:func:`configured_schema`),
    else wherever a single table of its name exists.
    """
    from alembic_safe.config import Settings, load_settings

    settings = load_settings(config) if config is not None else Settings()
    schema = configured_schema(config, settings)
    with connect(resolve_url(config, url)) as connection:
        return History.find(connection, settings.history_table, schema).rows(connection, limit)


def plans(project: Project, rev_range: str | None = None) -> list[RevisionRecord]:
    """The records of every revision in ``rev_range``, with both plans captured offline."""
    book = RecordBook.of(project)
    return book.records(project.revisions(rev_range))


def baseline_path(config: Config) -> Path | None:
    """The ``baseline`` setting as a path (relative to the directory of alembic.ini)."""
    from alembic_safe.config import load_settings

    value = load_settings(config).baseline
    if not value:
        return None
    path = Path(os.path.expanduser(value))
    if not path.is_absolute() and config.config_file_name:
        path = Path(config.config_file_name).resolve().parent / path
    return path


def rehearse(
    project: Project,
    request: Request,
    *,
    emit: Callable[[str], None],
    on_result: Callable[[RehearsalResult], None] | None = None,
) -> RehearsalResult:
    """Rehearse the pending revisions on a scratch database (:mod:`alembic_safe.rehearse`).

    ``emit`` gets the progress lines; ``on_result`` the result while the scratch database
    still exists (with ``--keep`` the call then waits until interrupted).
    """
    from alembic_safe.rehearse.runner import rehearse as run

    return run(project, request, emit=emit, on_result=on_result)
