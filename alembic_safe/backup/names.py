"""Backup file names and labels.

A backup is named ``<database>__<UTC time>__<from>__<to>.dump`` (``.dumpdir`` for a
directory dump); a ``<name>.json`` label beside it records the database, revisions, scope,
versions and size.  A file counts as ours only with this name pattern and a label naming it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from alembic_safe.version import __version__

LABEL_VERSION = 1


DUMP_SUFFIX = {"custom": ".dump", "directory": ".dumpdir"}


LABEL_SUFFIX = ".json"


PARTIAL_MARK = ".partial-"


_COMPONENT_MAX = 48


_PART = r"(?:[A-Za-z0-9.+-]|_(?!_))+"  # no "__" inside a part: that separates the parts


NAME_PATTERN = re.compile(
    rf"^(?P<db>{_PART})__(?P<stamp>\d{{8}}T\d{{6}}Z)(?:-(?P<n>\d+))?"
    rf"__(?P<from>{_PART})__(?P<to>{_PART})(?P<ext>\.dump|\.dumpdir)$"
)


_STAMP = "%Y%m%dT%H%M%SZ"


def _component(value: str, fallback: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._+-]+", "_", value)
    cleaned = re.sub(r"_+", "_", cleaned).strip("._")
    return (cleaned or fallback)[:_COMPONENT_MAX]


def revisions_text(revisions: Sequence[str]) -> str:
    return "+".join(revisions) if revisions else "base"


def backup_name(
    database: str,
    from_revisions: Sequence[str],
    to_revisions: Sequence[str],
    created: datetime,
    *,
    backup_format: str = "custom",
    counter: int = 0,
) -> str:
    """``shop__20260101T120000Z__ae1027a6acf__3f2a9c1d4e5b.dump``."""
    stamp = created.astimezone(timezone.utc).strftime(_STAMP)
    if counter:
        stamp += f"-{counter}"
    return (
        "__".join(
            (
                _component(database, "db"),
                stamp,
                _component(revisions_text(from_revisions), "base"),
                _component(revisions_text(to_revisions), "base"),
            )
        )
        + DUMP_SUFFIX[backup_format]
    )


@dataclass
class BackupInfo:
    """The label of a backup, stored next to it as ``<name>.json``."""

    file: str
    database: str
    from_revisions: list[str]
    to_revisions: list[str]
    created: str
    """UTC time, ISO 8601."""
    scope: str
    format: str
    reason: str
    size: int = 0
    data_tables: list[str] | None = None
    """Tables whose rows are in the backup (None: all of them)."""
    version_table: str = "alembic_version"
    server_version: str = ""
    pg_dump_version: str = ""
    pg_dump_major: int = 0
    toc_entries: int = 0
    encoding: str = ""
    """Encoding and locale of the database, so a restore creates its database alike."""
    collate: str = ""
    ctype: str = ""
    tool: str = "alembic-safe"
    tool_version: str = __version__
    label_version: int = LABEL_VERSION

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.created)

    def describe_revisions(self) -> str:
        before, after = revisions_text(self.from_revisions), revisions_text(self.to_revisions)
        return before if before == after else f"{before} -> {after}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, data: str) -> BackupInfo:
        raw = json.loads(data)
        if not isinstance(raw, dict) or raw.get("tool") != "alembic-safe":
            raise ValueError("not an alembic-safe backup label")
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in raw.items() if k in known})


def label_path(path: Path) -> Path:
    return path.with_name(path.name + LABEL_SUFFIX)


def read_label(path: Path) -> BackupInfo | None:
    """The label of the backup at ``path`` if it has a valid one that names it."""
    try:
        info = BackupInfo.from_json(label_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return None
    return info if info.file == path.name else None


def label_from_name(path: Path) -> BackupInfo | None:
    """What a backup's file name tells when its label is missing."""
    match = NAME_PATTERN.match(path.name)
    if not match:
        return None
    created = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=timezone.utc)

    def revs(value: str) -> list[str]:
        return [] if value == "base" else value.split("+")

    return BackupInfo(
        file=path.name,
        database=match["db"],
        from_revisions=revs(match["from"]),
        to_revisions=revs(match["to"]),
        created=created.isoformat(),
        scope="unknown",
        format="directory" if match["ext"] == ".dumpdir" else "custom",
        reason="unknown (no label)",
    )
