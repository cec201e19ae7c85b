"""Stand-ins for the parts of ``prefect`` that its PostgreSQL migrations import.

The revisions reach types as ``prefect.server.utilities.database.UUID()`` after a
bare ``import prefect``, so importing the package imports those modules, as
Prefect's own package does.  The column types compile to what Prefect's render on
PostgreSQL (``uuid``, ``timestamp with time zone``, ``jsonb``); schema classes are
plain models used only as type parameters.
"""

import prefect.server.schemas.core
import prefect.server.schemas.schedules
import prefect.server.schemas.states
import prefect.server.utilities.database  # noqa: F401
