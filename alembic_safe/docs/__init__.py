"""Impact documents: one markdown page per revision, the migration log, and the SQL export.

Modules: :mod:`~alembic_safe.docs.generate` (``alembic-safe doc``),
:mod:`~alembic_safe.docs.model` (what a page says, from the revision record),
:mod:`~alembic_safe.docs.page` (the page), :mod:`~alembic_safe.docs.log` (the log),
:mod:`~alembic_safe.docs.files` (writing them, keeping the Notes),
:mod:`~alembic_safe.docs.markdown` (text made safe for markdown),
:mod:`~alembic_safe.docs.sqlscript` (the reviewed SQL script, also for ``alembic upgrade
--sql``) and :mod:`~alembic_safe.docs.export` (``alembic-safe export``).
"""
