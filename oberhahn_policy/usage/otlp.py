"""OTLP traces in JSON (the Collector `file` exporter): spans that are model calls, as usage records.

One line holds one `TracesData`: `resourceSpans[].scopeSpans[].spans[]`, attribute values as a
typed union (`{"intValue": "1200"}`, 64-bit integers usually as decimal strings), trace ids in
hex. Only spans that carry GenAI usage or a model and provider count; agent, workflow and tool
spans (which may sum their children's tokens) are left out as the alias table says.

This is the hot path of a million-span file. The alias table and the attribution sources are
compiled into one plan, attribute name -> what it means and how preferred it is, filled in as
names are first seen; each span's attributes are then walked once, and only the winning values
are converted.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

from ..providers import from_base_url, from_model_name, load_providers
from ._values import ValueProblem, as_float, as_int, parse_json_text
from .aliases import AliasTable
from .attribution import TAGS, AttributionReader, Found, first_text
from .records import CodeLocation, ReadProblem, UsageRecord

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
#: What the Collector's file exporter writes for the other signals.
_OTHER_SIGNALS = frozenset({"resourceLogs", "resourceMetrics", "resourceProfiles"})

# What an attribute can mean: a usage concept (a slot of the span's values) or one of these.
(_PROVIDER, _SERVER, _OPERATION, _RESPONSE_MODEL, _REQUEST_MODEL, _INPUT, _OUTPUT, _CACHE_READ, _CACHE_WRITE,
 _REASONING, _COST, _TIER, _CODE_PATH, _CODE_LINE, _USAGE_DETAILS, _COST_DETAILS, _TASK) = range(17)
_SLOTS = 17
_ATTRIBUTION, _TAGS, _EXCLUDE = -1, -2, -3
#: Resource attributes rank below the span's own.
_RESOURCE_OFFSET = 1000
_LAST = 1 << 30

Entry = tuple[int, int, Any]


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
        self.table = table
        self.attribution = attribution
        self.file = file
        self.rules = load_providers()
        #: provider name as written -> provider id
        self.providers: dict[str, str] = {}
        names = table.otlp
        static: dict[str, list[Entry]] = {}

        def add(slot: int, attribute_names: tuple[str, ...], payload: Any = None) -> None:
            for rank, name in enumerate(attribute_names):
                static.setdefault(name, []).append((slot, rank, payload))

        add(_PROVIDER, names.provider)
        add(_SERVER, names.server_address)
        add(_OPERATION, names.operation)
        add(_RESPONSE_MODEL, names.response_model)
        add(_REQUEST_MODEL, names.request_model)
        for rank, alias in enumerate(names.input_tokens):
            static.setdefault(alias.name, []).append((_INPUT, rank, alias.counts_cached))
        add(_OUTPUT, names.output_tokens)
        add(_CACHE_READ, names.cache_read_tokens)
        add(_CACHE_WRITE, names.cache_write_tokens)
        add(_REASONING, names.reasoning_tokens)
        add(_COST, names.cost_usd)
        add(_TIER, names.service_tier)
        add(_CODE_PATH, names.code_path)
        add(_CODE_LINE, names.code_line)
        add(_USAGE_DETAILS, names.usage_details)
        add(_COST_DETAILS, names.cost_details)
        for name, values in names.not_usage.items():
            static.setdefault(name, []).append((_EXCLUDE, 0, frozenset(values)))
        if attribution.task_key is not None:
            key = attribution.task_key
            add(_TASK, (key, *(prefix + key for prefix, _ in attribution.prefixes if prefix)))
        self.static = static
        #: attribute name -> its entries (None: means nothing here); filled as names are first seen.
        self.plan: dict[str, tuple[Entry, ...] | None] = {}

    def _compile(self, name: str) -> tuple[Entry, ...] | None:
        entries = list(self.static.get(name, ()))
        hit = self.attribution.classify(name)
        if hit is not None:
            key, rank = hit
            entries.append((_TAGS, rank, None) if key == TAGS else (_ATTRIBUTION, rank, key))
        if len(self.plan) >= 100_000:  # a source with unbounded attribute names can't grow the plan forever
            self.plan.clear()
        compiled = self.plan[name] = tuple(entries) if entries else None
        return compiled

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
            resource: tuple[Found, list[tuple[int, Any]]] | None = None
            scopes = resource_span.get("scopeSpans") or resource_span.get("instrumentationLibrarySpans") or ()
            for scope in scopes:
                spans = scope.get("spans") if type(scope) is dict else None
                if not spans:
                    continue
                for span in spans:
                    attributes = span.get("attributes") if type(span) is dict else None
                    if not attributes:
                        continue
                    if resource is None:
                        resource = self._resource(resource_span)
                    try:
                        item = self._span(span, attributes, line, resource)
                    except (TypeError, KeyError, AttributeError):
                        item = ReadProblem(self.file, line, f"span {_span_id(span)}: attributes must be a list of "
                                                            "{key, value} objects; the span is skipped")
                    if item is not None:
                        yield item

    def _resource(self, resource_span: dict[str, Any]) -> tuple[Found, list[tuple[int, Any]]]:
        """Attribution the resource carries, for every span under it, ranked below the span's own."""
        found: Found = {}
        tags: list[tuple[int, Any]] = []
        attributes = (resource_span.get("resource") or {}).get("attributes") or ()
        explicit = self.attribution.explicit_ranks
        for item in attributes:
            if type(item) is not dict:
                continue
            name = item.get("key")
            if type(name) is not str:
                continue
            entries = self.plan[name] if name in self.plan else self._compile(name)
            for slot, rank, payload in entries or ():
                rank = rank if rank < explicit else rank + _RESOURCE_OFFSET
                if slot == _ATTRIBUTION:
                    _keep(found, payload, rank, first_text(scalar(item.get("value"))))
                elif slot == _TAGS:
                    tags.append((rank, item.get("value")))
        return found, tags

    def _span(self, span: dict[str, Any], attributes: list[Any], line: int,
              resource: tuple[Found, list[tuple[int, Any]]]) -> UsageRecord | ReadProblem | None:
        plan = self.plan
        #: the winning attribute ({key, value}) per slot
        values: list[Any] = [None] * _SLOTS
        ranks = [_LAST] * _SLOTS
        found: Found = dict(resource[0])
        tag_values = list(resource[1])
        counts_cached = True
        for item in attributes:
            name = item["key"]
            entries = plan[name] if name in plan else self._compile(name)
            if entries is None:
                continue
            for slot, rank, payload in entries:
                if slot >= 0:
                    if rank < ranks[slot]:
                        ranks[slot] = rank
                        values[slot] = item
                        if slot == _INPUT:
                            counts_cached = payload
                elif slot == _ATTRIBUTION:
                    text = _text(item)
                    if text is not None:
                        current = found.get(payload)
                        if current is None or rank < current[0]:
                            found[payload] = (rank, text)
                elif slot == _TAGS:
                    tag_values.append((rank, item.get("value")))
                else:
                    excluded = scalar(item.get("value"))
                    if type(excluded) is str and excluded in payload:
                        return None
        if (values[_INPUT] is None and values[_OUTPUT] is None and values[_PROVIDER] is None
                and values[_OPERATION] is None and values[_USAGE_DETAILS] is None):
            return None  # not a GenAI span
        return self._record(span, values, counts_cached, found, tag_values, line)

    def _record(self, span: dict[str, Any], values: list[Any], counts_cached: bool, found: Found,
                tag_values: list[tuple[int, Any]], line: int) -> UsageRecord | ReadProblem | None:
        usage = None
        if values[_USAGE_DETAILS] is not None:
            usage = parse_json_text(_value(values[_USAGE_DETAILS]))
            usage = usage if isinstance(usage, dict) else None
        try:
            input_tokens = _token(values[_INPUT])
            output_tokens = _token(values[_OUTPUT])
            cached = _token(values[_CACHE_READ]) or 0
            written = _token(values[_CACHE_WRITE]) or 0
            reasoning = _token(values[_REASONING])
            if usage is not None:
                keys = self.table.usage_details
                if input_tokens is None:
                    input_tokens, counts_cached = _detail_input(usage, keys.input_tokens)
                output_tokens = _either(output_tokens, usage, keys.output_tokens)
                cached = _either(cached or None, usage, keys.cache_read_tokens) or 0
                written = _either(written or None, usage, keys.cache_write_tokens) or 0
                reasoning = _either(reasoning, usage, keys.reasoning_tokens)
        except ValueProblem as exc:
            return ReadProblem(self.file, line, f"span {_span_id(span)}: {exc}; the span is skipped")
        model = _text(values[_RESPONSE_MODEL]) or _text(values[_REQUEST_MODEL])
        if model is None and input_tokens is None and output_tokens is None:
            return None  # names a provider or an operation but neither a model nor usage: not a billable call
        if input_tokens is not None and (not counts_cached or input_tokens < cached + written):
            input_tokens += cached + written
        try:
            timestamp = _span_time(span)
        except (ValueProblem, ValueError, TypeError, OverflowError) as exc:
            return ReadProblem(self.file, line, f"span {_span_id(span)}: {exc}; the span is skipped")
        cost = None
        if values[_COST] is not None or values[_COST_DETAILS] is not None:
            try:
                cost = as_float(_value(values[_COST]))
                if cost is None and values[_COST_DETAILS] is not None:
                    cost = _cost_from_details(parse_json_text(_value(values[_COST_DETAILS])))
            except ValueProblem:
                cost = None  # a reported cost is kept for comparison only; an unreadable one is no cost
        tags: list[str] = []
        for rank, raw in tag_values:
            self.attribution.tags(scalar(raw), rank, found, tags)
        task = _text(values[_TASK]) if values[_TASK] is not None else None
        tier = _text(values[_TIER]) if values[_TIER] is not None else None
        return UsageRecord(
            source="otlp", file=self.file, line=line, timestamp=timestamp,
            task_id=task or span.get("traceId") or None,
            provider=self._provider(values, model), model=model, operation=_text(values[_OPERATION]),
            input_tokens=input_tokens, cached_input_tokens=cached, cache_write_tokens=written,
            output_tokens=output_tokens, reasoning_tokens=reasoning, reported_cost_usd=cost,
            attribution=tuple(sorted([(key, value) for key, (_, value) in found.items()])) if found else (),
            tags=tuple(tags), service_tier=tier.lower() if tier else None,
            code=self._code(values) if values[_CODE_PATH] is not None else None,
            record_id=span.get("spanId") or None,
        )

    def _provider(self, values: list[Any], model: str | None) -> str | None:
        named = _value(values[_PROVIDER])
        if type(named) is str:
            canonical = self.providers.get(named)
            if canonical is None:
                canonical = self.providers[named] = self.table.canonical_provider(named)
            return canonical
        address = _text(values[_SERVER])
        if address is not None:
            by_host = from_base_url(address, self.rules)
            if by_host is not None:
                return by_host.provider
        if model is not None:
            by_name = from_model_name(model, self.rules)
            if by_name is not None:
                return by_name.provider
        return None

    @staticmethod
    def _code(values: list[Any]) -> CodeLocation | None:
        if values[_CODE_PATH] is None:
            return None
        path = _text(values[_CODE_PATH])
        if path is None:
            return None
        try:
            line = as_int(_value(values[_CODE_LINE]))
        except (ValueProblem, ValueError):
            line = None
        return CodeLocation(path, line if line is not None and line > 0 else None)


def _keep(found: Found, key: str, rank: int, value: str | None) -> None:
    if value is not None:
        current = found.get(key)
        if current is None or rank < current[0]:
            found[key] = (rank, value)


def _value(item: Any) -> Any:
    """The Python value of a winning `{key, value}` attribute (None when no attribute won)."""
    if item is None:
        return None
    value = item.get("value")
    if type(value) is dict:
        text = value.get("stringValue")  # most attributes are strings: skip the general conversion
        if text is not None:
            return text
    return scalar(value)


def _text(item: Any) -> str | None:
    """A winning attribute as a label: stripped text, the first element of an array; None when empty."""
    if item is None:
        return None
    value = item.get("value")
    text = value.get("stringValue") if type(value) is dict else None
    if type(text) is str:
        text = text.strip()
        return text or None
    return first_text(scalar(value))


def _token(item: Any) -> int | None:
    """A token count attribute; a value that is not one is a problem that names the attribute."""
    if item is None:
        return None
    raw = item.get("value")
    try:
        number = raw.get("intValue") if type(raw) is dict else None
        if number is not None:
            return int(number)  # a decimal string or a JSON number, the usual case
        return as_int(scalar(raw))
    except (ValueError, TypeError):
        shown = next(iter(raw.values()), raw) if isinstance(raw, dict) and raw else raw
        raise ValueProblem(f"{item.get('key')} is {shown!r}, not a token count") from None


def _either(count: int | None, usage: dict[str, Any] | None, keys: tuple[str, ...]) -> int | None:
    """The attribute's count, else the first of `keys` in a Langfuse usage_details object."""
    if count is not None or usage is None:
        return count
    for key in keys:
        value = as_int(usage.get(key))
        if value is not None:
            return value
    return None


def _detail_input(usage: dict[str, Any], aliases: Any) -> tuple[int | None, bool]:
    for alias in aliases:
        value = as_int(usage.get(alias.name))
        if value is not None:
            return value, alias.counts_cached
    return None, True


def _span_id(span: Any) -> str:
    if isinstance(span, dict):
        return str(span.get("spanId") or span.get("name") or "?")
    return "?"


def _span_time(span: dict[str, Any]) -> datetime:
    raw = span.get("startTimeUnixNano") or span.get("endTimeUnixNano")
    if raw is None or raw == "" or raw == "0" or raw == 0:
        raise ValueProblem("no startTimeUnixNano, so the call can't be dated or priced")
    # integer arithmetic keeps the microseconds exact, which float seconds would not
    return _EPOCH + timedelta(microseconds=int(raw) // 1000)


def _cost_from_details(details: Any) -> float | None:
    """A Langfuse cost_details object: its `total`, else the sum of its parts."""
    if not isinstance(details, dict) or not details:
        return None
    if "total" in details:
        return as_float(details["total"])
    parts = [as_float(value) for value in details.values()]
    known = [part for part in parts if part is not None]
    return sum(known) if known else None
