from sqlalchemy_utils.types.encrypted import encrypted_type

__all__ = ["encrypted_type"]
