"""Stand-in for werkzeug.http.http_date (an RFC 7231 date)."""

from datetime import datetime
from email.utils import format_datetime


def http_date(value: datetime) -> str:
    return format_datetime(value, usegmt=True)
