"""The post-write hook: ``alembic revision`` (and ``alembic merge``) write the impact page.

It also prints the linter's findings for the new revision (what ``alembic-safe check``
would say of it), so an unsafe pattern is seen the moment the file is written.

Our template's ``alembic.ini`` enables it::

    [post_write_hooks]
    hooks = alembic_safe_doc
    alembic_safe_doc.type = alembic_safe

After Alembic writes a revision file, the hook writes that revision's page into
``docs_dir`` and refreshes the migration log (as ``alembic-safe doc <revision>`` does).
Options, all optional: ``<name>.config`` (the ini file; by default the nearest ini above
the revision file whose ``script_location`` holds it) and ``<name>.out`` (instead of
``docs_dir``).

The ``alembic_safe`` hook type exists once ``alembic_safe`` is imported (env.py and our
revision files import it).  Projects can run it as a program instead, which needs no
import first (``alembic-safe adopt`` writes this)::

    alembic_safe_doc.type = module
    alembic_safe_doc.module = alembic_safe.write_hook
"""

from __future__ import annotations

import argparse
import configparser
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.script import write_hooks
from alembic.util import CommandError, msg

from alembic_safe.errors import AlembicSafeError, ConfigError

HOOK_TYPE = "alembic_safe"


def _holds(config: Config, revision_file: Path) -> bool:
    """Whether ``revision_file`` is under the project's scripts (alembic.ini or pyproject)."""
    locations = [config.get_alembic_option("script_location") or ""]
    locations += config.get_version_locations_list() or []
    for location in locations:
        if not location:
            continue
        try:
            revision_file.relative_to(Path(location).resolve())
        except ValueError:
            continue
        return True
    return False


def find_config(revision_file: Path) -> Path:
    """The ini file of the project that ``revision_file`` belongs to."""
    revision_file = revision_file.resolve()
    for directory in revision_file.parents:
        candidates = [directory / "alembic.ini"]
        candidates += sorted(p for p in directory.glob("*.ini") if p.name != "alembic.ini")
        for candidate in candidates:
            if not candidate.is_file():
                continue
            try:
                pyproject = directory / "pyproject.toml"
                config = Config(
                    str(candidate), toml_file=str(pyproject) if pyproject.is_file() else None
                )
                if _holds(config, revision_file):
                    return candidate
            except (CommandError, configparser.Error, ValueError, OSError):
                continue  # an unrelated or broken ini file: not the project's
    raise ConfigError(
        f"Cannot find the alembic.ini of {revision_file}: no ini file above it has a "
        "script_location that holds it.",
        hint="Set <hook name>.config = %(here)s/alembic.ini in [post_write_hooks].",
    )


def write_page(revision_file: str | Path, options: Mapping[str, str] | None = None) -> list[Path]:
    """Write the page of the revision in ``revision_file`` and refresh the log."""
    from alembic_safe import commands
    from alembic_safe.capture.project import Project
    from alembic_safe.docs.files import LOG_NAME
    from alembic_safe.docs.generate import generate
    from alembic_safe.record import RecordBook

    options = options or {}
    path = Path(revision_file).resolve()
    config_path = Path(options["config"]) if options.get("config") else find_config(path)
    project = Project.load(commands.config_from(config_path))
    revision = next(
        (s.revision for s in project.all_revisions() if Path(str(s.path)).resolve() == path),
        None,
    )
    if revision is None:
        raise ConfigError(f"{path} is not a revision of the project of {config_path}.")
    book = RecordBook.of(project)
    result = generate(project, revision, out=options.get("out") or None, book=book)
    _print_findings(project, book, revision)
    if result.load_errors:
        msg(
            f"alembic-safe: warning: {len(result.load_errors)} revision file(s) cannot be "
            f"imported; see {result.directory / LOG_NAME}"
        )
    return result.written


def _print_findings(project: Any, book: Any, revision: str) -> None:
    """The linter's findings of the new revision (already computed for its page)."""
    from alembic_safe import lint
    from alembic_safe.rules.base import Severity

    scripts = project.revisions(revision)
    findings = [f for s in scripts for f in (book.get(s).findings or [])]
    result = lint.CheckResult(findings=findings, revisions=len(scripts), fail_on=Severity.ERROR)
    if result.active:
        for line in lint.render_text(result).splitlines():
            msg(f"alembic-safe: {line}")


@write_hooks.register(HOOK_TYPE)
def post_write(path: str, options: Mapping[str, str]) -> None:
    """Alembic post-write hook ``type = alembic_safe``."""
    write_page(path, options)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m alembic_safe.write_hook REVISION_FILE [--config INI] [--out DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m alembic_safe.write_hook")
    parser.add_argument("revision_file")
    parser.add_argument("--config")
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    options = {k: v for k, v in (("config", args.config), ("out", args.out)) if v}
    try:
        for written in write_page(args.revision_file, options):
            print(f"  wrote {written}")
    except AlembicSafeError as exc:
        print(f"error: {exc.format_message()}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":  # pragma: no cover - python -m alembic_safe.write_hook is the program
    raise SystemExit(main())
