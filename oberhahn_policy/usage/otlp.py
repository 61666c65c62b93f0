"""OTLP traces in JSON (the Collector `file` exporter): spans that are model calls, as usage records.

One line holds one `TracesData`: `resourceSpans[].scopeSpans[].spans[]`, attribute values as a
typed union (`{"intValue": "1200"}`, 64-bit integers usually as decimal strings), trace ids in
hex. Only spans that carry GenAI usage or a model and provider count; agent, workflow and tool
spans (which may sum their children's tokens) are left out as the alias table says. This is
the hot path of a million-span file, so a span is turned into a plain dict once and every
name is looked up there.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

from ..providers import from_base_url, from_model_name
from ..surface import load_surface
from ._values import ValueProblem, as_float, as_int, as_text, parse_json_text
from .aliases import AliasTable, OtlpNames
from .attribution import AttributionReader, Found, attribution_tuple
from .records import CodeLocation, ReadProblem, UsageRecord

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
#: What the Collector's file exporter writes for the other signals.
_OTHER_SIGNALS = frozenset({"resourceLogs", "resourceMetrics", "resourceProfiles"})


def scalar(value: Any) -> Any:
    """The Python value of an OTLP `AnyValue` (`{"stringValue": ...}`, `{"intValue": "12"}`, arrays)."""
    if type(value) is not dict:
        return None
    for kind, inner in value.items():
        if kind == "stringValue":
            return inner
        if kind == "intValue":
            return int(inner) if type(inner) is str else inner
        if kind == "doubleValue":
            return float(inner) if type(inner) is str else inner
        if kind == "boolValue":
            return inner
        if kind == "arrayValue":
            return [scalar(item) for item in (inner or {}).get("values") or ()]
        if kind == "kvlistValue":
            return {kv.get("key"): scalar(kv.get("value")) for kv in (inner or {}).get("values") or ()
                    if isinstance(kv, dict)}
    return None


class OtlpReader:
    """Turns one decoded line of an OTLP JSON file into usage records (and problems)."""

    def __init__(self, table: AliasTable, attribution: AttributionReader, file: str) -> None:
        self.names: OtlpNames = table.otlp
        self.table = table
        self.attribution = attribution
        self.file = file
        self.markers = self.names.markers
        self.excluded = {name: frozenset(values) for name, values in self.names.not_usage.items()}
        self.rules = load_surface().providers

    def records(self, document: Any, line: int) -> Iterator[UsageRecord | ReadProblem]:
        if type(document) is not dict:
            yield ReadProblem(self.file, line, "expected a JSON object with resourceSpans (OTLP TracesData)")
            return
        resource_spans = document.get("resourceSpans")
        if resource_spans is None:
            if not _OTHER_SIGNALS.isdisjoint(document):
                return  # logs or metrics written by the same exporter: not usage
            yield ReadProblem(self.file, line, "no resourceSpans: not an OTLP traces line (the file's first line was one)")
            return
        if type(resource_spans) is not list:
            yield ReadProblem(self.file, line, "resourceSpans is not a list")
            return
        for resource_span in resource_spans:
            if type(resource_span) is not dict:
                yield ReadProblem(self.file, line, "a resourceSpans entry is not an object")
                continue
            resource_found: Found | None = None
            resource_tags: list[str] = []
            scopes = resource_span.get("scopeSpans") or resource_span.get("instrumentationLibrarySpans") or ()
            for scope in scopes:
                spans = scope.get("spans") if type(scope) is dict else None
                if not spans:
                    continue
                for span in spans:
                    attributes = span.get("attributes") if type(span) is dict else None
                    if not attributes:
                        continue
                    try:
                        flat = {item["key"]: item.get("value") for item in attributes}
                    except (TypeError, KeyError, AttributeError):
                        yield ReadProblem(self.file, line, f"span {_span_id(span)}: attributes must be a list of "
                                                           "{key, value} objects")
                        continue
                    if self.markers.isdisjoint(flat):
                        continue
                    if resource_found is None:
                        resource_found = {}
                        resource_attributes = (resource_span.get("resource") or {}).get("attributes") or ()
                        try:
                            resource_flat = {item["key"]: item.get("value") for item in resource_attributes}
                        except (TypeError, KeyError, AttributeError):
                            resource_flat = {}
                        # resource attributes apply to every span, below anything the span says itself
                        self.attribution.from_attributes(resource_flat, scalar, resource_found, resource_tags,
                                                         offset=1000)
                    yield from self._span(span, flat, line, resource_found, resource_tags)

    def _span(self, span: dict[str, Any], flat: dict[str, Any], line: int, resource_found: Found,
              resource_tags: list[str]) -> Iterator[UsageRecord | ReadProblem]:
        names = self.names
        for attribute, values in self.excluded.items():
            raw = flat.get(attribute)
            if raw is not None:
                value = scalar(raw)
                if isinstance(value, str) and value in values:
                    return
        problems: list[str] = []
        usage = self._usage_details(flat)
        try:
            input_tokens, counts_cached = self._input(flat, usage)
            output_tokens = self._int(flat, names.output_tokens, usage, self.table.usage_details.output_tokens)
            cache_read = self._int(flat, names.cache_read_tokens, usage, self.table.usage_details.cache_read_tokens)
            cache_write = self._int(flat, names.cache_write_tokens, usage, self.table.usage_details.cache_write_tokens)
            reasoning = self._int(flat, names.reasoning_tokens, usage, self.table.usage_details.reasoning_tokens)
        except (ValueProblem, ValueError, TypeError) as exc:
            yield ReadProblem(self.file, line, f"span {_span_id(span)}: {exc}; the span is skipped")
            return
        response_model = as_text(self._first(flat, names.response_model))
        model = response_model or as_text(self._first(flat, names.request_model))
        if model is None and input_tokens is None and output_tokens is None:
            return  # names a provider or an operation but neither a model nor usage: not a billable call
        cached = cache_read or 0
        written = cache_write or 0
        if input_tokens is not None and (not counts_cached or input_tokens < cached + written):
            input_tokens += cached + written
        try:
            timestamp = _span_time(span)
        except (ValueProblem, ValueError, TypeError, OverflowError) as exc:
            yield ReadProblem(self.file, line, f"span {_span_id(span)}: {exc}")
            return
        try:
            cost = as_float(self._first(flat, names.cost_usd))
            if cost is None:
                cost = _cost_from_details(parse_json_text(self._first(flat, names.cost_details)))
        except ValueProblem as exc:
            problems.append(f"reported cost {exc}")
            cost = None
        found: Found = dict(resource_found)
        tags = list(resource_tags)
        self.attribution.from_attributes(flat, scalar, found, tags)
        task = self.attribution.task_from_attributes(flat, scalar) or as_text(span.get("traceId"))
        operation = as_text(self._first(flat, names.operation))
        tier = as_text(self._first(flat, names.service_tier))
        yield UsageRecord(
            source="otlp", file=self.file, line=line, timestamp=timestamp, task_id=task,
            provider=self._provider(flat, model), model=model, operation=operation,
            input_tokens=input_tokens, cached_input_tokens=cached, cache_write_tokens=written,
            output_tokens=output_tokens, reasoning_tokens=reasoning, reported_cost_usd=cost,
            attribution=attribution_tuple(found), tags=tuple(tags),
            service_tier=tier.lower() if tier else None, code=self._code(flat),
            record_id=as_text(span.get("spanId")),
        )
        for problem in problems:
            yield ReadProblem(self.file, line, f"span {_span_id(span)}: {problem}")

    @staticmethod
    def _first(flat: dict[str, Any], names: tuple[str, ...]) -> Any:
        for name in names:
            raw = flat.get(name)
            if raw is not None:
                value = scalar(raw)
                if value is not None and value != "":
                    return value
        return None

    def _usage_details(self, flat: dict[str, Any]) -> dict[str, Any] | None:
        if not self.names.usage_details:
            return None
        details = parse_json_text(self._first(flat, self.names.usage_details))
        return details if isinstance(details, dict) else None

    def _input(self, flat: dict[str, Any], usage: dict[str, Any] | None) -> tuple[int | None, bool]:
        for alias in self.names.input_tokens:
            raw = flat.get(alias.name)
            if raw is not None:
                value = _token(alias.name, raw)
                if value is not None:
                    return value, alias.counts_cached
        if usage is not None:
            for alias in self.table.usage_details.input_tokens:
                value = as_int(usage.get(alias.name))
                if value is not None:
                    return value, alias.counts_cached
        return None, True

    def _int(self, flat: dict[str, Any], names: tuple[str, ...], usage: dict[str, Any] | None,
             usage_names: tuple[str, ...]) -> int | None:
        for name in names:
            raw = flat.get(name)
            if raw is not None:
                value = _token(name, raw)
                if value is not None:
                    return value
        if usage is not None:
            for name in usage_names:
                value = as_int(usage.get(name))
                if value is not None:
                    return value
        return None

    def _provider(self, flat: dict[str, Any], model: str | None) -> str | None:
        named = as_text(self._first(flat, self.names.provider))
        if named is not None:
            return self.table.canonical_provider(named)
        address = as_text(self._first(flat, self.names.server_address))
        if address is not None:
            by_host = from_base_url(address, self.rules)
            if by_host is not None:
                return by_host.provider
        if model is not None:
            by_name = from_model_name(model, self.rules)
            if by_name is not None:
                return by_name.provider
        return None

    def _code(self, flat: dict[str, Any]) -> CodeLocation | None:
        path = as_text(self._first(flat, self.names.code_path))
        if path is None:
            return None
        try:
            line = as_int(self._first(flat, self.names.code_line))
        except ValueProblem:
            line = None
        return CodeLocation(path, line if line is not None and line > 0 else None)


def _token(name: str, raw: Any) -> int | None:
    """A token count attribute; a value that is not one names the attribute in its problem."""
    try:
        return as_int(scalar(raw))
    except (ValueError, TypeError):
        shown = next(iter(raw.values()), raw) if isinstance(raw, dict) and raw else raw
        raise ValueProblem(f"{name} is {shown!r}, not a token count") from None


def _span_id(span: Any) -> str:
    if isinstance(span, dict):
        return str(span.get("spanId") or span.get("name") or "?")
    return "?"


def _span_time(span: dict[str, Any]) -> datetime:
    raw = span.get("startTimeUnixNano") or span.get("endTimeUnixNano")
    if raw is None or raw == "" or raw == "0" or raw == 0:
        raise ValueProblem("no startTimeUnixNano, so the call can't be dated or priced")
    nanos = int(raw)
    # integer arithmetic keeps the microseconds exact, which float seconds would not
    return _EPOCH + timedelta(microseconds=nanos // 1000)


def _cost_from_details(details: Any) -> float | None:
    """A Langfuse cost_details object: its `total`, else the sum of its parts."""
    if not isinstance(details, dict) or not details:
        return None
    if "total" in details:
        return as_float(details["total"])
    parts = [as_float(value) for value in details.values()]
    known = [part for part in parts if part is not None]
    return sum(known) if known else None
