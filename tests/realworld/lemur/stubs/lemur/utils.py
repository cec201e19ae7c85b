from sqlalchemy import types


class Vault(types.TypeDecorator):
    """An encrypted value; the ciphertext is stored in ``bytea``."""

    impl = types.LargeBinary
    cache_ok = True
