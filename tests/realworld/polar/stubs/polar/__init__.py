"""Stand-ins for the parts of the ``polar`` server package that its migrations import.

Types compile to the PostgreSQL types the real ones use; enums carry the real
members the revisions refer to; ORM models are declared but never queried offline.
"""
