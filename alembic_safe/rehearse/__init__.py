"""Rehearsal on a copy: every revision up, down to the same schema and rows, and up again.

Modules, one job each:

* :mod:`.scratch`: the scratch database and where its contents come from (a copy of a
  database, a restored backup, or nothing);
* :mod:`.snapshot`: the catalog snapshot and its readable differences;
* :mod:`.data`: row checksums and seed rows;
* :mod:`.trace`: the statements, locks and rewrites of an upgrade;
* :mod:`.runner`: the stairway per revision;
* :mod:`.results`: the result dataclasses, saved per revision file hash, and their loader;
* :mod:`.report`: the text and JSON reports.

What other parts of the package read (the docs pages, the checklist)::

    from alembic_safe.rehearse import load, rollback_tested, tested_on_copy
"""

from __future__ import annotations

from alembic_safe.rehearse.results import (
    RehearsalResult,
    RevisionResult,
    TableData,
    load,
    rollback_tested,
    tested_on_copy,
)
from alembic_safe.rehearse.snapshot import Difference
from alembic_safe.rehearse.trace import LockHold, StatementTrace, Trace

__all__ = [
    "Difference",
    "LockHold",
    "RehearsalResult",
    "RevisionResult",
    "StatementTrace",
    "TableData",
    "Trace",
    "load",
    "rollback_tested",
    "tested_on_copy",
]
