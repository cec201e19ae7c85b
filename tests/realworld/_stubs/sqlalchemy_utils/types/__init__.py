from sqlalchemy_utils.types import arrow, encrypted, json, ts_vector, uuid
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
    "arrow",
    "encrypted",
    "json",
    "ts_vector",
    "uuid",
]
