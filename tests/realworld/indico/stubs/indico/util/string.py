import re
from typing import Any


def snakify(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def snakify_keys(data: Any) -> Any:
    if isinstance(data, dict):
        return {snakify(k): snakify_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [snakify_keys(v) for v in data]
    return data
