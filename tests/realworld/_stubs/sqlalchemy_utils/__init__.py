"""Stand-in for sqlalchemy-utils: the column types the vendored revisions use.

Each type compiles to the PostgreSQL type the real one renders; no Python-side
conversion is needed because the revisions only declare columns with them.
"""

from sqlalchemy_utils import types
from sqlalchemy_utils.types.arrow import ArrowType
from sqlalchemy_utils.types.encrypted.encrypted_type import EncryptedType, StringEncryptedType
from sqlalchemy_utils.types.json import JSONType
from sqlalchemy_utils.types.ts_vector import TSVectorType
from sqlalchemy_utils.types.uuid import UUIDType

__all__ = [
    "ArrowType",
    "EncryptedType",
    "JSONType",
    "StringEncryptedType",
    "TSVectorType",
    "UUIDType",
    "types",
]
