"""Reading attribution out of a carrier's value: dict entries, headers with the gateways' conventions, tags.

A carrier's value is a `StaticValue` read as a dict or list (`Evaluator.structure`). Besides plain
keys, the gateways' own conventions count wherever headers or metadata travel (data:
`gateways` in data/sdk-surface.yaml): a JSON metadata header (`x-portkey-metadata`,
`cf-aig-metadata`), a tag header (`x-litellm-tags: team:support,use_case:triage`), the tag list
of a metadata dict (`{"tags": ["team:support"]}`); property-header prefixes (`Helicone-Property-`)
are applied by resolve, next to the policy's own prefixes.

Extraction reads what one file shows. A carrier whose value needs another module's constant
(`metadata=BASE_METADATA`, `{**settings.BASE, "use_case": "x"}`) it leaves whole to resolve, which
reads it again once those constants are known (`final`). Whatever stays unreadable (a parameter,
a call's result) comes back as an unread piece, so a key that may be in it is never called absent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Iterable, Mapping

from .callsite import AttributionEntry, CarrierKind, OpaqueCarrier, StaticValue
from .surface import Gateway, load_surface

#: How a tag names its key: `team:support`, `team=support`.
TAG_SEPARATORS = (":", "=")
#: A JSON header's value is short; anything longer is no metadata a gateway reads.
_MAX_JSON_CHARACTERS = 65_536
#: The literal start of an f-string tag up to its first field: `f"request:{rid}"` names the key `request`.
_FSTRING_START = re.compile(r"""^[rR]?[fF][rR]?(?:'''|\"\"\"|'|")([^{'"\\]*)""")


@dataclass(frozen=True, slots=True)
class GatewayConventions:
    """The gateways' conventions, indexed for reading carriers."""

    #: Header names (lower case) whose value is a JSON object of keys.
    json_headers: frozenset[str] = frozenset()
    #: Header names (lower case) whose value is tags -> the separator between tags.
    tag_headers: Mapping[str, str] = field(default_factory=dict)
    #: Header names (lower case) that carry one key -> that key.
    scalar_headers: Mapping[str, str] = field(default_factory=dict)
    #: Keys of a metadata dict that hold a list of tags.
    tag_fields: frozenset[str] = frozenset()
    #: Header prefixes whose remainder names the key (`Helicone-Property-`).
    header_prefixes: tuple[str, ...] = ()

    @classmethod
    def of(cls, gateways: Iterable[Gateway]) -> GatewayConventions:
        json_headers: set[str] = set()
        tag_headers: dict[str, str] = {}
        scalar_headers: dict[str, str] = {}
        tag_fields: set[str] = set()
        prefixes: list[str] = []
        for gateway in gateways:
            for header in gateway.headers:
                name = header.name.lower()
                if header.format == "json":
                    json_headers.add(name)
                elif header.format == "tags":
                    tag_headers[name] = header.separator
                elif header.key is not None:
                    scalar_headers[name] = header.key
            tag_fields.update(gateway.tag_fields)
            prefixes.extend(gateway.header_prefixes)
        return cls(frozenset(json_headers), tag_headers, scalar_headers, frozenset(tag_fields), tuple(prefixes))


@lru_cache(maxsize=1)
def gateway_conventions() -> GatewayConventions:
    """The conventions of the gateways the shipped SDK surface data describes."""
    return GatewayConventions.of(load_surface().gateways)


@dataclass(frozen=True, slots=True)
class CarrierReading:
    """What a carrier holds."""

    #: The entries read (a gateway's JSON header and tags give one each, beside the header itself).
    entries: tuple[AttributionEntry, ...] = ()
    #: The carrier, or the pieces of it, that can't be read: any key may be in those.
    unread: tuple[OpaqueCarrier, ...] = ()


class _NeedsResolve(Exception):
    """A piece names another module's constant: only resolve can read it."""


def needs_resolve(value: StaticValue) -> bool:
    """The value is not known here but names project constants resolve may know."""
    return not value.known and (value.reference is not None or bool(value.parts))


def read_carrier(place: OpaqueCarrier, value: StaticValue, conventions: GatewayConventions, *,
                 final: bool) -> CarrierReading | None:
    """The attribution in a carrier's value; None when it needs constants of other modules and this is not `final`.

    `place` says which carrier it is (path, layer, kind, the key of a scalar carrier, where it sits inside `value`);
    its `expression` is the carrier's source text.
    """
    reader = _Reader(place, conventions, final)
    try:
        reader.read(value)
    except _NeedsResolve:
        return None
    return CarrierReading(tuple(reader.entries), tuple(reader.unread))


class _Reader:
    def __init__(self, place: OpaqueCarrier, conventions: GatewayConventions, final: bool) -> None:
        self.place = place
        self.conventions = conventions
        self.final = final
        self.entries: list[AttributionEntry] = []
        self.unread: list[OpaqueCarrier] = []

    def read(self, value: StaticValue) -> None:
        place = self.place
        target = value
        for part in place.within.split(".") if place.within else ():
            if target.entries is not None:
                found = dict(target.entries).get(part)
                if found is None:
                    return  # a dict without the key: the carrier isn't there
                target = found
            else:
                if needs_resolve(target) and not self.final:
                    raise _NeedsResolve
                self.unread.append(replace(place, expression=target.expression, value=None))
                return
        self._value(target, place.carrier, place.kind, place.key)

    def _value(self, value: StaticValue, carrier: str, kind: CarrierKind, key: str | None) -> None:
        if kind == "scalar":
            self.entries.append(AttributionEntry(key or carrier, value, carrier, self.place.layer))
        elif kind in ("mapping", "headers"):
            self._mapping(value, carrier, headers=kind == "headers")
        elif kind == "tags":
            self._tags(value, carrier, None)
        elif kind == "json":
            self._json(value, carrier)
        else:
            self._unreadable(value, carrier, kind, key)

    def _unreadable(self, value: StaticValue, carrier: str, kind: CarrierKind, key: str | None = None) -> None:
        if needs_resolve(value) and not self.final:
            raise _NeedsResolve
        self.unread.append(OpaqueCarrier(carrier, self.place.layer, value.expression, kind, key))

    def _mapping(self, value: StaticValue, carrier: str, headers: bool) -> None:
        for piece in value.merged or (value,):
            if piece.entries is None:
                self._unreadable(piece, carrier, "headers" if headers else "mapping")
                continue
            for key, item in piece.entries:
                if headers:
                    self._header(key, item, carrier)
                else:
                    if key in self.conventions.tag_fields:
                        self._tags(item, f"{carrier}.{key}", None)
                    self.entries.append(AttributionEntry(key, item, carrier, self.place.layer))

    def _header(self, name: str, value: StaticValue, carrier: str) -> None:
        lowered = name.lower()
        inner = f"{carrier}.{name}"
        if lowered in self.conventions.json_headers:
            self._json(value, inner)
        elif lowered in self.conventions.tag_headers:
            self._tags(value, inner, self.conventions.tag_headers[lowered])
        elif lowered in self.conventions.scalar_headers:
            self.entries.append(AttributionEntry(self.conventions.scalar_headers[lowered], value, inner, self.place.layer))
        self.entries.append(AttributionEntry(name, value, carrier, self.place.layer, is_header=True))

    def _json(self, value: StaticValue, carrier: str) -> None:
        """A gateway's JSON metadata header: a JSON string, or the dict `json.dumps` encodes."""
        if value.known and isinstance(value.value, str):
            if len(value.value) > _MAX_JSON_CHARACTERS:
                return
            try:
                parsed = json.loads(value.value)
            except ValueError:
                return  # not JSON: the gateway reads no keys from it
            if isinstance(parsed, dict):
                for key, item in parsed.items():
                    if isinstance(item, (str, int, float, bool)):
                        literal = StaticValue(expression=value.expression, value=item, known=True, source=value.source)
                        self.entries.append(AttributionEntry(str(key), literal, carrier, self.place.layer))
            return
        if value.entries is not None or value.merged:
            self._mapping(value, carrier, headers=False)
            return
        self._unreadable(value, carrier, "json")

    def _tags(self, value: StaticValue, carrier: str, separator: str | None) -> None:
        """`key:value` tags: a list of them, or one string of them joined by `separator` (a tag header)."""
        if value.known and isinstance(value.value, str):
            for text in value.value.split(separator) if separator else (value.value,):
                self._tag(text, value, carrier)
            return
        for piece in value.merged or (value,):
            if piece.items is None:
                if piece.known and isinstance(piece.value, str):
                    self._tag(piece.value, piece, carrier)
                else:
                    self._unreadable(piece, carrier, "tags")
                continue
            for item in piece.items:
                if item.known:
                    if isinstance(item.value, str):
                        self._tag(item.value, item, carrier)
                    continue  # a number or a flag names no key
                key = _fstring_key(item.expression)
                if key is not None:
                    # `f"request:{rid}"`: the key is written out, only its value is computed
                    self.entries.append(AttributionEntry(key, StaticValue.unknown(item.expression), carrier,
                                                         self.place.layer))
                else:
                    self._unreadable(item, carrier, "tags")

    def _tag(self, text: str, value: StaticValue, carrier: str) -> None:
        for separator in TAG_SEPARATORS:
            key, found, rest = text.partition(separator)
            if found and key.strip() and rest.strip():
                literal = StaticValue(expression=value.expression, value=rest.strip(), known=True, source=value.source)
                self.entries.append(AttributionEntry(key.strip(), literal, carrier, self.place.layer))
                return


def _fstring_key(expression: str) -> str | None:
    """The key an f-string tag writes out before its first field (`f"team:{name}"` -> `team`), else None."""
    match = _FSTRING_START.match(expression.strip())
    if match is None:
        return None
    for separator in TAG_SEPARATORS:
        key, found, _ = match.group(1).partition(separator)
        if found and key.strip():
            return key.strip()
    return None
