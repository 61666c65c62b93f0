"""Reading the policy's attribution keys (and the task key) out of usage records.

A key can travel under many names: plain (`use_case`, `Use-Case`), under a vendor prefix
(`traceloop.association.properties.use_case`, `metadata.spend_logs_metadata.use_case`), as an
HTTP header the policy's `header_prefix` names, as a `use_case:ticket-triage` tag, or in a field
that means it (LiteLLM's team alias). Where several carry the same key the most specific wins,
in this order: the policy's `usage.attribute_keys`, its `usage.attribute_prefixes`, then the
source's built-in prefixes, headers, tags and key fields as the alias table lists them.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..policy.model import Policy
from ..policy.usage_settings import UsageSettings
from ..resolve import header_key, normalise_key
from ._values import as_text, parse_json_text, walk
from .aliases import AttributionSources

#: The keys usage is aggregated by; always read, whatever the policy requires.
CORE_KEYS = ("team", "use_case")
#: What `classify` returns for an attribute holding `key:value` tags.
TAGS = "\0tags"

Found = dict[str, tuple[int, str]]


def wanted_keys(policy: Policy) -> frozenset[str]:
    """Every attribution key the policy talks about, normalised."""
    keys = {*CORE_KEYS, *policy.attribution.required, *policy.attribution.optional, *policy.usage.attribute_keys}
    return frozenset(normalise_key(key) for key in keys)


class AttributionReader:
    """Finds attribution keys in one source's records, following the precedence above."""

    def __init__(self, wanted: frozenset[str], header_prefixes: tuple[str, ...], settings: UsageSettings,
                 sources: AttributionSources) -> None:
        self.wanted = wanted
        self.header_prefixes = header_prefixes
        self.separator = settings.tag_separator
        rank = 0
        #: exact name -> (key, rank)
        self.explicit: dict[str, tuple[str, int]] = {}
        for key, names in settings.attribute_keys.items():
            for name in names:
                self.explicit.setdefault(name, (normalise_key(key), rank))
                rank += 1
        #: Ranks below this are the policy's explicit names, which win wherever they are found.
        self.explicit_ranks = rank
        defaults = settings.default_sources
        self.prefixes: list[tuple[str, int]] = []
        for prefix in (*settings.attribute_prefixes, *(sources.prefixes if defaults else ())):
            self.prefixes.append((prefix, rank))
            rank += 1
        self.header_containers: list[tuple[str, int]] = []
        for container in sources.header_containers if defaults else ():
            self.header_containers.append((container, rank))
            rank += 1
        self.tag_fields: list[tuple[str, int]] = []
        for field_name in sources.tags if defaults else ():
            self.tag_fields.append((field_name, rank))
            rank += 1
        self.key_fields: list[tuple[str, str, int]] = []
        for key, names in (sources.key_fields.items() if defaults else ()):
            for name in names:
                self.key_fields.append((normalise_key(key), name, rank))
                rank += 1
        self.task_key = settings.task_key

    def classify(self, name: str) -> tuple[str, int] | None:
        """Which key an attribute name carries, and its rank; None for every other attribute."""
        hit = self.explicit.get(name)
        if hit is not None:
            return hit
        for prefix, rank in self.prefixes:
            if name.startswith(prefix) and len(name) > len(prefix):
                key = normalise_key(name[len(prefix):])
                if key in self.wanted:
                    return key, rank
        for container, rank in self.header_containers:
            if name.startswith(container):
                key_or_none = header_key(name[len(container):], self.header_prefixes)
                if key_or_none is not None and key_or_none in self.wanted:
                    return key_or_none, rank
        for field_name, rank in self.tag_fields:
            if name == field_name:
                return TAGS, rank
        for key, field_name, rank in self.key_fields:
            if name == field_name and key in self.wanted:
                return key, rank
        return None

    # --- nested rows (LiteLLM, Langfuse) --------------------------------------------------------

    def from_row(self, row: dict[str, Any], found: Found, tags: list[str]) -> None:
        """Add what a row (nested objects, JSON text in cells) carries to `found`."""
        for name, (key, rank) in self.explicit.items():
            self._keep(found, key, rank, first_text(walk(row, name)))
        for prefix, rank in self.prefixes:
            container = parse_json_text(walk(row, prefix.rstrip("."))) if prefix else row
            if isinstance(container, dict):
                for name, value in container.items():
                    key = normalise_key(name)
                    if key in self.wanted:
                        self._keep(found, key, rank, first_text(value))
        for container_name, rank in self.header_containers:
            headers = parse_json_text(walk(row, container_name.rstrip(".")))
            if isinstance(headers, dict):
                for header, value in headers.items():
                    key_or_none = header_key(str(header), self.header_prefixes)
                    if key_or_none is not None and key_or_none in self.wanted:
                        self._keep(found, key_or_none, rank, first_text(value))
        for field_name, rank in self.tag_fields:
            self.tags(parse_json_text(walk(row, field_name)), rank, found, tags)
        for key, field_name, rank in self.key_fields:
            if key in self.wanted:
                self._keep(found, key, rank, first_text(walk(row, field_name)))

    def task_from_row(self, row: dict[str, Any]) -> str | None:
        key = self.task_key
        if key is None:
            return None
        value = as_text(walk(row, key))
        for prefix, _ in self.prefixes:
            if value is not None:
                break
            if prefix:
                value = as_text(walk(row, prefix + key))
        return value

    # --- shared ---------------------------------------------------------------------------------

    def tags(self, value: Any, rank: int, found: Found, tags: list[str]) -> None:
        if isinstance(value, str):
            items: Iterable[Any] = [part for part in value.split(",")] if "," in value else [value]
        elif isinstance(value, (list, tuple)):
            items = value
        else:
            return
        for item in items:
            text = as_text(item)
            if text is None:
                continue
            name, separator, tag_value = text.partition(self.separator)
            key = normalise_key(name) if separator else ""
            if separator and key in self.wanted and tag_value.strip():
                self._keep(found, key, rank, tag_value.strip())
            elif text not in tags:
                tags.append(text)

    @staticmethod
    def _keep(found: Found, key: str, rank: int, value: str | None) -> None:
        if value is None:
            return
        current = found.get(key)
        if current is None or rank < current[0]:
            found[key] = (rank, value)


def first_text(value: Any) -> str | None:
    """A scalar as text; for a list (OTel header attributes are string arrays) its first element."""
    if isinstance(value, (list, tuple)):
        return as_text(value[0]) if value else None
    return as_text(value)


def attribution_tuple(found: Found) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((key, value) for key, (_, value) in found.items()))
