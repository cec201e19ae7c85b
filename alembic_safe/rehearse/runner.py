"""The rehearsal: every pending revision up, down and up again on a scratch database.

Per revision, in order (the "stairway"):

1. seed a few rows into the empty tables the revision touches (:func:`.data.seed`);
2. snapshot the schema (:mod:`.snapshot`) and checksum the touched tables' rows;
3. preconditions (derived from the operations, and ``preconditions()``);
4. upgrade, traced (:mod:`.trace`): statements, lines, locks, rewrites;
5. verify (derived post-checks, and ``verify()``), then snapshot;
6. downgrade, then compare schema and rows with step 2;
7. upgrade again, and compare with step 5.

The revisions run through the project's own ``env.py``, one revision per run, exactly as
``alembic upgrade <rev>`` / ``alembic downgrade <rev>@-1`` run it (Alembic's
:class:`~alembic.runtime.environment.EnvironmentContext` and ``run_env()``, which is what
``alembic.command`` does; the revision files are loaded once for the whole rehearsal
instead of once per step).  ``sqlalchemy.url`` and ``DATABASE_URL`` point at the scratch
database, and ``config.attributes["alembic_safe.rehearsal"]`` tells a guarded ``env.py``
to skip backups and confirmations there.  Stock ``env.py`` files work unchanged.

The first failure stops the run: an error in a step, a check that does not hold, a
schema difference, or rows lost that the revision does not declare lost (a destructive
step of its upgrade on that table).  A revision that declares ``irreversible = "<why>"``
is upgraded and verified, without a round trip.  The source database is never written.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import FrameType
from typing import Any

from alembic.config import Config
from alembic.operations import Operations
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext, MigrationStep
from alembic.script import Script
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import Connection, Engine

from alembic_safe import checks
from alembic_safe.capture.project import Project
from alembic_safe.checks import COLLECTOR, Check
from alembic_safe.docs.sqlscript import project_root
from alembic_safe.errors import (
    AlembicSafeError,
    PreconditionFailed,
    ProjectLoadError,
    UsageError,
    VerificationFailed,
    chain,
)
from alembic_safe.guard import REHEARSAL
from alembic_safe.pg.progress import Emit
from alembic_safe.record import RecordBook, RevisionRecord
from alembic_safe.rehearse import data, snapshot
from alembic_safe.rehearse.results import (
    FAILED,
    IRREVERSIBLE,
    RESULTS_DIR,
    RehearsalResult,
    RevisionResult,
    TableData,
    file_sha256,
    save,
)
from alembic_safe.rehearse.scratch import Scratch, Source, open_scratch
from alembic_safe.rehearse.trace import FILENODES, Trace, Tracer

_DATABASE_URL = "DATABASE_URL"


@dataclass(frozen=True)
class Request:
    """What to rehearse and how."""

    source: Source
    rev_range: str | None = None
    keep: bool = False
    results_dir: Path | None = None
    """Where to save per-revision results; None: ``<docs_dir>/rehearsals``."""
    save_results: bool = True
    trace: bool = True
    seed_rows: int = data.SEED_ROWS
    x_args: tuple[str, ...] = ()


def results_directory(project: Project, explicit: Path | None = None) -> Path:
    """``explicit``, else ``<docs_dir>/rehearsals`` (relative paths from alembic.ini's folder)."""
    if explicit is not None:
        return explicit if explicit.is_absolute() else Path.cwd() / explicit
    docs = Path(project.settings.docs_dir)
    base = docs if docs.is_absolute() else project_root(project) / docs
    return base / RESULTS_DIR


def rehearse(
    project: Project,
    request: Request,
    *,
    emit: Emit,
    on_result: Callable[[RehearsalResult], None] | None = None,
    book: RecordBook | None = None,
) -> RehearsalResult:
    """Rehearse the pending revisions (or ``request.rev_range``) on a scratch database.

    ``book``: the revision records of the caller's run (their plans are read, not captured
    again).

    ``emit`` gets the progress lines.  ``on_result`` is called with the result while the
    scratch database still exists; with ``request.keep`` on a throwaway server, the call
    then waits (the server lives as long as this process) until interrupted.
    """
    if project.load_errors:
        raise ProjectLoadError(
            "Revision files cannot be imported, so the history cannot be rehearsed.",
            context=[("Files", "\n".join(e.format() for e in project.load_errors))],
            hint="Fix the files named above and run again; nothing was rehearsed.",
        )
    selected = project.revisions(request.rev_range)  # a bad range fails before any copy
    if request.rev_range and not selected:
        raise UsageError(
            f"The revision range {request.rev_range!r} selects no revision.",
            hint="Use revision ids as shown by `alembic history`, e.g. base:head or ae10:.",
        )
    started = time.perf_counter()
    with (
        _terminate_as_interrupt(),
        open_scratch(request.source, project.settings, emit, keep=request.keep) as scratch,
    ):
        runner = _Runner(project, scratch, request, emit, book)
        try:
            result = runner.run(selected if request.rev_range else None)
        finally:
            runner.close()
        result.duration_s = time.perf_counter() - started
        if request.keep:
            result.kept = scratch.how_to_connect()
        if on_result is not None:
            on_result(result)
        if request.keep and scratch.server is not None:
            _hold(scratch, emit)
    return result


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the rehearsal like Ctrl-C: the scratch database and server are removed."""
    if sys.platform == "win32" or not _in_main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _hold(scratch: Scratch, emit: Emit) -> None:
    emit(
        "the scratch database is kept while this command runs; connect with "
        f"{scratch.how_to_connect()}"
    )
    emit("press Ctrl-C (or send SIGTERM) to remove it and its server")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        emit("removing the scratch database and its server")


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """What the revisions print goes to stderr, so ``--format json`` stays parseable."""
    sys.stdout.flush()
    saved: int | None = None
    try:
        out, err = sys.__stdout__, sys.__stderr__
        if out is not None and err is not None and sys.stdout is out:
            saved = os.dup(out.fileno())
            os.dup2(err.fileno(), out.fileno())
    except (OSError, ValueError, AttributeError):
        saved = None
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stderr.flush()
        if saved is not None:
            assert sys.__stdout__ is not None
            sys.__stdout__.flush()
            os.dup2(saved, sys.__stdout__.fileno())
            os.close(saved)


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


class EnvRunner:
    """Alembic steps through the project's own ``env.py``, against one database.

    Each call is one ``alembic upgrade <rev>`` / ``alembic downgrade <rev>`` as
    :mod:`alembic.command` runs it (an :class:`EnvironmentContext` and ``run_env()``), with
    ``sqlalchemy.url`` and ``DATABASE_URL`` set to ``url`` and the rehearsal switch on for a
    guarded ``env.py``; the project's revision files stay loaded between calls.
    """

    def __init__(self, project: Project, url: str, x_args: Sequence[str] = ()) -> None:
        self.project = project
        self.url = url
        self.script = project.script
        original = project.config
        self.config = Config(
            original.config_file_name,
            ini_section=original.config_ini_section,
            toml_file=getattr(original, "toml_file_name", None),
        )
        self.config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        self.config.attributes[REHEARSAL] = True
        self.config.cmd_opts = argparse.Namespace(x=list(x_args))

    def heads(self) -> tuple[str, ...]:
        """The database's current revisions, read through env.py (its version table)."""
        found: list[tuple[str, ...]] = []

        def current(rev: Any, context: MigrationContext) -> list[Any]:
            found.append(tuple(context.get_current_heads()))
            return []

        try:
            with (
                _environment(_DATABASE_URL, self.url),
                EnvironmentContext(self.config, self.script, fn=current, dont_mutate=True),
            ):
                self.script.run_env()
        except Exception as exc:
            raise UsageError(
                f"env.py cannot run against the scratch database: {_describe(exc)}",
                hint="The rehearsal runs env.py with sqlalchemy.url and DATABASE_URL set to the "
                "scratch database; check that env.py reads one of them.",
            ) from exc
        return found[0] if found else ()

    def upgrade(self, destination: str) -> None:
        """``alembic upgrade <destination>``."""
        script = self.script

        def upgrade(rev: Any, context: MigrationContext) -> list[Any]:
            revisions = script.iterate_revisions(destination, rev, implicit_base=True)
            return [
                MigrationStep.upgrade_from_script(script.revision_map, s)
                for s in reversed(list(revisions))
            ]

        self._run(upgrade, destination)

    def downgrade(self, destination: str) -> None:
        """``alembic downgrade <destination>`` (``<rev>@-1``: that revision only)."""
        script = self.script

        def downgrade(rev: Any, context: MigrationContext) -> list[Any]:
            revisions = script.iterate_revisions(rev, destination, select_for_downgrade=True)
            return [MigrationStep.downgrade_from_script(script.revision_map, s) for s in revisions]

        self._run(downgrade, destination)

    def _run(self, fn: Callable[[Any, MigrationContext], list[Any]], destination: str) -> None:
        try:
            with (
                _environment(_DATABASE_URL, self.url),
                EnvironmentContext(
                    self.config,
                    self.script,
                    fn=fn,
                    as_sql=False,
                    starting_rev=None,
                    destination_rev=destination,
                ),
            ):
                self.script.run_env()
        except RevisionError as exc:
            raise CommandError(str(exc)) from exc


class _Failed(Exception):
    """A step of the stairway failed; carries the stage, the message and the line."""

    def __init__(self, stage: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.stage = stage
        self.message = message
        self.line = line


@dataclass
class _Tables:
    """The touched tables of one revision, resolved on the scratch database."""

    keys: list[str] = field(default_factory=list)
    declared: dict[str, str] = field(default_factory=dict)


class _Runner:
    def __init__(
        self,
        project: Project,
        scratch: Scratch,
        request: Request,
        emit: Emit,
        book: RecordBook | None = None,
    ) -> None:
        self.project = project
        self.book = book or RecordBook.of(project)
        self.scratch = scratch
        self.request = request
        self.emit = emit
        self.script = project.script
        self.engine: Engine = create_engine(
            scratch.url,
            poolclass=pool.QueuePool,
            pool_size=1,
            max_overflow=2,
            connect_args={"application_name": "alembic-safe rehearse"},
        )
        self.env = EnvRunner(project, scratch.url, request.x_args)
        self.excluded: list[str] = []
        self.tracer: Tracer | None = None
        self.latest: snapshot.Snapshot | None = None
        """The schema as the last step left it, when nothing ran since (the next "before")."""
        self.results_dir = (
            results_directory(project, request.results_dir) if request.save_results else None
        )

    def close(self) -> None:
        if self.tracer is not None:
            self.tracer.close()
        self.engine.dispose()

    # ------------------------------------------------------------------ the run
    def run(self, selected: list[Script] | None) -> RehearsalResult:
        source = self.scratch.source
        result = RehearsalResult(
            source=source.describe(),
            source_kind=source.kind,
            restored_revisions=self.scratch.restored_revisions,
            started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        with _stdout_to_stderr():
            heads = self.env.heads()
            labelled = self.scratch.restored_revisions
            if labelled is not None and sorted(labelled) != sorted(heads):
                self.emit(
                    f"warning: the restored backup is at {', '.join(heads) or 'base'}, but its "
                    f"label says {', '.join(labelled) or 'base'}"
                )
            self.excluded = self._excluded()
            applied = self._ancestors(heads)
            if selected is None:
                pending = [s for s in self.project.all_revisions() if s.revision not in applied]
            else:
                done = [s.revision for s in selected if s.revision in applied]
                if done:
                    position = ", ".join(heads) or "base"
                    raise UsageError(
                        f"Revision(s) {', '.join(done)} of the range {self.request.rev_range!r} "
                        f"are already applied on the copy (it is at {position}).",
                        hint="Rehearse pending revisions only (leave out the range, or start "
                        "it after the copy's revision), or use --ephemeral to run the whole "
                        "history from an empty database.",
                    )
                pending = selected
            position = ", ".join(heads) or "base (empty)"
            if not pending:
                self.emit(f"nothing to rehearse: the copy is at {position}, the head")
                return result
            self.emit(f"{len(pending)} revision(s) to rehearse; the copy is at {position}")
            if self.request.trace:
                self.tracer = Tracer(self.scratch.connect, self.excluded)
            for number, script in enumerate(pending, start=1):
                self._bring_up_to(script, applied)
                revision = self._rehearse(script, number, len(pending))
                result.revisions.append(revision)
                self._save(revision)
                applied.add(script.revision)
                if not revision.passed:
                    result.not_run = [s.revision for s in pending[number:]]
                    break
        return result

    def _save(self, revision: RevisionResult) -> None:
        if self.results_dir is None:
            return
        try:
            save(self.results_dir, revision)
        except OSError as exc:
            self.emit(f"warning: the result of {revision.revision} was not saved: {exc}")

    def _ancestors(self, heads: Sequence[str]) -> set[str]:
        if not heads:
            return set()
        return {s.revision for s in self.script.iterate_revisions(tuple(heads), "base")}

    def _excluded(self) -> list[str]:
        with self.engine.connect() as conn:
            found = snapshot.version_tables(conn)
            history = self.project.settings.history_table
            row = conn.execute(
                text(
                    "SELECT n.nspname || '.' || c.relname FROM pg_catalog.pg_class c"
                    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE c.relname = :name AND c.relkind = 'r'"
                ),
                {"name": history},
            ).all()
        names = set(found) | {str(r[0]) for r in row} | {history, f"public.{history}"}
        return sorted(names | {"alembic_version", "public.alembic_version"})

    def _bring_up_to(self, script: Script, applied: set[str]) -> None:
        parents = _parents(script)
        missing = [p for p in parents if p not in applied]
        for parent in missing:
            self.latest = None
            self.emit(f"bringing the copy up to {parent} (not rehearsed)")
            self.env.upgrade(parent)
            applied |= self._ancestors([parent])

    # ------------------------------------------------------------------ one revision
    def _rehearse(self, script: Script, number: int, total: int) -> RevisionResult:
        path = str(script.path)
        title = self.book.get(script).header.title
        result = RevisionResult(
            revision=script.revision,
            path=path,
            sha256=file_sha256(path),
            title=title,
            source=self.scratch.source.kind,
            rehearsed_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        self.emit(f"[{number}/{total}] {script.revision} {title!r}")
        try:
            self._stairway(script, result)
        except _Failed as failure:
            result.status = FAILED
            result.stage = failure.stage
            result.error = failure.message or result.summary()
            result.line = failure.line
        self.emit("  " + _progress_line(result))
        for line in result.trace.lines():
            self.emit(f"    {line}")
        if not result.passed:
            self.emit(f"  {result.summary()}")
        return result

    def _stairway(self, script: Script, result: RevisionResult) -> None:
        record = self.book.get(script)
        up, down = record.upgrade, record.downgrade
        judged = record.reversibility
        if not judged.ok:
            raise _Failed(
                "downgrade",
                f"revision {script.revision} {judged.problem}, so it cannot come back down; "
                "write a downgrade() that reverses upgrade(), or declare "
                'irreversible = "<why it cannot be reversed>"',
            )
        tables = self._tables(up.tables + down.tables, record)
        if self.request.seed_rows > 0:
            with self.engine.connect() as conn:
                report = data.seed(conn, tables.keys, self.request.seed_rows)
            result.seeded, result.unseeded = report.seeded, report.skipped
        for key in tables.keys:
            stats = self.scratch.stats.get(key)
            if stats is not None:
                result.source_stats[key] = {"rows": stats.rows, "bytes": stats.total_bytes}
        before = self.latest or self._snapshot()
        self.latest = None
        data_keys = list(before["tables"]) if not up.complete else tables.keys
        rows_before = self._rows(before, data_keys)
        pre, post = record.derived_checks("upgrade")
        self._check(script, "preconditions", pre)
        result.upgrade_s, result.trace = self._upgrade(script, traced=True)
        self._check(script, "verify", post)
        after_up = self._snapshot()
        if judged.declared_irreversible:
            result.status = IRREVERSIBLE
            result.irreversible = judged.declared_irreversible
            self.latest = after_up
            return
        started = time.perf_counter()
        try:
            self.env.downgrade(downgrade_target(script))
        except Exception as exc:
            raise _Failed(
                "downgrade", _failure("downgrade", script, exc), _line(exc, script)
            ) from exc
        result.downgrade_s = time.perf_counter() - started
        after_down = self._snapshot()
        result.differences = snapshot.diff(before, after_down)
        result.data = self._compare_rows(before, after_down, rows_before, tables.declared)
        if result.differences:
            raise _Failed("round-trip", "")
        if not all(t.ok for t in result.data):
            raise _Failed("data", "")
        result.reupgrade_s, _ = self._upgrade(script, traced=False, stage="re-upgrade")
        after_again = self._snapshot()
        result.reupgrade_differences = snapshot.diff(after_up, after_again)
        if result.reupgrade_differences:
            raise _Failed("re-upgrade", "")
        self.latest = after_again

    def _upgrade(
        self, script: Script, *, traced: bool, stage: str = "upgrade"
    ) -> tuple[float, Trace]:
        tracer = self.tracer if traced else None
        if tracer is not None:
            with self.engine.connect() as conn:
                relations = [tuple(r) for r in conn.execute(text(FILENODES))]
            tracer.start(str(script.path), relations)
        started = time.perf_counter()
        try:
            self.env.upgrade(script.revision)
        except Exception as exc:
            if isinstance(exc, PreconditionFailed):
                stage = "preconditions"
            elif isinstance(exc, VerificationFailed):
                stage = "verify"
            raise _Failed(stage, _failure("upgrade", script, exc), _line(exc, script)) from exc
        finally:
            trace = tracer.stop() if tracer is not None else Trace()
        return time.perf_counter() - started, trace

    # ------------------------------------------------------------------ checks
    def _check(self, script: Script, name: str, derived: list[Check]) -> None:
        with self.engine.connect() as conn:
            try:
                explicit = self._explicit(conn, script, name)
                failures = checks.evaluate(conn, checks.unique(derived + explicit))
            except _Failed:
                raise
            except Exception as exc:
                raise _Failed(
                    name,
                    f"{name}() of {script.revision} failed: {_describe(exc)}",
                    _line(exc, script),
                ) from exc
            finally:
                conn.rollback()
        if failures:
            words = "precondition" if name == "preconditions" else "post-check"
            raise _Failed(
                name,
                f"{words}(s) of {script.revision} do not hold: "
                + "; ".join(f.format() for f in failures),
            )

    @staticmethod
    def _explicit(conn: Connection, script: Script, name: str) -> list[Check]:
        function = getattr(script.module, name, None)
        if not callable(function):
            return []
        collected: list[Check] = []
        context = MigrationContext.configure(connection=conn, opts={COLLECTOR: collected})
        with Operations.context(context):
            function()
        return [c.with_origin(f"{name}()") for c in collected]

    # ------------------------------------------------------------------ schema and rows
    def _snapshot(self) -> snapshot.Snapshot:
        with self.engine.connect() as conn:
            taken = snapshot.take(conn, include_data=False, exclude_tables=self.excluded)
            conn.rollback()
        return taken

    def _tables(self, written: Sequence[str], record: RevisionRecord) -> _Tables:
        """Resolve the revision's tables (as written) to ``schema.name`` on the scratch database."""
        found = _Tables()
        names = list(dict.fromkeys(written))
        destructive = {
            t: d.reason for d in record.destructions("upgrade") if d.step for t in d.step.tables
        }
        if not names:
            return found
        with self.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT w.name, n.nspname || '.' || c.relname"
                    " FROM unnest(CAST(:names AS text[]), CAST(:quoted AS text[]))"
                    " WITH ORDINALITY w(name, quoted, i)"
                    " JOIN pg_catalog.pg_class c ON c.oid = to_regclass(w.quoted)"
                    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE c.relkind IN ('r', 'p') ORDER BY w.i"
                ),
                {"names": names, "quoted": [_regclass(n) for n in names]},
            ).all()
            conn.rollback()
        for name, key in rows:
            if key in self.excluded:
                continue
            found.keys.append(str(key))
            if name in destructive:
                found.declared[str(key)] = f"the upgrade {destructive[name]}"
        found.keys = list(dict.fromkeys(found.keys))
        return found

    def _rows(self, taken: snapshot.Snapshot, keys: Sequence[str]) -> dict[str, data.Measure]:
        """Rows of the touched tables before the upgrade."""
        measured: dict[str, data.Measure] = {}
        with self.engine.connect() as conn:
            for key in keys:
                table = taken["tables"].get(key)
                if table is None or table["kind"] == "foreign table":
                    continue
                measured[key] = data.measure(conn, key, list(table["columns"]))
            conn.rollback()
        return measured

    def _compare_rows(
        self,
        before: snapshot.Snapshot,
        after: snapshot.Snapshot,
        rows_before: dict[str, data.Measure],
        declared: dict[str, str],
    ) -> list[TableData]:
        compared: list[TableData] = []
        with self.engine.connect() as conn:
            for key, old in rows_before.items():
                if not old.rows:
                    continue
                table = after["tables"].get(key)
                shown = snapshot.display(key)
                if table is None:
                    compared.append(TableData(shown, (), old.rows, None, False, declared.get(key)))
                    continue
                common = sorted(set(before["tables"][key]["columns"]) & set(table["columns"]))
                new = data.measure(conn, key, common)
                compared.append(
                    TableData(
                        shown,
                        tuple(common),
                        old.rows,
                        new.rows,
                        old.same_as(new, common),
                        declared.get(key),
                    )
                )
            conn.rollback()
        return compared


def _regclass(name: str) -> str:
    schema, _, table = name.rpartition(".")
    quoted = checks.quote_ident(table)
    return f"{checks.quote_ident(schema)}.{quoted}" if schema else quoted


def _parents(script: Script) -> tuple[str, ...]:
    down = script.down_revision
    if down is None:
        return ()
    return (down,) if isinstance(down, str) else tuple(down)


def downgrade_target(script: Script) -> str:
    """One step down from ``script`` only: ``<rev>@-1``; a merge goes to its parents."""
    parents = _parents(script)
    if len(parents) > 1:
        return parents[0]
    return f"{script.revision}@-1"


def _line(exc: BaseException, script: Script) -> int | None:
    real = os.path.realpath(str(script.path))
    for current in chain(exc):
        lines = [
            frame.lineno
            for frame in traceback.extract_tb(current.__traceback__)
            if os.path.realpath(frame.filename) == real
        ]
        if lines:
            return lines[-1]
    return None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, AlembicSafeError):
        found = [exc.message.strip().splitlines()[0]]
        found += [" ".join(body.split()) for _title, body in exc.context]
        return ": ".join(found[:1]) + ("; " + "; ".join(found[1:]) if found[1:] else "")
    orig = getattr(exc, "orig", None)
    if orig is not None:
        first = " ".join(str(orig).strip().splitlines()[:1])
        return f"{type(orig).__name__}: {first}"
    text_ = " ".join(str(exc).strip().splitlines()[:1])
    return f"{type(exc).__name__}: {text_}" if text_ else type(exc).__name__


def _failure(direction: str, script: Script, exc: BaseException) -> str:
    line = _line(exc, script)
    where = f" at line {line}" if line else ""
    return f"{direction} of {script.revision} failed{where}: {_describe(exc)}"


def _progress_line(result: RevisionResult) -> str:
    def ms(seconds: float | None) -> str:
        return "-" if seconds is None else f"{seconds * 1000:.0f} ms"

    parts = [f"upgrade {ms(result.upgrade_s)}"]
    if result.downgrade_s is not None:
        parts.append(f"downgrade {ms(result.downgrade_s)}")
    if result.reupgrade_s is not None:
        parts.append(f"upgrade again {ms(result.reupgrade_s)}")
    if result.round_trip_ok is not None:
        parts.append("round trip ok" if result.round_trip_ok else "round trip FAILED")
    if result.data_ok is not None:
        rows = sum(t.rows_before for t in result.data)
        parts.append(
            f"data ok ({rows} rows in {len(result.data)} table(s))"
            if result.data_ok
            else "data LOST"
        )
    if result.status == IRREVERSIBLE:
        parts.append("declared irreversible: no round trip")
    if result.status == FAILED:
        parts.append(f"FAILED at {result.stage}")
    return ", ".join(parts)
