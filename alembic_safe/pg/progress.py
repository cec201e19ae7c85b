"""Progress of a long pg_dump or pg_restore: a live display on a terminal, plain lines elsewhere.

On a terminal (the stream is a TTY) a rich progress bar shows how far the work is, the
tables started out of the total, the bytes written, the elapsed time and, once it can be
estimated, the time left; every column has a fixed width, so the bar does not shrink as
the numbers grow.  Anywhere else (a CI log, ``alembic upgrade`` piped to a file) the same
facts come as plain lines through the ``emit`` callback: one when the work starts, one
every ``interval`` seconds while it runs and one when it ends, so a log never fills with
redraws.

How far: with the size of each table's rows in the database (:func:`table_sizes`), the
share of the database's bytes covered so far.  pg_dump names a table when it starts on
it, so the tables before it are done; within the current table, the bytes written since
it started count at the rate (database bytes per byte written) of the tables already
done, and never for more than the table itself.  The time left is the elapsed time scaled
by the share still to do.  Without sizes the display counts tables and bytes only.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import IO, Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

Emit = Callable[[str], None]
_MIN_SHARE_FOR_ESTIMATE = 0.02
_MIN_SECONDS_FOR_ESTIMATE = 1.0


def format_size(size: int) -> str:
    """``1536`` -> ``1.5 KiB``."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def format_seconds(seconds: float) -> str:
    """``75`` -> ``1 min 15 s``; ``4.2`` -> ``4 s``."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def table_sizes(
    connection: Connection, tables: Iterable[tuple[str, str]] | None = None
) -> dict[str, int]:
    """``schema.table`` -> bytes of its rows (heap and TOAST, not indexes), as pg_dump names it.

    ``tables`` limits the answer to those (schema, table) pairs; by default every ordinary
    table outside the system schemas.
    """
    rows = connection.execute(
        text(
            "SELECT n.nspname, c.relname, pg_table_size(c.oid) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'm')"
            " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            " AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"
        )
    ).all()
    wanted = None if tables is None else set(tables)
    return {
        f"{schema}.{name}": int(size)
        for schema, name, size in rows
        if wanted is None or (schema, name) in wanted
    }


class Progress:
    """Tracks tables, bytes written and the share of the database covered, for one job.

    :param title: what runs, e.g. ``backup of "shop"``.
    :param total_tables: tables expected (None when unknown).
    :param emit: where plain lines go (``alembic_safe.guard.say``, a CLI printer, a logger).
    :param stream: the stream whose TTY-ness decides the display (default ``sys.stderr``).
    :param interval: seconds between plain lines.
    :param live: force the live display on (True) or off (False); default: ``stream.isatty()``.
    :param table_bytes: ``schema.table`` -> bytes of its rows in the database
     (:func:`table_sizes`); gives the share done and the time left.
    """

    def __init__(
        self,
        title: str,
        *,
        total_tables: int | None,
        emit: Emit,
        stream: IO[str] | None = None,
        interval: float = 5.0,
        live: bool | None = None,
        table_bytes: Mapping[str, int] | None = None,
    ) -> None:
        self.title = title
        self.total = total_tables
        self.emit = emit
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.live = _isatty(self.stream) if live is None else live
        self.sizes = {name.replace('"', ""): size for name, size in (table_bytes or {}).items()}
        self.total_bytes = sum(self.sizes.values())
        self.tables = 0
        self.bytes = 0
        self.current = ""
        self.covered_done = 0
        """Database bytes of the tables finished before the current one."""
        self.written_at_start = 0
        """Bytes written when the current table started."""
        self.finished = False
        self.started = time.monotonic()
        self._last_line = self.started
        self._lock = threading.Lock()
        self._rich: Any = None
        self._task: Any = None

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> Progress:
        self.started = time.monotonic()
        self._last_line = self.started
        if self.live:
            self._start_rich()
        else:
            extent = f" ({format_size(self.total_bytes)} of rows)" if self.total_bytes else ""
            self.emit(f"{self.title}: started{extent}")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._rich is not None:
            self._refresh_rich()
            self._rich.stop()
            self._rich = None

    def _start_rich(self) -> None:
        from rich import progress as rich_progress
        from rich.console import Console
        from rich.table import Column

        console = Console(file=self.stream, force_terminal=True)
        columns: list[Any] = [
            rich_progress.SpinnerColumn(),
            rich_progress.TextColumn("{task.description}"),
        ]
        if self.total_bytes or self.total:
            columns += [
                rich_progress.BarColumn(bar_width=30),
                rich_progress.TextColumn(
                    "{task.fields[share]}", table_column=Column(width=4, justify="right")
                ),
            ]
        columns += [
            rich_progress.TextColumn(
                "{task.fields[tables]}", table_column=Column(width=13, justify="right")
            ),
            rich_progress.TextColumn(
                "{task.fields[size]}", table_column=Column(width=20, justify="right")
            ),
            rich_progress.TimeElapsedColumn(),
            rich_progress.TextColumn(
                "{task.fields[left]}", table_column=Column(width=16, justify="left")
            ),
        ]
        self._rich = rich_progress.Progress(*columns, console=console, transient=False)
        self._task = self._rich.add_task(self.title, total=1.0, **self._fields())
        self._rich.start()

    # ------------------------------------------------------------------ updates
    def table_done(self, name: str) -> None:
        """pg_dump or pg_restore names a table: it starts on it, the ones before are done."""
        key = name.replace('"', "")
        with self._lock:
            if self.current:
                self.covered_done += self.sizes.get(self.current, 0)
            self.tables += 1
            self.current = key
            self.written_at_start = self.bytes
        self.tick()

    def set_bytes(self, size: int) -> None:
        with self._lock:
            self.bytes = size
        self.tick()

    def tick(self) -> None:
        """Redraw (live) or write a line if ``interval`` has passed (plain)."""
        if self._rich is not None:
            self._refresh_rich()
            return
        now = time.monotonic()
        with self._lock:
            due = now - self._last_line >= self.interval
            if due:
                self._last_line = now
        if due:
            self.emit(f"{self.title}: {self.describe()}")

    # ------------------------------------------------------------------ estimates
    def share(self) -> float | None:
        """The share of the job done (0..1), or None without table sizes."""
        with self._lock:
            return self._share()

    def _share(self) -> float | None:
        if self.finished:
            return 1.0
        if self.total_bytes:
            covered = self.covered_done
            current = self.sizes.get(self.current, 0)
            if current:
                written = max(0, self.bytes - self.written_at_start)
                rate = self.covered_done / self.written_at_start if self.written_at_start else 1.0
                covered += min(current, int(written * rate))
            return min(1.0, covered / self.total_bytes)
        if self.total:
            return min(1.0, max(0, self.tables - 1) / self.total)
        return None

    def seconds_left(self) -> float | None:
        """The estimated time left, once enough is done to estimate it."""
        share = self.share()
        elapsed = time.monotonic() - self.started
        if not self.total_bytes or share is None or share >= 1.0:
            return None
        if share < _MIN_SHARE_FOR_ESTIMATE or elapsed < _MIN_SECONDS_FOR_ESTIMATE:
            return None
        return elapsed * (1 - share) / share

    def _fields(self) -> dict[str, str]:
        share = self._share()
        left = self._left_text()
        with_total = f"/{self.total}" if self.total else ""
        return {
            "share": f"{share:.0%}" if share is not None else "",
            "tables": f"{min(self.tables, self.total or self.tables)}{with_total} tables",
            "size": f"{format_size(self.bytes)} written",
            "left": left,
        }

    def _left_text(self) -> str:
        if not self.total_bytes or self.finished:
            return ""
        elapsed = time.monotonic() - self.started
        share = self._share() or 0.0
        if share < _MIN_SHARE_FOR_ESTIMATE or elapsed < _MIN_SECONDS_FOR_ESTIMATE:
            return "estimating"
        return f"~{format_seconds(elapsed * (1 - share) / share)} left"

    def _refresh_rich(self) -> None:
        with self._lock:
            share = self._share()
            fields = self._fields()
        self._rich.update(self._task, completed=share or 0.0, **fields)

    def describe(self) -> str:
        """``3/20 tables, 12.0 MiB written, 38% of 319.7 MiB, 4.1 s, ~7 s left``."""
        with self._lock:
            tables, total, size = self.tables, self.total, self.bytes
            share = self._share()
            left = self._left_text()
        parts = []
        if total:
            parts.append(f"{min(tables, total)}/{total} tables")
        elif tables:
            parts.append(f"{tables} tables")
        parts.append(f"{format_size(size)} written")
        if self.total_bytes and share is not None:
            parts.append(f"{share:.0%} of {format_size(self.total_bytes)}")
        parts.append(f"{time.monotonic() - self.started:.1f} s")
        if left:
            parts.append(left)
        return ", ".join(parts)

    def done(self, summary: str) -> None:
        """The closing line, shown in both modes."""
        with self._lock:
            self.finished = True
        if self._rich is not None:
            self._refresh_rich()
            self._rich.stop()
            self._rich = None
        self.emit(f"{self.title}: {summary}")


def _isatty(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
