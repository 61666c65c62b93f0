"""The progress bar long runs show on a terminal: files parsed of files to parse, and the time so far."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from typing import Callable, Iterator, TextIO


class ProgressBar:
    """`parsed 1,234 of 3,196 files  [#######.............]  12 s` on stderr, redrawn in place.

    Shown only on a terminal, outside CI, and only once a run has taken longer than about two seconds (a quick run
    prints nothing); erased before the report is written.
    """

    #: Seconds of silence before the bar appears, and between two redraws.
    DELAY, INTERVAL = 2.0, 0.1
    WIDTH = 20

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self._drawn_at = 0.0
        self._shown = False

    @staticmethod
    def wanted(stream: TextIO) -> bool:
        """A person is watching: a terminal that can redraw a line, and no CI service running the command."""
        ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
        return stream.isatty() and not ci and os.environ.get("TERM") != "dumb"

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.started < self.DELAY or (now - self._drawn_at < self.INTERVAL and done < total):
            return
        self._drawn_at = now
        filled = self.WIDTH * done // total if total else self.WIDTH
        self.stream.write(f"\r\x1b[Kparsed {done:,} of {total:,} files  [{'#' * filled}{'.' * (self.WIDTH - filled)}]"
                          f"  {now - self.started:.0f} s")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


@contextlib.contextmanager
def progress_bar() -> Iterator[Callable[[int, int], None] | None]:
    """The callback extraction reports its progress to (None when nobody watches); the bar is gone afterwards."""
    if not ProgressBar.wanted(sys.stderr):
        yield None
        return
    bar = ProgressBar(sys.stderr)
    try:
        yield bar
    finally:
        bar.close()
