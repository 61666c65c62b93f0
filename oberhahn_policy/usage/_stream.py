"""The elements of a JSON document's big array, one at a time, without reading the document whole.

Exports that are not JSON Lines are one document: a top-level array of rows (`[{...}, ...]`),
or an object whose array holds them (`{"data": [...]}`, a pretty-printed `{"resourceSpans":
[...]}`). This walks the top level by hand and decodes one element at a time from a window of
the text, so memory stays the size of the largest element, and knows the line each element
starts on. A malformed element ends the file (there is no line structure to resume at).
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator, TextIO

#: Keys of a top-level object whose array is streamed; other members are skipped.
STREAMED_KEYS = frozenset({"resourceSpans", "data", "observations", "logs", "rows", "items"})
_WHITESPACE = re.compile(r"[ \t\r\n]*")
_DECODER = json.JSONDecoder()


class StreamError(ValueError):
    """The document is not the JSON it should be; `line` is where reading stopped."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class JsonStream:
    """Walks one JSON document from a text stream; `elements()` yields `(key, line, value)`."""

    def __init__(self, text: TextIO, chunk_size: int = 1 << 20, max_element: int = 64 << 20) -> None:
        self.text = text
        self.chunk_size = chunk_size
        self.max_element = max_element
        self.buffer = ""
        self.pos = 0
        self.line = 1
        self.eof = False

    def elements(self) -> Iterator[tuple[str | None, int, Any]]:
        """Elements of the top-level array (key None), or of each streamed array under a top-level object."""
        self._skip()
        first = self._peek()
        if first == "[":
            yield from self._array(None)
        elif first == "{":
            yield from self._object()
        else:
            raise StreamError(self.line, "expected a JSON array or object")
        self._skip()
        if self._peek():
            raise StreamError(self.line, "unexpected text after the JSON document")

    def _object(self) -> Iterator[tuple[str | None, int, Any]]:
        self.pos += 1
        while True:
            self._skip()
            char = self._peek()
            if char == "}":
                self.pos += 1
                return
            key = self._value()
            if not isinstance(key, str):
                raise StreamError(self.line, "expected an object key")
            self._skip()
            self._expect(":")
            self._skip()
            if key in STREAMED_KEYS and self._peek() == "[":
                yield from self._array(key)
            else:
                self._value()
            self._skip()
            if self._peek() == ",":
                self.pos += 1
            elif self._peek() != "}":
                raise StreamError(self.line, "expected ',' or '}' between members")

    def _array(self, key: str | None) -> Iterator[tuple[str | None, int, Any]]:
        self.pos += 1
        self._skip()
        if self._peek() == "]":
            self.pos += 1
            return
        while True:
            self._skip()
            line = self.line
            yield key, line, self._value()
            self._skip()
            char = self._peek()
            if char == ",":
                self.pos += 1
            elif char == "]":
                self.pos += 1
                return
            else:
                raise StreamError(self.line, "expected ',' or ']' between elements")

    def _value(self) -> Any:
        chunk = self.chunk_size
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                if self.eof or len(self.buffer) - self.pos > self.max_element:
                    raise StreamError(self.line + self.buffer.count("\n", self.pos, exc.pos),
                                      f"not valid JSON: {exc.msg}") from None
                self._fill(chunk)
                chunk *= 2  # a large element: read ahead in bigger steps instead of re-parsing often
                continue
            if end == len(self.buffer) and not self.eof:
                self._fill(chunk)  # a number could go on in the next chunk
                continue
            self.line += self.buffer.count("\n", self.pos, end)
            self.pos = end
            return value

    def _skip(self) -> None:
        while True:
            match = _WHITESPACE.match(self.buffer, self.pos)
            end = match.end() if match else self.pos
            self.line += self.buffer.count("\n", self.pos, end)
            self.pos = end
            if self.pos < len(self.buffer) or self.eof:
                return
            self._fill(self.chunk_size)

    def _peek(self) -> str:
        if self.pos >= len(self.buffer) and not self.eof:
            self._fill(self.chunk_size)
        return self.buffer[self.pos] if self.pos < len(self.buffer) else ""

    def _expect(self, char: str) -> None:
        if self._peek() != char:
            raise StreamError(self.line, f"expected {char!r}")
        self.pos += 1

    def _fill(self, size: int) -> None:
        data = self.text.read(size)
        if not data:
            self.eof = True
        self.buffer = self.buffer[self.pos:] + data
        self.pos = 0
