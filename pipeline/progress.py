"""Progress of a run as a person sees it: a bar on a terminal, a line every few seconds in a log.

The reporter is set up by whoever starts the run (`baocao run`) before anything slow happens,
so the first line appears at once; the flow only says what stage it is in and how many
documents are done (`current()`), and never draws anything itself.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Reporter:
    """Does nothing: a flow run without a person watching (tests, a deployment)."""

    def stage(self, text: str) -> None: ...

    def start(self, total: int, done: int = 0) -> None: ...

    def advance(self, n: int, current: str = "") -> None: ...

    def close(self) -> None: ...


class LineReporter(Reporter):
    """Plain lines on a stream that is not a terminal (CI logs, a pipe): one per stage, and the
    count of documents at most every `every` seconds."""

    def __init__(self, stream: TextIO | None = None, every: float = 5.0) -> None:
        self.stream = stream or sys.stderr
        self.every = every
        self.total = self.done = 0
        self.started = time.monotonic()
        self._last = 0.0
        self._count_started = 0.0

    def _say(self, text: str) -> None:
        print(f"baocao [{time.monotonic() - self.started:6.1f}s] {text}", file=self.stream, flush=True)

    def stage(self, text: str) -> None:
        self._say(text)

    def start(self, total: int, done: int = 0) -> None:
        self.total, self.done = total, done
        self._count_started = time.monotonic()

    def advance(self, n: int, current: str = "") -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= self.every or self.done >= self.total:
            self._last = now
            rate = self.done / max(1e-9, now - self._count_started)
            self._say(f"{self.done:,}/{self.total:,} documents ({rate:,.1f}/s)")


class BarReporter(Reporter):
    """A Rich progress bar on a terminal; the stage is its description."""

    def __init__(self, console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("{task.fields[current]}"), console=console)
        self.job = self.bar.add_task("starting", total=None, current="")
        self.bar.start()

    def stage(self, text: str) -> None:
        self.bar.update(self.job, description=text)

    def start(self, total: int, done: int = 0) -> None:
        self.bar.update(self.job, total=total, completed=done)

    def advance(self, n: int, current: str = "") -> None:
        self.bar.update(self.job, advance=n, current=current)

    def close(self) -> None:
        self.bar.stop()


_current: Reporter = Reporter()


def current() -> Reporter:
    return _current


@contextmanager
def reporting(reporter: Reporter) -> Iterator[Reporter]:
    """Make `reporter` the one the flow reports to, for the duration of a run."""
    global _current
    previous, _current = _current, reporter
    try:
        yield reporter
    finally:
        _current = previous
        reporter.close()


def for_console(console) -> Reporter:
    """A bar on a terminal, lines otherwise."""
    return BarReporter(console) if console.is_terminal else LineReporter(console.file)
