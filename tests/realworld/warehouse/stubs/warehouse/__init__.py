"""Stand-ins for the parts of ``warehouse`` (PyPI) that its migrations import.

``TZDateTime`` is a naive ``timestamp`` holding UTC, as in Warehouse.  A bare
``import warehouse`` reaches it as ``warehouse.utils.db.types``, so the package
imports that module.
"""

import warehouse.utils.db.types  # noqa: F401
