from typing import Any


def get_expandable_id(value: Any) -> str:
    return value if isinstance(value, str) else value.id
