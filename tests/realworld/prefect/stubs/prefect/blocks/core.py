import hashlib
import json
from typing import Any


class Block:
    @staticmethod
    def _calculate_schema_checksum(schema: dict[str, Any]) -> str:
        digest = hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()
        return f"sha256:{digest}"
