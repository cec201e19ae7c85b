"""Stand-in for pydantic: enough of BaseModel for revisions that declare models.

The vendored revisions use pydantic models only to convert rows they have read,
which offline never happens; the models still have to be declarable at import time.
"""

from typing import Any


class ValidationError(ValueError):
    pass


class SecretStr(str):
    def get_secret_value(self) -> str:
        return str(self)


def Field(default: Any = None, **kwargs: Any) -> Any:  # noqa: N802 - the library's name
    return kwargs.get("default_factory", lambda: default)() if "default_factory" in kwargs else default


def StringConstraints(**kwargs: Any) -> dict[str, Any]:  # noqa: N802
    return dict(kwargs)


def ConfigDict(**kwargs: Any) -> dict[str, Any]:  # noqa: N802
    return dict(kwargs)


class BaseModel:
    model_config: dict[str, Any] = {}

    def __init__(self, **data: Any) -> None:
        for cls in reversed(type(self).__mro__):
            for name, value in vars(cls).items():
                if not name.startswith("_") and name in getattr(cls, "__annotations__", {}):
                    setattr(self, name, value)
        for name, value in data.items():
            setattr(self, name, value)

    @classmethod
    def model_validate(cls, data: Any) -> "BaseModel":
        return cls(**dict(data))

    parse_obj = model_validate

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    dict = model_dump  # noqa: A003

    def json(self, **kwargs: Any) -> str:
        import json as _json

        return _json.dumps(self.model_dump(), default=kwargs.get("encoder", str))

    model_dump_json = json


__all__ = [
    "BaseModel",
    "ConfigDict",
    "Field",
    "SecretStr",
    "StringConstraints",
    "ValidationError",
]
