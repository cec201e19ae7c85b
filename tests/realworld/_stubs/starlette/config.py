"""Stand-in for starlette's Config: environment variables with a cast and a default."""

import os
from typing import Any


class Config:
    def __init__(self, env_file: str | None = None) -> None:
        self.env_file = env_file

    def __call__(self, key: str, cast: Any = None, default: Any = None) -> Any:
        value = os.environ.get(key, default)
        if cast is None or value is None:
            return value
        if cast is bool and isinstance(value, str):
            return value.lower() in {"1", "true", "yes"}
        return cast(value)
