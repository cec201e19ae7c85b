"""Child processes (pg_dump, pg_restore, psql, ``--version`` probes): no secrets, no orphans.

* :func:`environment` is ``os.environ`` without the variables that carry a password:
  ``DATABASE_URL``, ``PGPASSWORD``, any variable holding a URL with a password
  (``scheme://user:password@host``: an ``APP_DATABASE_URL`` of the user's own, say), and any
  variable whose value contains the password being handed over.  A child's environment is
  readable in ``/proc/<pid>/environ`` for as long as it runs.
* :func:`die_with_parent` runs in the child between ``fork`` and ``exec`` (``preexec_fn``):
  on Linux the kernel sends the child SIGTERM when the deployer dies, even by SIGKILL, so a
  ``pg_dump`` never keeps copying (and holding its locks) for a process that is gone.
  SIGTERM, not SIGKILL: ``pg_dump --jobs`` and ``pg_restore --jobs`` then stop their workers
  too.  Call it from the thread that lives as long as the child (the kernel ties the signal
  to the thread that forked).
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import sys
from collections.abc import Callable, Iterable, Mapping

SECRET_VARIABLES = ("DATABASE_URL", "PGPASSWORD")
"""Variables never passed to a child: they hold a password more often than not."""

_URL_WITH_PASSWORD = re.compile(r"[A-Za-z][\w+.-]*://[^/\s:@]*:[^/\s@]+@")
_PR_SET_PDEATHSIG = 1


def environment(
    secrets: Iterable[str | None] = (), base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """``base`` (default ``os.environ``) without :data:`SECRET_VARIABLES` and ``secrets``."""
    hidden = [s for s in secrets if s]
    return {
        key: value
        for key, value in (os.environ if base is None else base).items()
        if key not in SECRET_VARIABLES
        and not _URL_WITH_PASSWORD.search(value)
        and not any(secret in value for secret in hidden)
    }


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return function


_PRCTL = _prctl()
"""Looked up in the parent: the child only calls it (no loading between fork and exec)."""


def die_with_parent(parent: int | None = None) -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child get SIGTERM when this process dies (Linux).

    None where the platform has no such thing; the caller then relies on killing the child
    itself on the way out (which a SIGKILL of the caller prevents).
    """
    if _PRCTL is None:
        return None
    prctl = _PRCTL
    expected = os.getpid() if parent is None else parent

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != expected:  # the parent died before the line above
            os._exit(1)

    return preexec
