from typing import Any

from prefect.server.utilities.schemas import PrefectBaseModel


class ConcurrencyLimitLeaseMetadata(PrefectBaseModel):
    pass


class _MemoryLeaseStorage:
    """Prefect's default lease storage keeps leases in the server's memory."""

    def __init__(self) -> None:
        self.leases: list[dict[str, Any]] = []

    async def create_lease(self, **kwargs: Any) -> None:
        self.leases.append(kwargs)


def get_concurrency_lease_storage() -> _MemoryLeaseStorage:
    return _MemoryLeaseStorage()
