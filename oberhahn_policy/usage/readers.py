"""Reading usage files: the format from the content, gzip from its magic bytes, one record at a time.

`read_usage` yields usage records, the problems of lines it could not read (reading goes on),
and a summary after each file. Files are read as streams: JSON Lines a line at a time, CSV a
row at a time, a JSON document an element at a time, so a file of any size is read in the
memory of its largest line.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Literal

from ..policy.model import Policy
from . import _values
from ._stream import JsonStream, StreamError
from .aliases import AliasTable, load_alias_table
from .attribution import AttributionReader, wanted_keys
from .otlp import OtlpReader
from .records import FileSummary, ReadProblem, SourceFormat, UsageRecord
from .rows import RowReader

#: Problems reported per file before the rest are only counted.
MAX_PROBLEMS_PER_FILE = 100
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"
#: Lines read to find one that shows the format when the first ones are malformed.
_DETECT_LINES = 20
_CSV_FIELD_LIMIT = 1 << 28

Item = UsageRecord | ReadProblem | FileSummary
Handler = Callable[[Any, int], Iterable[UsageRecord | ReadProblem]]


def read_usage(paths: Iterable[str | Path], policy: Policy, table: AliasTable | None = None) -> Iterator[Item]:
    """Usage records from every file (directories are read recursively), with problems and per-file summaries."""
    readers = UsageReaders(policy, table or load_alias_table())
    for path in paths:
        yield from readers.read_path(Path(path), _display(path))


def _display(path: str | Path) -> str:
    """POSIX, and relative to the working directory when under it."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(Path.cwd())
        except ValueError:
            pass
    return candidate.as_posix()


@dataclass(frozen=True)
class _Detected:
    """What the first lines of a file say it is."""

    #: None for a JSON document, whose first element tells, and for an empty file.
    source: SourceFormat | None
    layout: Literal["jsonl", "document", "csv", "empty"]


class UsageReaders:
    """The readers of every source, configured from the policy (its attribution keys and `usage:` section)."""

    def __init__(self, policy: Policy, table: AliasTable) -> None:
        self.table = table
        wanted = wanted_keys(policy)
        prefixes = policy.attribution.header_prefixes
        settings = policy.usage
        self.attribution = {
            "otlp": AttributionReader(wanted, prefixes, settings, table.otlp.attribution),
            "litellm": AttributionReader(wanted, prefixes, settings, table.litellm.attribution),
            "langfuse": AttributionReader(wanted, prefixes, settings, table.langfuse.attribution),
        }

    def read_path(self, path: Path, label: str) -> Iterator[Item]:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path))):
                yield from self.read_file(child, f"{label.rstrip('/')}/{child.relative_to(path).as_posix()}", named=False)
            return
        yield from self.read_file(path, label)

    def read_file(self, path: Path, label: str, named: bool = True) -> Iterator[Item]:
        """The records of one file; `named` is False for a file found in a directory (see FileSummary.named)."""
        try:
            detected = self._detect(path)
        except OSError as exc:
            yield ReadProblem(label, 0, f"cannot read: {exc.strerror or exc}")
            yield FileSummary(label, None, 0, 1, named)
            return
        if detected is None:
            yield ReadProblem(label, 0, "not a recognised usage file: expected OTLP traces as JSON Lines (the Collector "
                                        "file exporter, format json, no compression), LiteLLM spend logs or Langfuse "
                                        "observations as JSON, JSON Lines or CSV")
            yield FileSummary(label, None, 0, 1, named)
            return
        if detected.layout == "empty":  # a rotated exporter file of a quiet hour: no records, nothing wrong
            yield FileSummary(label, None, 0, 0, named)
            return
        records = problems = 0
        source = detected.source
        try:
            for item in self._items(path, label, detected):
                if type(item) is UsageRecord:
                    records += 1
                    yield item
                elif isinstance(item, _Source):
                    source = item.source
                else:
                    problems += 1
                    if problems <= MAX_PROBLEMS_PER_FILE:
                        yield item
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            problems += 1
            yield ReadProblem(label, 0, f"reading stopped: {exc}")
        if problems > MAX_PROBLEMS_PER_FILE:
            yield ReadProblem(label, 0, f"{problems - MAX_PROBLEMS_PER_FILE} more unreadable lines not shown "
                                        f"({problems} in all)")
        yield FileSummary(label, source, records, problems, named)

    # --- detection ------------------------------------------------------------------------------

    def _detect(self, path: Path) -> _Detected | None:
        with _open_binary(path) as stream:
            lines: list[bytes] = []
            for raw in stream:
                if raw.strip():
                    lines.append(raw.lstrip(_BOM) if not lines else raw)
                    if len(lines) >= _DETECT_LINES or lines[0].lstrip()[:1] not in (b"{",):
                        break
        if not lines:
            return _Detected(None, "empty")
        first = lines[0].lstrip()
        if first[:1] == b"{":
            first_parsed = False
            for index, line in enumerate(lines):
                try:
                    document = _values.loads(line)
                except _values.DECODE_ERRORS:
                    continue
                if isinstance(document, dict):
                    first_parsed = first_parsed or index == 0
                    source = self._classify(document.keys())
                    if source is not None:
                        return _Detected(source, "jsonl")
            # JSON Lines of something else; or a pretty-printed document (whose first line is no document, though an
            # inner line may be one), classified by its first element
            return None if first_parsed else _Detected(None, "document")
        if first[:1] == b"[":
            return _Detected(None, "document")
        try:
            header_line = first.decode("utf-8")
        except UnicodeDecodeError:
            return None
        header = next(csv.reader([header_line]), [])
        source = self._classify(header)
        return _Detected(source, "csv") if source is not None else None

    def _classify(self, keys: Iterable[str]) -> SourceFormat | None:
        present = set(keys)
        rules: tuple[tuple[SourceFormat, tuple[tuple[str, ...], ...]], ...] = (
            ("otlp", self.table.otlp.detect), ("litellm", self.table.litellm.detect),
            ("langfuse", self.table.langfuse.detect))
        for source, detect in rules:
            if any(all(key in present for key in rule) for rule in detect):
                return source
        return None

    def _handler(self, source: SourceFormat, label: str) -> Handler:
        if source == "otlp":
            return OtlpReader(self.table, self.attribution["otlp"], label).records
        names = self.table.litellm if source == "litellm" else self.table.langfuse
        reader = RowReader(source, names, self.table, self.attribution[source], label)

        def one(row: Any, line: int) -> Iterable[UsageRecord | ReadProblem]:
            item = reader.record(row, line)
            return (item,) if item is not None else ()
        return one

    # --- layouts ----------------------------------------------------------------------------------

    def _items(self, path: Path, label: str, detected: _Detected) -> Iterator[UsageRecord | ReadProblem | _Source]:
        if detected.layout == "jsonl":
            assert detected.source is not None
            yield from self._json_lines(path, label, self._handler(detected.source, label))
        elif detected.layout == "csv":
            assert detected.source is not None
            yield from self._csv(path, label, self._handler(detected.source, label))
        else:
            yield from self._document(path, label)

    def _json_lines(self, path: Path, label: str, handler: Handler) -> Iterator[UsageRecord | ReadProblem]:
        loads, errors = _values.loads, _values.DECODE_ERRORS
        with _open_binary(path) as stream:
            for number, raw in enumerate(stream, start=1):
                if len(raw) < 4 and not raw.strip():
                    continue
                try:
                    document = loads(raw)
                except errors as exc:
                    yield ReadProblem(label, number, f"not valid JSON ({_short(exc)}); the line is skipped")
                    continue
                yield from handler(document, number)

    def _csv(self, path: Path, label: str, handler: Handler) -> Iterator[UsageRecord | ReadProblem]:
        if csv.field_size_limit() < _CSV_FIELD_LIMIT:
            csv.field_size_limit(_CSV_FIELD_LIMIT)  # message and response columns are large
        with _open_binary(path) as binary:
            text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")
            reader = csv.reader(text)
            header: list[str] | None = None
            last = 0
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield ReadProblem(label, last + 1, f"not valid CSV ({exc}); the row is skipped")
                    last = reader.line_num
                    continue
                start, last = last + 1, reader.line_num
                if header is None:
                    header = row
                    continue
                if not row or row == [""]:
                    continue
                if len(row) > len(header):
                    yield ReadProblem(label, start, f"{len(row)} fields but the header names {len(header)}; "
                                                    "the row is skipped")
                    continue
                yield from handler(dict(zip(header, row)), start)

    def _document(self, path: Path, label: str) -> Iterator[UsageRecord | ReadProblem | _Source]:
        handler: Handler | None = None
        with _open_binary(path) as binary:
            text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace")
            try:
                for key, line, element in JsonStream(text).elements():
                    if key == "resourceSpans":
                        document: Any = {"resourceSpans": [element]}
                        source: SourceFormat | None = "otlp"
                    else:
                        document = element
                        source = self._classify(element.keys()) if isinstance(element, dict) else None
                    if handler is None:
                        if source is None:
                            yield ReadProblem(label, line, "the first element is neither an OTLP resourceSpans entry, "
                                                           "a LiteLLM spend log nor a Langfuse observation")
                            return
                        handler = self._handler(source, label)
                        yield _Source(source)
                    yield from handler(document, line)
            except StreamError as exc:
                yield ReadProblem(label, exc.line, f"{exc}; reading of the file stopped here")


@dataclass(frozen=True)
class _Source:
    """The format of a document, known once its first element is read."""

    source: SourceFormat


def _open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when it starts with gzip's magic bytes (whatever its name)."""
    with open(path, "rb") as probe:
        compressed = probe.read(2) == _GZIP_MAGIC
    if compressed:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."

