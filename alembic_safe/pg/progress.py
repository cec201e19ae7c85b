"""Progress of a long pg_dump or pg_restore: a live display on a terminal, plain lines elsewhere.

On a terminal (the stream is a TTY) a rich progress bar shows the tables done out of the
total, the bytes written and the elapsed time, redrawn in place.  Anywhere else (a CI
log, ``alembic upgrade`` piped to a file) the same facts come as plain lines through the
``emit`` callback: one when the work starts, one every ``interval`` seconds while it runs
and one when it ends, so a log never fills with redraws.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import IO, Any

Emit = Callable[[str], None]


def format_size(size: int) -> str:
    """``1536`` -> ``1.5 KiB``."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


class Progress:
    """Tracks tables done and bytes written for one dump or restore.

    :param title: what runs, e.g. ``backup of "shop"``.
    :param total_tables: tables expected (None when unknown).
    :param emit: where plain lines go (``alembic_safe.guard.say``, a CLI printer, a logger).
    :param stream: the stream whose TTY-ness decides the display (default ``sys.stderr``).
    :param interval: seconds between plain lines.
    :param live: force the live display on (True) or off (False); default: ``stream.isatty()``.
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
    ) -> None:
        self.title = title
        self.total = total_tables
        self.emit = emit
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.live = _isatty(self.stream) if live is None else live
        self.tables = 0
        self.bytes = 0
        self.current = ""
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
            self.emit(f"{self.title}: started")
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

        console = Console(file=self.stream, force_terminal=True)
        columns: list[Any] = [
            rich_progress.SpinnerColumn(),
            rich_progress.TextColumn("{task.description}"),
        ]
        if self.total:
            columns += [
                rich_progress.BarColumn(),
                rich_progress.MofNCompleteColumn(),
                rich_progress.TextColumn("tables"),
            ]
        columns += [
            rich_progress.TextColumn("{task.fields[size]}"),
            rich_progress.TimeElapsedColumn(),
        ]
        self._rich = rich_progress.Progress(*columns, console=console, transient=False)
        self._task = self._rich.add_task(self.title, total=self.total or None, size="0 B")
        self._rich.start()

    # ------------------------------------------------------------------ updates
    def table_done(self, name: str) -> None:
        """One more table's data is done (dumped or restored)."""
        with self._lock:
            self.tables += 1
            self.current = name
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

    def _refresh_rich(self) -> None:
        with self._lock:
            self._rich.update(self._task, completed=self.tables, size=format_size(self.bytes))

    def describe(self) -> str:
        """``3/20 tables, 12.0 MiB, 4.1 s``."""
        with self._lock:
            tables, total, size = self.tables, self.total, self.bytes
        parts = []
        if total:
            parts.append(f"{min(tables, total)}/{total} tables")
        elif tables:
            parts.append(f"{tables} tables")
        parts.append(format_size(size))
        parts.append(f"{time.monotonic() - self.started:.1f} s")
        return ", ".join(parts)

    def done(self, summary: str) -> None:
        """The closing line, shown in both modes."""
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
