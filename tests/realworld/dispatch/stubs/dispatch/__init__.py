"""Stand-ins for the parts of ``dispatch`` that its tenant migrations import.

Plugin configurations are plain models; the encryption key and settings come from
the environment as in Dispatch (empty here); ``sync_trigger`` emits the search
trigger DDL through the shared sqlalchemy-searchable stand-in.
"""
