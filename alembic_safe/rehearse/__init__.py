"""Rehearsal on a copy: every revision up, down to the same schema and rows, and up again.

* :mod:`.snapshot`: the catalog snapshot and its readable differences;
* :mod:`.data`: row checksums and seed rows.
"""
