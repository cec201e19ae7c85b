import base64
import hashlib
import hmac
import json
from typing import Any


def encode(*, data: dict[str, Any], secret: str, type: str, **kwargs: Any) -> str:  # noqa: A002
    body = base64.urlsafe_b64encode(json.dumps({**data, "type": type}, default=str).encode())
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"{body.decode()}.{signature}"
