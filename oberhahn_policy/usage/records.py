"""One observed model call, read from whichever source recorded it, in the units the policy uses.

Token counts follow the OpenTelemetry convention: `input_tokens` is ALL input, cached reads and
cache writes included, and `cached_input_tokens` / `cache_write_tokens` say how much of it was
which. Sources that count cached input separately are normalised to that rule when read:
Langfuse's `usage_details.input` excludes the cache keys beside it, and a span whose input count
is smaller than its cache reads plus writes evidently followed Anthropic's API (whose
`input_tokens` exclude them); in both cases the cached counts are added to the input. A span that
follows the convention is taken as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

SourceFormat = Literal["otlp", "litellm", "langfuse"]


@dataclass(frozen=True, slots=True)
class CodeLocation:
    """The call site a record names (`code.file.path`, `code.line.number`), as the running program saw it."""

    path: str
    #: 1-based; None when the record names only the file.
    line: int | None = None


@dataclass(frozen=True, slots=True)
class UsageRecord:
    """One billable model call as a usage record reports it."""

    #: The format the record was read from.
    source: SourceFormat
    #: The file it was read from, as given on the command line.
    file: str
    #: 1-based line of the file where the record (its JSON line, CSV row or array element) starts.
    line: int
    #: When the call started, in UTC; prices are looked up on this day.
    timestamp: datetime
    #: The task the call served: the trace id, or the value of `usage.task_key`; None when unknown.
    task_id: str | None
    #: A provider id of SPEC §7 when the source's name maps to one, else the name as written; None when unknown.
    provider: str | None
    #: The model that answered (the response model), else the one requested; None when unknown.
    model: str | None
    #: The operation as the source names it (`chat`, `embeddings`, `acompletion`), None when unknown.
    operation: str | None
    #: All input tokens, cached reads and writes included (see the module docstring); None when not reported.
    input_tokens: int | None
    #: Input tokens served from the provider's prompt cache (0 when none were reported).
    cached_input_tokens: int
    #: Input tokens written to the provider's prompt cache (0 when none were reported).
    cache_write_tokens: int
    #: Output tokens (reasoning included); None when not reported.
    output_tokens: int | None
    #: Reasoning tokens, informational: they are already part of `output_tokens`.
    reasoning_tokens: int | None
    #: The cost the source computed, in USD; None when it reports none. Kept, never trusted.
    reported_cost_usd: float | None
    #: Attribution keys (normalised like the policy's: `Use-Case` -> `use_case`) and their values, sorted.
    attribution: tuple[tuple[str, str], ...]
    #: Tags that are not `key:value` pairs of an attribution key.
    tags: tuple[str, ...]
    #: The service tier the record names (`batch`, `flex`, `priority`, `default`), lower case; None when it names none.
    service_tier: str | None
    #: The call site the record names, if any.
    code: CodeLocation | None
    #: The source's id for the record (span id, request id, observation id).
    record_id: str | None

    def attribute(self, key: str) -> str | None:
        for name, value in self.attribution:
            if name == key:
                return value
        return None

    @property
    def use_case(self) -> str | None:
        return self.attribute("use_case")

    @property
    def team(self) -> str | None:
        return self.attribute("team")


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """A line (or a whole file) that could not be read; reading goes on after it."""

    file: str
    #: 1-based; 0 when the problem concerns the whole file.
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


@dataclass(frozen=True, slots=True)
class FileSummary:
    """What one file held, reported after its last record."""

    file: str
    #: The format detected from the content; None when it was not recognised.
    source: SourceFormat | None
    #: Usage records read from it.
    records: int
    #: Lines, rows or elements that could not be read.
    problems: int
    #: Named as a file (True), or found in a directory that was named (False): a directory may hold other files.
    named: bool = True
