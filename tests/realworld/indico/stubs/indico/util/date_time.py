from datetime import UTC, datetime


def now_utc(exact: bool = True) -> datetime:
    now = datetime.now(UTC)
    return now if exact else now.replace(second=0, microsecond=0)
