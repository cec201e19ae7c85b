from alembic_safe.cli import main

raise SystemExit(main())
