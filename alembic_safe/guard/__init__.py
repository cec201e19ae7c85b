"""The guarded ``alembic upgrade``: the env.py hook.

``env.py`` calls :func:`run_migrations` instead of its own ``run_migrations_online()`` /
``run_migrations_offline()``.  Online, for ``upgrade``, ``downgrade`` and ``stamp``:

1. take a session-level advisory lock, so one deployer runs at a time (others wait, up to
   ``deploy_lock_wait``, then find nothing left to do);
2. set ``lock_timeout`` / ``statement_timeout`` for the session;
3. plan every pending revision before anything runs and refuse, with nothing applied, a
   revision without a real ``downgrade()`` (unless ``irreversible = "<reason>"``) or with
   destructive steps nobody confirmed (``-x confirm=REV`` or a prompt on a TTY);
4. back up when :mod:`alembic_safe.analysis.backup_policy` says so (:mod:`alembic_safe.backup.step`);
5. per revision, in its own transaction: preconditions (explicit and derived) checked
   against the live catalog, ``upgrade()``, then ``verify()`` and derived post-checks; a
   lock timeout rolls the revision back and retries it with growing timeouts and sleeps;
6. record each run in the history table.

Offline (``alembic upgrade --sql``) prints the reviewed SQL script: header comments from the
docstring, a ``DO $$ ... RAISE EXCEPTION`` validation block, ``BEGIN; ... COMMIT;`` and
the post-migration checks.

Modules: :mod:`~alembic_safe.guard.hook` (the env.py call), :mod:`~alembic_safe.guard.runner`
(the online run), :mod:`~alembic_safe.guard.deploy_lock`, :mod:`~alembic_safe.guard.refusal`,
:mod:`~alembic_safe.guard.failure`, :mod:`~alembic_safe.guard.entry` and
:mod:`~alembic_safe.guard.history`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["REHEARSAL", "run_migrations"]


def __getattr__(name: str) -> Any:
    """``run_migrations`` and ``REHEARSAL`` load the guard on first use, so that commands
    which only read the history table (``guard.history``) do not import the whole guard."""
    if name == "run_migrations":
        from alembic_safe.guard.hook import run_migrations

        return run_migrations
    if name == "REHEARSAL":
        from alembic_safe.guard.runner import REHEARSAL

        return REHEARSAL
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
