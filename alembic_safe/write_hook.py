"""``python -m alembic_safe.write_hook REVISION_FILE``: the post-write hook as a program.

For Alembic's ``module`` hook runner (what ``alembic-safe adopt`` configures)::

    [post_write_hooks]
    hooks = alembic_safe_doc
    alembic_safe_doc.type = module
    alembic_safe_doc.module = alembic_safe.write_hook

It does what :mod:`alembic_safe.hooks` does in process: writes the new revision's impact
page, refreshes the migration log and prints the linter's findings of the file.  It is a
module of its own because ``alembic_safe`` imports :mod:`alembic_safe.hooks` (to register
the ``alembic_safe`` hook type), and running an imported module with ``python -m`` makes
Python warn that it is already in ``sys.modules``.
"""

from __future__ import annotations

from alembic_safe.hooks import main

if __name__ == "__main__":  # pragma: no cover - run by Alembic's "module" hook runner
    raise SystemExit(main())
