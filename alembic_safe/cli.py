"""The ``alembic-safe`` command: parse arguments, call :mod:`alembic_safe.commands`, print.

Global options mirror alembic's (``-c/--config``, ``-n/--name``, ``-x KEY=VALUE``).
Errors print ``error: <message>`` on stderr and exit with the error's code (2 for usage
and configuration, 1 for failures); anything unexpected prints one line and the advice
to rerun with ``--debug``.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from alembic.util import CommandError

from alembic_safe import __version__, commands
from alembic_safe.errors import AlembicSafeError, UsageError
from alembic_safe.pg.connection import resolve_url

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would exit; we raise
        raise UsageError(f"{message}", hint=f"Try '{self.prog} --help'.")


def _out(text: str = "") -> None:
    """Print to stdout; a reader that went away (``check | head -1``) ends output quietly."""
    try:
        print(text)
    except BrokenPipeError:
        _stdout_closed()


def _stdout_closed() -> None:
    """The reader of stdout is gone: send the rest to the null device, without a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            if stream is sys.stdout:
                _stdout_closed()
        except (OSError, ValueError):
            pass


def _cmd_init(args: argparse.Namespace) -> int:
    written = commands.init(
        args.directory, config_file=args.config or "alembic.ini", template=args.template
    )
    for path in written:
        _out(f"  wrote {path}")
    _out(
        f'Done. Set DATABASE_URL, then: alembic revision -m "..." and alembic upgrade head '
        f"(scripts in {args.directory})."
    )
    return 0


def _project(args: argparse.Namespace) -> Any:
    from alembic_safe.capture.project import Project

    config = commands.config_from(args.config, args.name)
    return Project.load(config, args.x or [])


def _cmd_plan(args: argparse.Namespace) -> int:
    project = _project(args)
    for error in project.load_errors:
        _out(f"error: {error.format()}")
    for record in commands.plans(project, args.range):
        _out(f"{record.revision}  {record.path}")
        for plan in (record.upgrade, record.downgrade):
            _out(f"  {plan.direction}: {plan.status()}")
            destroys = {
                d.step.index: d.reason for d in record.destructions(plan.direction) if d.step
            }
            for step in plan.steps:
                flags = []
                if not step.in_transaction or not step.transactional:
                    flags.append("outside transaction")
                if step.index in destroys:
                    flags.append(f"DESTRUCTIVE: {destroys[step.index]}")
                extra = f"  [{'; '.join(flags)}]" if flags else ""
                _out(f"    {step.describe()}{extra}")
        reversible = record.reversibility
        if not reversible.ok:
            _out(f"  downgrade problem: {reversible.problem}")
        elif reversible.declared_irreversible:
            _out(f"  irreversible: {reversible.declared_irreversible}")
        pre, post = record.derived_checks("upgrade")
        for check in pre:
            _out(f"  precondition: {check.description}")
        for check in post:
            _out(f"  post-check: {check.description}")
    return 2 if project.load_errors else 0


def _cmd_history(args: argparse.Namespace) -> int:
    config = (
        commands.config_from(args.config, args.name) if not args.url else _optional_config(args)
    )
    rows = commands.history(config, args.url, args.limit)
    if not rows:
        _out("No migration runs recorded yet.")
        return 0
    header = f"{'started':<20} {'revision':<14} {'direction':<9} {'outcome':<9} {'ms':>7} {'tries':>5}  who / backup / message"
    _out(header)
    for row in rows:
        started = row.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        notes = [f"{row.who} as {row.db_user}"]
        if row.backup:
            notes.append(f"backup {row.backup}")
        if row.message:
            notes.append(row.message.splitlines()[0][:120])
        duration = "" if row.duration_ms is None else str(row.duration_ms)
        _out(
            f"{started:<20} {row.revision:<14} {row.direction:<9} {row.outcome:<9} "
            f"{duration:>7} {row.attempts:>5}  {' | '.join(notes)}"
        )
    return 0


def _optional_config(args: argparse.Namespace) -> Any:
    try:
        return commands.config_from(args.config, args.name)
    except AlembicSafeError:
        return None


def _err(text: str = "") -> None:
    try:
        print(text, file=sys.stderr)
    except BrokenPipeError:
        pass


def _backup_context(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """(config or None, settings, directory of alembic.ini or None) for the backup commands."""
    from pathlib import Path

    from alembic_safe.config import load_settings

    config = commands.config_from(args.config, args.name) if args.config else None
    if config is None and Path("alembic.ini").is_file():
        config = commands.config_from(None, args.name)
    settings = load_settings(config, args.x or [])
    ini = config.config_file_name if config is not None else None
    base = Path(ini).resolve().parent if ini else None
    return config, settings, base


def _cmd_backup(args: argparse.Namespace) -> int:
    from alembic_safe import backup

    config, settings, base = _backup_context(args)
    result = backup.manual_backup(
        resolve_url(config, args.url),
        settings,
        directory=backup.resolve_directory(args.out or settings.backup_dir, base),
        scope=args.scope or settings.backup_scope,
        tables=args.table or (),
        pending_tables=backup.pending_tables(config, args.x or []) if config else None,
        emit=_err,
    )
    _out(str(result.path))
    return 0


def _cmd_backups(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from alembic_safe import backup
    from alembic_safe.pg import catalog as _catalog
    from alembic_safe.pg.progress import format_size

    _, settings, base = _backup_context(args)
    directory = backup.resolve_directory(args.dir or settings.backup_dir, base)
    rows = backup.list_backups(directory, pg_bindir=settings.pg_bindir, check=not args.no_verify)
    if not rows:
        _out(f"No backups in {directory}.")
        return 0
    _out(f"Backups in {directory} (oldest first):")
    now = datetime.now(timezone.utc)
    for row in rows:
        info = row.item.best
        age = _catalog.format_age(now - info.created_at) if info else "?"
        revisions = info.describe_revisions() if info else "?"
        scope = info.scope if info else "?"
        verifies = {True: "verifies", False: "DOES NOT VERIFY", None: "not verified"}[row.verifies]
        state = "" if row.item.state == "complete" else f" [{row.item.state}]"
        _out(f"  {row.item.path.name}{state}")
        _out(
            f"    {format_size(row.item.size)}, revisions {revisions}, {age} old, "
            f"scope {scope}, {verifies} ({row.detail})"
        )
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from alembic_safe import backup
    from alembic_safe.backup import restore

    config, settings, base = _backup_context(args)
    path = Path(args.file)
    if not path.exists():
        in_dir = backup.resolve_directory(settings.backup_dir, base) / args.file
        path = in_dir if in_dir.exists() else path

    def confirm(name: str) -> bool:
        if sys.stdin.isatty():
            answer = input(f'Type the name of the database to replace ("{name}"): ')
            return answer.strip() == name
        return bool(args.yes)

    result = restore.restore(
        path,
        resolve_url(config, args.url),
        into=args.into,
        force=args.force,
        confirm=confirm,
        no_owner=args.no_owner,
        settings=settings,
        emit=_err,
    )
    revision = ", ".join(result.revisions) or "base (no revision)"
    _out(f'Restored {path.name} into "{result.database}" ({result.url}), at revision {revision}.')
    if result.replaced:
        _out(f'The previous "{result.database}" is kept as "{result.replaced}"; drop it when done.')
    return 0


def _cmd_doc(args: argparse.Namespace) -> int:
    from alembic_safe.docs.generate import generate

    project = _project(args)
    result = generate(project, args.range, out=args.out, url=args.url, schema=args.schema)
    for path in result.written:
        _out(f"  wrote {path}")
    for path in result.removed:
        _out(f"  removed {path} (the page moved with the revision's title)")
    if result.schema_file is not None:
        _out(f"  schema file {result.schema_file}")
    _out(
        f"{len(result.written)} file(s) written, {len(result.unchanged)} unchanged in "
        f"{result.directory}."
    )
    for error in result.load_errors:
        print(f"error: cannot be imported: {error.format()}", file=sys.stderr)
    for problem in result.sql_errors:
        print(f"warning: no offline SQL for {problem}", file=sys.stderr)
    return 2 if result.load_errors else 0


def _cmd_export(args: argparse.Namespace) -> int:
    from alembic_safe.docs.export import export

    result = export(_project(args), args.directory)
    for path in result.written:
        _out(f"  wrote {path}")
    for path in result.removed:
        _out(f"  removed {path} (no longer in the history)")
    revisions = (len(result.files) - 1) // 2
    _out(
        f"{revisions} revision(s) exported to {result.directory}: {len(result.written)} file(s) "
        f"written, {len(result.unchanged)} unchanged. Apply in order with "
        "psql -v ON_ERROR_STOP=1 -f FILE."
    )
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from alembic_safe import lint
    from alembic_safe.report import formats
    from alembic_safe.report.style import wants_colour

    rev_range, files = _check_targets(args.targets)
    config = commands.config_from(args.config, args.name)
    baseline = args.baseline
    if baseline is None and not args.no_baseline:
        configured = commands.baseline_path(config)
        if configured is not None and (configured.exists() or not args.write_baseline):
            baseline = str(configured)
    result = lint.check(
        config,
        rev_range,
        url=args.url,
        fail_on=args.fail_on,
        baseline=baseline,
        write_baseline=args.write_baseline,
        x_args=args.x or [],
        files=files,
        rehearse=args.rehearse,
    )
    _FAST_EXIT.add("check")  # read-only: nothing to clean up at interpreter exit
    for note in result.notes:
        _err(f"note: {note}")
    output = formats.render(args.format, result, colour=wants_colour(sys.stdout))
    if output:
        _out(output)
    if args.format in formats.SUMMARY_ON_STDERR:
        _err(lint.summary(result))
    return result.exit_code


def _check_targets(targets: Sequence[str]) -> tuple[str | None, list[str]]:
    """(range, files) from ``check``'s arguments: one revision range, or revision files."""
    files = [t for t in targets if t.endswith(".py") or os.sep in t or "/" in t]
    ranges = [t for t in targets if t not in files]
    if ranges and (files or len(ranges) > 1):
        raise UsageError(
            f"check takes one revision range or revision files, not {' '.join(targets)}.",
            hint="For example: alembic-safe check ae1027a6acf: , or alembic-safe check "
            "migrations/versions/3f2a_add_index.py",
        )
    return (ranges[0] if ranges else None), files


def _cmd_adopt(args: argparse.Namespace) -> int:
    from pathlib import Path

    from alembic_safe import adopt

    adoption = adopt.plan(args.directory, config_file=args.config, name=args.name)
    if not args.dry_run:
        adopt.apply(adoption, Path(args.config) if args.config else None)
    for line in adopt.describe(adoption, dry_run=args.dry_run):
        _out(line)
    if not args.dry_run and adoption.changes_anything:
        _out(
            "Done. Review and commit the changes; in CI run `alembic-safe check` (it reads the "
            "baseline) and deploy with `alembic upgrade head` as before."
        )
    return 0


def _cmd_rule(args: argparse.Namespace) -> int:
    from alembic_safe.report import rule_page

    if args.all or not args.rule_id:
        _out(rule_page.listing())
        return 0
    _out(rule_page.page(args.rule_id))
    return 0


def _cmd_deps(args: argparse.Namespace) -> int:
    from alembic_safe import lint

    _out(lint.render_deps(lint.deps(_optional_config(args), args.target, args.url)))
    return 0


def _cmd_rehearse(args: argparse.Namespace) -> int:
    from pathlib import Path

    from alembic_safe.rehearse import report
    from alembic_safe.rehearse.runner import Request
    from alembic_safe.rehearse.scratch import Source

    config = commands.config_from(args.config, args.name)
    source = Source.from_options(
        url=args.url,
        copy=args.copy,
        template=args.template,
        from_backup=args.from_backup,
        ephemeral=args.ephemeral,
        fallback_url=config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL"),
    )
    from alembic_safe.capture.project import Project

    project = Project.load(config, args.x or [])
    request = Request(
        source=source,
        rev_range=args.range,
        keep=args.keep,
        results_dir=Path(args.results) if args.results else None,
        x_args=tuple(args.x or ()),
    )
    render = report.render_json if args.format == "json" else report.render_text

    def show(result: Any) -> None:
        _out(render(result))
        sys.stdout.flush()

    result = commands.rehearse(project, request, emit=_err, on_result=show)
    return result.exit_code


def _cmd_demo(args: argparse.Namespace) -> int:
    from alembic_safe.demo import run_demo

    result: int = run_demo(keep=args.keep, out=_out)
    return result


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="alembic-safe",
        description="Safe PostgreSQL migrations for Alembic projects.",
    )
    parser.add_argument("--version", action="version", version=f"alembic-safe {__version__}")
    parser.add_argument("-c", "--config", help="alembic.ini to use (default: ./alembic.ini)")
    parser.add_argument("-n", "--name", default="alembic", help="ini section (default: alembic)")
    parser.add_argument(
        "-x", action="append", metavar="KEY=VALUE", help="setting override, like alembic's -x"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("init", help="write the template pack (refuses to overwrite)")
    p.add_argument("directory", help="directory for env.py, script.py.mako and versions/")
    p.add_argument(
        "-t",
        "--template",
        default="safe",
        choices=commands.TEMPLATES,
        help="safe (default), or async for asyncpg / psycopg async projects",
    )
    p.set_defaults(handler=_cmd_init)

    p = sub.add_parser("plan", help="show what each revision does, captured offline")
    p.add_argument("range", nargs="?", help="revision range, e.g. base:head or ae10:")
    p.set_defaults(handler=_cmd_plan)

    p = sub.add_parser("check", help="lint revisions for unsafe PostgreSQL migration patterns")
    p.add_argument(
        "targets",
        nargs="*",
        metavar="RANGE|FILE",
        help="a revision range (base:head, ae10:) or revision files (default: every revision)",
    )
    p.add_argument(
        "--format",
        choices=("text", "json", "github", "sarif", "markdown"),
        default="text",
        help="text (coloured on a terminal), json, github annotations, sarif for code "
        "scanning, markdown for a pull-request comment",
    )
    p.add_argument("--url", help="database for live table sizes, column types and dependents")
    p.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        default="error",
        help="exit 1 when a finding has this severity or higher (default: error)",
    )
    p.add_argument(
        "--baseline", metavar="FILE", help="report findings recorded in FILE as suppressed"
    )
    p.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE")
    p.add_argument(
        "--rehearse",
        action="store_true",
        help="execute revisions whose offline capture stops at a database read on a scratch "
        "copy (--url's schema, else an empty database) and lint what they executed",
    )
    p.add_argument(
        "--no-baseline", action="store_true", help="ignore the baseline setting for this run"
    )
    p.set_defaults(handler=_cmd_check)

    p = sub.add_parser(
        "adopt",
        help="turn an existing Alembic project into a guarded one (env.py, template, hook, "
        "baseline)",
    )
    p.add_argument("directory", nargs="?", default=".", help="project directory (default: .)")
    p.add_argument(
        "--dry-run", action="store_true", help="show every change as a diff; write nothing"
    )
    p.set_defaults(handler=_cmd_adopt)

    p = sub.add_parser("rule", help="print a rule's page (what, why, what instead)")
    p.add_argument("rule_id", nargs="?", metavar="ID", help="rule id, e.g. drop-column")
    p.add_argument("--all", action="store_true", help="list every rule")
    p.set_defaults(handler=_cmd_rule)

    p = sub.add_parser("deps", help="objects that depend on a table or column (views, FKs, ...)")
    p.add_argument("target", metavar="TABLE[.COLUMN]", help="table or table.column")
    p.add_argument("--url", help="database URL (default: sqlalchemy.url, then DATABASE_URL)")
    p.set_defaults(handler=_cmd_deps)

    p = sub.add_parser("history", help="the applied-migration audit log of a database")
    p.add_argument("--url", help="database URL (default: sqlalchemy.url, then DATABASE_URL)")
    p.add_argument("--limit", type=int, default=50, help="newest rows to show (default 50)")
    p.set_defaults(handler=_cmd_history)

    p = sub.add_parser("backup", help="make a verified pg_dump backup now")
    p.add_argument("--url", help="database URL (default: sqlalchemy.url, then DATABASE_URL)")
    p.add_argument("--out", metavar="DIR", help="backup directory (default: backup_dir)")
    p.add_argument(
        "--scope",
        choices=("full", "tables", "schema"),
        help="full database, touched tables' rows + schema, or schema (default: backup_scope)",
    )
    p.add_argument(
        "--table",
        action="append",
        metavar="NAME",
        help="with --scope tables: keep the rows of this table (repeatable; default: the "
        "tables the pending revisions touch)",
    )
    p.set_defaults(handler=_cmd_backup)

    p = sub.add_parser("backups", help="list backups with size, revisions, age, verification")
    p.add_argument("--dir", metavar="DIR", help="backup directory (default: backup_dir)")
    p.add_argument(
        "--no-verify", action="store_true", help="skip the pg_restore --list check of each file"
    )
    p.set_defaults(handler=_cmd_backups)

    p = sub.add_parser("restore", help="restore a backup into a new database")
    p.add_argument("file", help="backup file (a path, or a name in backup_dir)")
    p.add_argument("--url", help="server to restore on (default: sqlalchemy.url, DATABASE_URL)")
    p.add_argument(
        "--into", metavar="NAME", help="database to restore into (default: a new, dated name)"
    )
    p.add_argument(
        "--force", action="store_true", help="replace a database that is not empty (asks first)"
    )
    p.add_argument(
        "--yes", action="store_true", help="with --force and no terminal: confirm the replacement"
    )
    p.add_argument(
        "--no-owner",
        action="store_true",
        help="skip ownership and privileges (the server lacks the original roles)",
    )
    p.set_defaults(handler=_cmd_restore)

    p = sub.add_parser("doc", help="write impact documents and the migration log")
    p.add_argument("range", nargs="?", help="revision range of the pages (the log lists all)")
    p.add_argument("--out", help="directory for the pages (default: docs_dir)")
    p.add_argument("--url", help="database for row estimates and sizes (and --schema)")
    p.add_argument(
        "--schema", action="store_true", help="also write schema_file from the database at --url"
    )
    p.set_defaults(handler=_cmd_doc)

    p = sub.add_parser(
        "export", help="write forward and rollback .sql files per revision and a README log"
    )
    p.add_argument("directory", help="directory for NNN_<slug>.sql, NNN_rollback_<slug>.sql")
    p.set_defaults(handler=_cmd_export)

    p = sub.add_parser(
        "rehearse",
        help="on a scratch copy: each pending revision up, down (same schema and rows), up again",
    )
    p.add_argument("range", nargs="?", help="revision range, e.g. ae10:head (default: pending)")
    p.add_argument("--url", help="copy this database (default: sqlalchemy.url, DATABASE_URL)")
    p.add_argument(
        "--copy",
        choices=("schema", "full"),
        help="with --url: copy the schema (default) or the schema and every row",
    )
    p.add_argument(
        "--template",
        action="store_true",
        help="with --url: copy with CREATE DATABASE ... TEMPLATE on the source's server",
    )
    p.add_argument("--from-backup", metavar="FILE", help="restore this pg_dump -Fc archive")
    p.add_argument(
        "--ephemeral", action="store_true", help="run the whole history from an empty database"
    )
    p.add_argument(
        "--keep", action="store_true", help="keep the scratch database and say how to connect"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--results",
        metavar="DIR",
        help="where to save each revision's result (default: <docs_dir>/rehearsals)",
    )
    p.set_defaults(handler=_cmd_rehearse)

    p = sub.add_parser(
        "demo", help="run a sample project end to end on a throwaway PostgreSQL server"
    )
    p.add_argument("--keep", action="store_true", help="keep the sample project directory")
    p.set_defaults(handler=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``alembic-safe`` console script; returns the exit code."""
    parser = build_parser()
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "handler", None):
            parser.print_help()
            return 2
        handler: Handler = args.handler
        return handler(args)
    except AlembicSafeError as exc:
        _err(f"error: {exc.format_message()}")
        return exc.exit_code
    except CommandError as exc:  # Alembic's own words: unknown revision, bad script_location
        _err(f"error: {exc}")
        return 2
    except BrokenPipeError:
        _stdout_closed()
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            traceback.print_exc()
        print(
            f"error: internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return 1


_FAST_EXIT: set[str] = set()
"""Commands after which the process may end without interpreter teardown."""


def run() -> None:
    """Console entry point: :func:`main`, then exit.

    After ``check`` (which only reads) the process ends without tearing down every
    imported revision module one by one, which on a long history takes longer than
    printing the report.
    """
    code = main()
    _flush()
    if _FAST_EXIT:
        os._exit(code)
    raise SystemExit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
