import hashlib
import re

_COMMENTS = re.compile(r"/\*.*?\*/", re.S)
_SPACES = re.compile(r"\s+")


def gen_query_hash(sql: str) -> str:
    """Hash of the query text, ignoring comments, case and white space."""
    normalized = _SPACES.sub(" ", _COMMENTS.sub("", sql)).strip().lower()
    return hashlib.md5(normalized.encode("utf-8")).hexdigest()  # noqa: S324 - Redash's own hash
