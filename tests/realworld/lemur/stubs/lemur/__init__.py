"""Stand-ins for the parts of ``lemur`` that its migrations import.

``Vault`` is Lemur's encrypted column (ciphertext in ``bytea``); the association
table is declared as in Lemur's models; the certificate helper is pure Python.
"""
