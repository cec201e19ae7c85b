"""Writing pages and the log: the Notes section people write survives regeneration.

Each page and the log keep a **Notes** section between :data:`NOTES_BEGIN` and
:data:`NOTES_END`; regenerating a page keeps what is written there, and a page whose
title changed moves to its new name.  Files alembic-safe did not write are never replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from alembic_safe.errors import ConfigError

PAGE_MARK = "<!-- alembic-safe:page revision="


LOG_MARK = "<!-- alembic-safe:log -->"


NOTES_BEGIN = "<!-- alembic-safe:notes:begin -->"


NOTES_END = "<!-- alembic-safe:notes:end -->"


DEFAULT_NOTES = (
    "_Written by people: rollout plan, who to tell, links. "
    "alembic-safe keeps this section when it regenerates the file._"
)


LOG_NAME = "README.md"


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _notes_span(text: str) -> tuple[int, int] | None:
    """(begin, end) line numbers of the Notes markers, or None when they are damaged.

    The begin marker is the first line that is exactly :data:`NOTES_BEGIN` outside a fenced
    code block: a marker quoted in a revision's SQL (shown in a code block) or in its
    message (inside a line of text) is content, not a marker.  The end marker is the last
    line that is exactly :data:`NOTES_END` after it, so what people write in between,
    fences included, stays theirs.
    """
    lines = text.split("\n")
    fence: str | None = None
    begin = None
    for number, line in enumerate(lines):
        match = _FENCE.match(line)
        run = match.group(1) if match else ""
        if fence is not None:
            if run[:1] == fence[0] and len(run) >= len(fence) and not line.strip(" " + fence[0]):
                fence = None
        elif run:
            fence = run
        elif line == NOTES_BEGIN:
            begin = number
            break
    if begin is None:
        return None
    ends = [n for n in range(begin + 1, len(lines)) if lines[n] == NOTES_END]
    return (begin, ends[-1]) if ends else None


def _notes(text: str) -> str | None:
    """The Notes body of an existing page, or None when its markers are damaged."""
    span = _notes_span(text)
    if span is None:
        return None
    lines = text.split("\n")
    return "\n".join(lines[span[0] + 1 : span[1]]).strip("\n")


def merge_notes(generated: str, existing: str | None, path: Path) -> str:
    """``generated`` with the Notes section of ``existing`` (a page written before)."""
    if existing is None:
        return generated
    notes = _notes(existing)
    if notes is None:
        raise ConfigError(
            f"{path} has lost its Notes markers ({NOTES_BEGIN} ... {NOTES_END}), so "
            "regenerating it would overwrite what people wrote there.",
            hint="Put both markers back around the Notes text (or delete the file), then run again.",
        )
    span = _notes_span(generated)
    assert span is not None, "a generated page has exactly one Notes section"
    lines = generated.split("\n")
    return "\n".join([*lines[: span[0] + 1], notes, *lines[span[1] :]])


def page_revision(text: str) -> str | None:
    first = text.split("\n", 1)[0]
    if first.startswith(PAGE_MARK) and first.endswith("-->"):
        return first[len(PAGE_MARK) : -3].strip()
    return None


def existing_pages(directory: Path) -> dict[str, Path]:
    """revision -> page path, for the pages in ``directory`` (read from their first line)."""
    found: dict[str, Path] = {}
    if not directory.is_dir():
        return found
    for path in sorted(directory.glob("*.md")):
        try:
            with path.open(encoding="utf-8") as handle:
                first = handle.readline()
        except OSError:
            continue
        revision = page_revision(first.rstrip("\n"))
        if revision:
            found.setdefault(revision, path)
    return found


@dataclass
class WriteResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def write_page(
    directory: Path,
    *,
    revision: str,
    page: str,
    content: str,
    existing: dict[str, Path],
    result: WriteResult,
) -> None:
    """Write one page, keeping its Notes; a page renamed with its title moves."""
    target = directory / page
    old = existing.get(revision)
    source = old if old is not None else (target if target.exists() else None)
    before = source.read_text(encoding="utf-8") if source is not None else None
    if before is not None and source == target and page_revision(before) not in (revision, None):
        raise ConfigError(f"{target} belongs to revision {page_revision(before)}, not {revision}.")
    if before is not None and page_revision(before) is None:
        raise ConfigError(
            f"{target} exists and was not written by alembic-safe (no page marker on its first line).",
            hint="Move it away, or choose another directory with --out / docs_dir.",
        )
    final = merge_notes(content, before, source or target)
    write_file(target, final, result)
    if old is not None and old != target:
        old.unlink()
        result.removed.append(old)


def write_file(path: Path, content: str, result: WriteResult) -> None:
    """Write ``content`` unless the file already holds exactly that."""
    if path.exists() and path.read_text(encoding="utf-8") == content:
        result.unchanged.append(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(content)
    result.written.append(path)


def write_log(path: Path, content: str, result: WriteResult) -> None:
    before = path.read_text(encoding="utf-8") if path.exists() else None
    if before is not None and not before.startswith(LOG_MARK):
        raise ConfigError(
            f"{path} exists and is not a migration log written by alembic-safe.",
            hint="Move it away, or choose another directory with --out / docs_dir.",
        )
    write_file(path, merge_notes(content, before, path), result)
