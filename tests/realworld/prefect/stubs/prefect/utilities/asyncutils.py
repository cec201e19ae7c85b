import asyncio
from collections.abc import Coroutine
from typing import Any


def run_coro_as_sync(coro: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coro)
