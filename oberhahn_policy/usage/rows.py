"""Rows of exported tables as usage records: LiteLLM spend logs and Langfuse observations.

Both come as JSON, JSON Lines or CSV, with nested objects (`metadata`, `usage_details`) either
as objects or, in CSV and Postgres dumps, as JSON text; `walk` steps into both. Operators strip
columns and add their own, so every field is optional and unknown ones are ignored: a row
missing its tokens is still a call, with a cost nobody can compute.
"""

from __future__ import annotations

from typing import Any

from ..providers import from_litellm, from_model_name, load_providers
from ._values import ValueProblem, as_float, as_int, as_text, parse_json_text, parse_timestamp, walk
from .aliases import AliasTable, RowNames, TokenAlias
from .attribution import AttributionReader, Found, attribution_tuple
from .otlp import _cost_from_details
from .records import CodeLocation, ReadProblem, SourceFormat, UsageRecord


class RowReader:
    """Turns one row of a LiteLLM or Langfuse export into a usage record (or a problem, or nothing)."""

    def __init__(self, source: SourceFormat, names: RowNames, table: AliasTable, attribution: AttributionReader,
                 file: str) -> None:
        self.source = source
        self.names = names
        self.table = table
        self.attribution = attribution
        self.file = file
        self.usage_kinds = frozenset(kind.upper() for kind in names.usage_kinds)
        self.rules = load_providers()

    def record(self, row: Any, line: int) -> UsageRecord | ReadProblem | None:
        if not isinstance(row, dict):
            return ReadProblem(self.file, line, f"expected an object (one {self._what} row), got {type(row).__name__}")
        names = self.names
        if self.usage_kinds:
            kind = as_text(_first(row, names.kind))
            if kind is not None and kind.upper() not in self.usage_kinds:
                return None
        identity = as_text(_first(row, names.record_id))
        label = f"{self._what} {identity}" if identity else self._what
        try:
            timestamp = parse_timestamp(_first(row, names.timestamp))
        except ValueProblem as exc:
            return ReadProblem(self.file, line, f"{label}: {exc} in {' / '.join(names.timestamp)}; the row is skipped")
        usage = parse_json_text(_first(row, names.usage_details))
        usage = usage if isinstance(usage, dict) else None
        keys = self.table.usage_details
        try:
            input_tokens, counts_cached = _input(row, names.input_tokens, usage, keys.input_tokens)
            output_tokens = _int(row, names.output_tokens, usage, keys.output_tokens)
            cache_read = _int(row, names.cache_read_tokens, usage, keys.cache_read_tokens) or 0
            cache_write = _int(row, names.cache_write_tokens, usage, keys.cache_write_tokens) or 0
            reasoning = _int(row, names.reasoning_tokens, usage, keys.reasoning_tokens)
        except ValueProblem as exc:
            return ReadProblem(self.file, line, f"{label}: token count {exc}; the row is skipped")
        if input_tokens is not None and (not counts_cached or input_tokens < cache_read + cache_write):
            input_tokens += cache_read + cache_write
        try:
            cost = as_float(_first(row, names.cost_usd))
            if cost is None:
                cost = _cost_from_details(parse_json_text(_first(row, names.cost_details)))
        except ValueProblem as exc:
            return ReadProblem(self.file, line, f"{label}: reported cost {exc}; the row is skipped")
        model = as_text(_first(row, names.model))
        found: Found = {}
        tags: list[str] = []
        self.attribution.from_row(row, found, tags)
        tier = as_text(_first(row, names.service_tier))
        return UsageRecord(
            source=self.source, file=self.file, line=line, timestamp=timestamp,
            task_id=self.attribution.task_from_row(row) or as_text(_first(row, names.task_id)),
            provider=self._provider(row, model), model=model, operation=as_text(_first(row, names.operation)),
            input_tokens=input_tokens, cached_input_tokens=cache_read, cache_write_tokens=cache_write,
            output_tokens=output_tokens, reasoning_tokens=reasoning, reported_cost_usd=cost,
            attribution=attribution_tuple(found), tags=tuple(tags),
            service_tier=tier.lower() if tier else None, code=self._code(row), record_id=identity,
        )

    @property
    def _what(self) -> str:
        return "spend log" if self.source == "litellm" else "observation"

    def _provider(self, row: dict[str, Any], model: str | None) -> str | None:
        named = as_text(_first(row, self.names.provider))
        if self.source == "litellm":
            # LiteLLM's own provider names are the SDK surface's litellm prefixes (`bedrock/`, `vertex_ai/`)
            if named is not None:
                canonical = from_litellm(f"{named}/{model or ''}", self.rules).provider
                return canonical if canonical != "litellm" else self.table.canonical_provider(named)
            return from_litellm(model, self.rules).provider if model else None
        if named is not None:
            return self.table.canonical_provider(named)
        if model is not None:
            by_name = from_model_name(model, self.rules)
            return by_name.provider if by_name is not None else None
        return None

    def _code(self, row: dict[str, Any]) -> CodeLocation | None:
        path = as_text(_first(row, self.names.code_path))
        if path is None:
            return None
        try:
            line = as_int(_first(row, self.names.code_line))
        except ValueProblem:
            line = None
        return CodeLocation(path, line if line is not None and line > 0 else None)


def _first(row: dict[str, Any], paths: tuple[str, ...]) -> Any:
    for path in paths:
        value = row.get(path) if path in row else walk(row, path)
        if value is not None and value != "":
            return value
    return None


def _input(row: dict[str, Any], paths: tuple[TokenAlias, ...], usage: dict[str, Any] | None,
           keys: tuple[TokenAlias, ...]) -> tuple[int | None, bool]:
    for alias in paths:
        value = as_int(_first(row, (alias.name,)))
        if value is not None:
            return value, alias.counts_cached
    if usage is not None:
        for alias in keys:
            value = as_int(usage.get(alias.name))
            if value is not None:
                return value, alias.counts_cached
    return None, True


def _int(row: dict[str, Any], paths: tuple[str, ...], usage: dict[str, Any] | None,
         keys: tuple[str, ...]) -> int | None:
    for path in paths:
        value = as_int(_first(row, (path,)))
        if value is not None:
            return value
    if usage is not None:
        for key in keys:
            value = as_int(usage.get(key))
            if value is not None:
                return value
    return None
