# Alembic configuration with alembic-safe (https://pypi.org/project/alembic-safe/).

[alembic]
# path to migration scripts; %(here)s is the directory of this file
script_location = ${script_location}

# template used to generate migration file names
# file_template = %%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s

# sys.path entries, so env.py can import your models
prepend_sys_path = .

# `alembic revision --autogenerate` runs env.py, where alembic-safe rewrites the
# operations into their safe forms and fills the header, preconditions() and verify().
# Plain `alembic revision` skips env.py (no database needed) and writes the template
# with its prompts; revision_environment = true runs env.py (and connects) every time.
# revision_environment = false
path_separator = os

# The database to migrate.  Leave it empty and set DATABASE_URL in the environment:
# the password then stays out of this file and out of command lines (ps).
#   DATABASE_URL=postgresql+psycopg://app_owner@db.internal:5432/app
sqlalchemy.url =


[alembic_safe]
# Lock waits are bounded so a waiting DDL statement never queues traffic for long:
# each attempt waits lock_timeout, doubling up to lock_timeout_max, with growing sleeps.
lock_timeout = 1s
lock_timeout_max = 5s
lock_retries = 5
lock_retry_delay = 2s
statement_timeout = 5min
# How long a second deployer waits for the one holding the migration lock.
deploy_lock_wait = 15min
# Safe operations take locks that block reads or writes without joining the lock queue:
# they wait while other sessions hold conflicting locks (at most lock_wait_budget), then
# try for lock_attempt_timeout at a time.  Blocking queries can be cancelled after a limit.
# lock_attempt_timeout = 20ms
# lock_wait_budget = 2min
# lock_wait_cancel_after = 0
# op.backfill sizes its batches to last about this long.
# backfill_batch_time = 20ms
# Backups before a guarded upgrade: auto | always | destructive | never.  auto dumps the
# database (backup_scope) before revisions that destroy or change rows or cannot be read
# offline, and the schema alone before the others.
backup = auto
# Default: $XDG_STATE_HOME/alembic-safe/backups (~/.local/state/...), outside the project.
# backup_dir = /var/backups/app
backup_scope = full
# Newest backups kept per database (0 keeps all).
backup_keep = 5
# backup_format = custom       (directory: parallel dumps with backup_jobs)
# backup_jobs = 4
# pg_bindir = /usr/lib/postgresql/16/bin
docs_dir = docs/migrations
history_table = alembic_safe_history
# rules.ignore = rename-column
# rules.severity = drop-column:warning
# app_role = app_user


[post_write_hooks]
# After `alembic revision` (or `alembic merge`) writes a revision, alembic-safe writes its
# impact page into docs_dir and refreshes the migration log (docs_dir/README.md).
hooks = alembic_safe_doc
alembic_safe_doc.type = alembic_safe


[loggers]
keys = root,sqlalchemy,alembic,alembic_safe

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[logger_alembic_safe]
level = INFO
handlers =
qualname = alembic_safe

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
