"""What each attribution transport accepts, and what makes a value useless for attribution.

Limits come from the providers' request schemas (see shared reference `sdk-surface.md` §4):
OpenAI `metadata` (16 pairs, keys <= 64 and values <= 512 characters, strings only), Anthropic
`metadata` (only `user_id`), Bedrock Converse `requestMetadata` (1-16 entries, keys 1-256 and
values 0-256 characters in `[a-zA-Z0-9\\s:_@$#=/+,-.]`), Google `labels` (lowercase letters,
digits, `_` and `-`, keys start with a letter, <= 63 characters, <= 64 labels) and HTTP header
rules for gateway headers (visible ASCII, no line breaks), and the JSON metadata headers of gateways:
Portkey `x-portkey-metadata` and TrueFoundry `X-TFY-METADATA` (values <= 128 characters),
Cloudflare AI Gateway `cf-aig-metadata` (at most 5 entries, the rest ignored).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .callsite import AttributionEntry, ExtractedCallSite


@dataclass(frozen=True, slots=True)
class LimitProblem:
    """One entry (or a whole carrier) a transport would reject or truncate."""

    carrier: str
    key: str | None
    message: str


_BEDROCK_CHARS = re.compile(r"^[a-zA-Z0-9\s:_@$#=/+,\-.]*$")
_LABEL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
_LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
_HEADER_VALUE = re.compile(r"^[\x20-\x7e\t]*$")
#: Gateways that take attribution as a JSON object in one header: (most entries, longest value).
_JSON_HEADERS: dict[str, tuple[int | None, int | None]] = {
    "x-portkey-metadata": (None, 128),
    "cf-aig-metadata": (5, None),
    "x-tfy-metadata": (None, 128),
}


def _transport(site: ExtractedCallSite, entry: AttributionEntry) -> str | None:
    carrier = entry.carrier
    last = re.split(r"[.\[\]\"']+", carrier.lower().strip(".[]\"'"))[-1]
    if last in _JSON_HEADERS:
        return last
    if entry.is_header:
        return "header"
    if carrier == "metadata" and site.provider in ("openai", "azure-openai") and site.framework is None:
        return "openai-metadata"
    if carrier == "metadata" and site.framework is None and site.api.split(".")[0] == "anthropic":
        return "anthropic-metadata"
    if carrier.split(".")[-1] == "requestMetadata":
        return "bedrock-request-metadata"
    if carrier.split(".")[-1] == "labels":
        return "labels"
    return None


def transport_problems(site: ExtractedCallSite) -> Iterator[LimitProblem]:
    """Entries of a call's carriers that their transport would reject."""
    by_carrier: dict[tuple[str, str], list[AttributionEntry]] = {}
    for entry in site.attribution:
        transport = _transport(site, entry)
        if transport is not None:
            by_carrier.setdefault((transport, entry.carrier), []).append(entry)
    for (transport, carrier), entries in sorted(by_carrier.items()):
        yield from _check(transport, carrier, entries)


def _check(transport: str, carrier: str, entries: list[AttributionEntry]) -> Iterator[LimitProblem]:
    if transport == "openai-metadata":
        if len(entries) > 16:
            yield LimitProblem(carrier, None, f"OpenAI `metadata` takes at most 16 pairs; this call sends {len(entries)}")
        for entry in entries:
            if len(entry.key) > 64:
                yield LimitProblem(carrier, entry.key, f"OpenAI `metadata` keys are at most 64 characters; {entry.key!r} has {len(entry.key)}")
            value = entry.value.value if entry.value.known else None
            if value is not None and not isinstance(value, str):
                yield LimitProblem(carrier, entry.key, f"OpenAI `metadata` values must be strings; {entry.key!r} is {value!r}")
            elif isinstance(value, str) and len(value) > 512:
                yield LimitProblem(carrier, entry.key, f"OpenAI `metadata` values are at most 512 characters; {entry.key!r} has {len(value)}")
    elif transport == "anthropic-metadata":
        for entry in entries:
            if entry.key != "user_id":
                yield LimitProblem(carrier, entry.key, f"Anthropic `metadata` accepts only `user_id`, so {entry.key!r} is rejected; "
                                                       "send attribution as gateway headers (`extra_headers`) instead")
    elif transport == "bedrock-request-metadata":
        if len(entries) > 16:
            yield LimitProblem(carrier, None, f"Bedrock `requestMetadata` takes at most 16 entries; this call sends {len(entries)}")
        for entry in entries:
            value = entry.value.value if entry.value.known else None
            if not 1 <= len(entry.key) <= 256 or not _BEDROCK_CHARS.match(entry.key):
                yield LimitProblem(carrier, entry.key, f"Bedrock `requestMetadata` keys are 1-256 characters of [a-zA-Z0-9 :_@$#=/+,-.]; {entry.key!r} is not")
            if isinstance(value, str) and (len(value) > 256 or not _BEDROCK_CHARS.match(value)):
                yield LimitProblem(carrier, entry.key, f"Bedrock `requestMetadata` values are at most 256 characters of "
                                                       f"[a-zA-Z0-9 :_@$#=/+,-.]; {entry.key}={value!r} is not")
    elif transport == "labels":
        if len(entries) > 64:
            yield LimitProblem(carrier, None, f"Google `labels` take at most 64 labels; this call sends {len(entries)}")
        for entry in entries:
            value = entry.value.value if entry.value.known else None
            if not _LABEL_KEY.match(entry.key):
                yield LimitProblem(carrier, entry.key, f"Google label keys are lowercase letters, digits, `_` and `-`, start with a "
                                                       f"letter and have at most 63 characters; {entry.key!r} is not")
            if isinstance(value, str) and not _LABEL_VALUE.match(value):
                yield LimitProblem(carrier, entry.key, f"Google label values are lowercase letters, digits, `_` and `-`, at most 63 "
                                                       f"characters; {entry.key}={value!r} is not")
    elif transport in _JSON_HEADERS:
        most, longest = _JSON_HEADERS[transport]
        if most is not None and len(entries) > most:
            yield LimitProblem(carrier, None, f"the gateway reads at most {most} entries of `{transport}` and ignores the rest; "
                                              f"this call sends {len(entries)}")
        for entry in entries:
            value = entry.value.value if entry.value.known else None
            if longest is not None and isinstance(value, str) and len(value) > longest:
                yield LimitProblem(carrier, entry.key, f"`{transport}` values are at most {longest} characters; "
                                                       f"{entry.key!r} has {len(value)}")
    elif transport == "header":
        for entry in entries:
            value = entry.value.value if entry.value.known else None
            if not re.match(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$", entry.key):
                yield LimitProblem(carrier, entry.key, f"{entry.key!r} is not a valid HTTP header name")
            if isinstance(value, str) and not _HEADER_VALUE.match(value):
                yield LimitProblem(carrier, entry.key, f"header {entry.key} has a value with line breaks or non-ASCII characters, "
                                                       "which HTTP clients reject; encode it")


# --- high cardinality ---------------------------------------------------------------------

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[t _]\d{2}[-:_]\d{2}|^\d{10}(\d{3})?$", re.IGNORECASE)
_LONG_ID = re.compile(r"^(?:[0-9a-f]{16,}|\d{8,})$", re.IGNORECASE)
_DYNAMIC_ID = re.compile(
    r"uuid|time\.time|time_ns|datetime\.|\.now\(|\.utcnow\(|timestamp|request[-_]?id|trace[-_]?id|span[-_]?id|"
    r"session[-_]?id|user[-_]?id|\buser\.id\b|\brequest\.id\b|customer[-_]?id|\bemail\b|secrets\.token|random",
    re.IGNORECASE)


def high_cardinality(value: str | None, expression: str | None) -> str | None:
    """Why a value looks unique per request or per user (no use for grouping spend), or None."""
    if value is not None:
        if _UUID.search(value):
            return "looks like a UUID"
        if _TIMESTAMP.search(value):
            return "looks like a timestamp"
        if _LONG_ID.match(value):
            return "looks like an id"
        return None
    if expression is not None:
        match = _DYNAMIC_ID.search(expression)
        if match is not None:
            return f"is computed from `{expression}`, which changes per request or per user"
    return None
