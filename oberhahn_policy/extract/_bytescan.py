"""Byte scans over whole files, in linear time: the pre-filter and the import-line readers.

Every file of a project goes through these scans (most are never parsed), so they decide a warm
run's time. Python's `re` tries a multi-line pattern at every position of the file; RE2 compiles
it to an automaton that reads each byte once: 6-13x faster on these patterns, same matches (a test
compares them on every fixture file).
"""

from __future__ import annotations

import re
from typing import Protocol

import re2

#: RE2's memory budget for one automaton: the pre-filter's trie of a few hundred names needs more than the default.
_MAX_MEM = 64 << 20


class ByteScan(Protocol):
    """What a compiled byte pattern offers here (`re.Pattern[bytes]` and RE2's regexp both do)."""

    @property
    def pattern(self) -> bytes: ...

    def search(self, text: bytes) -> object | None: ...

    def findall(self, text: bytes) -> list[bytes]: ...


def byte_scan(pattern: bytes) -> ByteScan:
    """`pattern` compiled for multi-line byte scans (`^` at every line start), in RE2 where it can take it."""
    options = re2.Options()
    options.max_mem = _MAX_MEM
    try:
        return _Scan(re2.compile(b"(?m)" + pattern, options), pattern)
    except re2.error:  # a construct RE2 lacks (none of ours today): the same scan in `re`
        return re.compile(pattern, re.MULTILINE)


class _Scan:
    """An RE2 regexp that keeps the pattern as written (without the `(?m)` it was compiled with)."""

    __slots__ = ("_regexp", "pattern")

    def __init__(self, regexp: re2._Regexp[bytes], pattern: bytes) -> None:
        self._regexp = regexp
        self.pattern = pattern

    def search(self, text: bytes) -> object | None:
        return self._regexp.search(text)

    def findall(self, text: bytes) -> list[bytes]:
        return self._regexp.findall(text)

    def __reduce__(self) -> tuple[object, tuple[bytes]]:
        return byte_scan, (self.pattern,)  # an RE2 regexp can't be pickled; the pattern can (worker processes)
