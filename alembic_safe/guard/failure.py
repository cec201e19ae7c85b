"""What went wrong in a revision, in the user's terms: which line, which lock, what to do.

The runner turns a database error or an exception in a revision into an
:class:`~alembic_safe.errors.AlembicSafeError` with the revision, the line of its file,
what happened to the database and the next step.  A revision that stopped part-way (it
committed steps outside the transaction before it failed) is never reported as rolled
back: :func:`stopped_part_way` says what is committed, what is rolled back and how a re-run
finishes it; :func:`interrupted` does the same for Ctrl-C.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from alembic_safe.capture.project import describe_import_error
from alembic_safe.capture.sqlparse import parse
from alembic_safe.config import Settings, format_duration
from alembic_safe.errors import (
    AlembicSafeError,
    Interrupted,
    LockTimeoutExhausted,
    MigrationFailed,
    ProjectLoadError,
    UnsafeMigrationError,
)
from alembic_safe.guard import partial
from alembic_safe.guard.entry import Entry
from alembic_safe.guard.history import HistoryRow
from alembic_safe.pg import catalog
from alembic_safe.pg.connection import LOCK_SQLSTATES, STATEMENT_TIMEOUT
from alembic_safe.tracebacks import line_in, relpath, short

ROLLED_BACK_SENTENCE = "It was rolled back."
"""The sentence of a failure that left nothing of the revision (replaced when it did)."""
NOTHING_COMMITTED = "The revision was rolled back; nothing of it is committed."


def lock_exhausted(
    entry: Entry,
    exc: BaseException,
    state: str | None,
    connection: Connection,
    waited: float,
) -> AlembicSafeError:
    """The revision could not take its locks: the statement, and who blocks it now."""
    statement = getattr(exc, "statement", None) or ""
    tables = list(entry.plan.tables)
    for parsed in parse(statement) if statement else ():
        tables.extend(parsed.tables)
    try:
        sessions = catalog.blockers(connection, dict.fromkeys(tables))
        connection.commit()
    except sa_exc.DBAPIError:
        sessions = []
    blocked_by = "\n".join(s.describe() for s in sessions) or (
        "no session holds a lock on those tables any more (it ended in the meantime)"
    )
    why = (
        "it has steps outside the transaction, whose statements retry lock timeouts "
        "themselves, so the revision is not retried as a whole"
        if entry.plan.has_non_transactional_steps
        else f"{entry.attempts} attempt(s), {waited:.1f} s of lock waits in total"
    )
    kind = LOCK_SQLSTATES.get(state or "", "lock timeout")
    return LockTimeoutExhausted(
        f"Revision {entry.label()} could not take its locks ({kind}; {why}). {ROLLED_BACK_SENTENCE}",
        context=[
            ("Statement", " ".join(statement.split())[:300] or "(unknown)"),
            ("Blocked by", blocked_by),
        ],
        hint="End the blocking session (SELECT pg_terminate_backend(<pid>)) or wait for it "
        "to finish, then run again; lock_timeout_max and lock_retries allow longer waits.",
    )


def migration_error(
    entry: Entry, exc: BaseException, state: str | None, settings: Settings
) -> AlembicSafeError:
    """An error raised by the revision's own code or by one of its statements."""
    line = line_in(exc, entry.plan.path)
    where = f" at line {line}" if line else ""
    if state == STATEMENT_TIMEOUT:
        return MigrationFailed(
            f"Revision {entry.label()} was cancelled{where}: a statement ran longer than "
            f"statement_timeout ({format_duration(settings.statement_timeout)}). "
            f"{ROLLED_BACK_SENTENCE}",
            hint="Raise statement_timeout (-x statement_timeout=30min) if the statement is "
            "expected to be slow, or make it cheaper (batches, CONCURRENTLY).",
        )
    return MigrationFailed(
        f"Revision {entry.label()} failed{where}: {type(exc).__name__}: {short(exc)}. "
        f"{ROLLED_BACK_SENTENCE}",
        hint="Fix the revision and run again; rerun with --raiseerr for the traceback.",
    )


def load_failure(exc: Exception) -> ProjectLoadError:
    """A revision file that Alembic could not load while it walked the history."""
    path = getattr(exc, "filename", None)
    if not path:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if "/versions/" in frame.filename.replace(os.sep, "/"):
                path = frame.filename
                break
    where = f"{relpath(path)}: " if path else ""
    reason = describe_import_error(exc, Path(path)) if path else f"{type(exc).__name__}: {exc}"
    return ProjectLoadError(
        f"A revision file cannot be loaded: {where}{reason}",
        hint="Fix the file (or its imports) and run again; nothing was applied.",
    )


def history_text(error: AlembicSafeError) -> str:
    """What the history table keeps of an error: the message and its context blocks."""
    parts = [error.message]
    for title, body in error.context:
        parts.append(f"{title}:\n" + "\n".join("  " + line for line in body.splitlines()))
    return "\n".join(parts)


def _rerun_hint(entry: Entry, target: str) -> str:
    return (
        f"alembic_version still says the revision before {entry.revision}; the committed steps "
        f"stay in the database, and the history table lists them. Fix the cause, then run "
        f"`alembic {entry.direction} {target}` again: it skips the committed steps "
        "(when the revision file still has them unchanged) and runs the rest."
    )


def _steps(ledger: partial.Ledger) -> list[partial.StepRun]:
    return [*ledger.steps, *ledger.not_run()]


def _part_way(ledger: partial.Ledger) -> str:
    steps = _steps(ledger)
    done = [s for s in steps if s.state in partial.DONE]
    partly = [s for s in steps if s.state == partial.PARTLY]
    parts = []
    if done:
        parts.append(f"{len(done)} of its {len(steps)} operation(s) are committed")
    if partly:
        parts.append(f"{len(partly)} stopped part-way outside the transaction")
    rest = len(steps) - len(done) - len(partly)
    sentence = "It stopped part-way: " + (
        " and ".join(parts) or "nothing of its operations is committed"
    )
    sentence += "; what they did stays" if parts else ""
    if rest:
        verb = "is" if rest == 1 else "are"
        sentence += f"; the other {rest} {verb} rolled back or did not run"
    if ledger.raw_committed:
        sentence += "; SQL it sent through op.get_bind() is committed too"
    return sentence + "."


def stopped_part_way(
    error: AlembicSafeError, entry: Entry, ledger: partial.Ledger, target: str
) -> AlembicSafeError:
    """``error`` told as it is when the revision committed some of its steps before it failed."""
    sentence = _part_way(ledger)
    if ROLLED_BACK_SENTENCE in error.message:
        error.message = error.message.replace(ROLLED_BACK_SENTENCE, sentence)
    else:
        error.message = f"{error.message.rstrip()} {sentence}"
    error.context = [*error.context, *partial.summary(_steps(ledger))]
    error.hint = _rerun_hint(entry, target)
    error.args = (error.format_message(),)
    return error


def interrupted(
    entry: Entry,
    ledger: partial.Ledger | None,
    *,
    position: str,
    target: str,
    dropped: list[str],
    kept: list[str],
) -> Interrupted:
    """Ctrl-C while ``entry`` ran: what is committed, what is rolled back, what was cleaned up."""
    where = f"while revision {entry.label()} ran"
    context = partial.summary(_steps(ledger)) if ledger is not None else []
    if dropped:
        context.append(("INVALID index left by the stopped build, dropped", "\n".join(dropped)))
    if kept:
        context.append(
            (
                "INVALID index left by the stopped build, still there (its table is busy)",
                "\n".join(kept),
            )
        )
    if ledger is not None and ledger.anything_committed:
        return Interrupted(
            f"Interrupted (Ctrl-C) {where}. {_part_way(ledger)} The database stays at {position}.",
            context=context,
            hint=_rerun_hint(entry, target),
        )
    return Interrupted(
        f"Interrupted (Ctrl-C) {where}; it was rolled back, nothing of it is committed. "
        f"The database stays at {position}.",
        context=context,
        hint=f"Run `alembic {entry.direction} {target}` again to apply it.",
    )


def interrupted_outside(stage: str, position: str | None, target: str) -> Interrupted:
    """Ctrl-C before a revision ran or between two of them (waiting, planning, backing up)."""
    stays = f" The database stays at {position}." if position else ""
    return Interrupted(
        f"Interrupted (Ctrl-C) {stage}; no revision was running, so nothing was left "
        f"half-done.{stays}",
        hint=f"Run `alembic upgrade {target}` (or the command you ran) again to go on.",
    )


def abandoned(row: HistoryRow) -> str:
    """The history's message for a run that died: what its ``progress`` says is committed."""
    done = [
        s
        for s in partial.recorded_steps(row.progress)
        if s.get("state") in partial.DONE | {partial.PARTLY}
    ]
    what = (
        "it had committed " + ", ".join(f"step {s['number']} {s['name']}" for s in done)
        if done
        else "nothing of it was committed"
    )
    return (
        f"The run stopped without finishing: the process was killed or lost its connection; {what}."
    )


def abandoned_warning(row: HistoryRow) -> str:
    return (
        f"warning: the {row.direction} of {row.revision} started at "
        f"{row.started_at:%Y-%m-%d %H:%M:%S} by {row.who} never finished (the process was "
        "killed or lost its connection); recorded as abandoned"
    )


def cannot_resume_raw(
    entry: Entry, row: HistoryRow, resume: partial.Resume
) -> UnsafeMigrationError:
    return UnsafeMigrationError(
        f"Revision {entry.label()} stopped part-way in an earlier run ({row.outcome}, "
        f"history row {row.id}, {resume.started}), and SQL it sent through op.get_bind() was "
        "committed then; a re-run cannot tell which of it to skip.",
        context=partial.summary(partial.recorded_steps(row.progress)),
        hint="Undo what that run committed by hand (the revision's downgrade() shows how), or "
        f"finish it by hand and run `alembic stamp {entry.revision}`; then run again.",
    )


def cannot_resume_changed(
    entry: Entry, resume: partial.Resume, changed: list[int]
) -> UnsafeMigrationError:
    steps = ", ".join(f"step {n} {resume.committed[n]['name']}" for n in changed)
    return UnsafeMigrationError(
        f"Revision {entry.label()} stopped part-way in an earlier run ({resume.outcome}, "
        f"history row {resume.history_id}, {resume.started}), which committed {steps}; the "
        "revision file no longer has that step as it was, so a re-run cannot skip it.",
        context=partial.summary(list(resume.committed.values())),
        hint="Put the step back as it was, or undo what that run committed by hand (the "
        "revision's downgrade() shows how), then run again.",
    )
