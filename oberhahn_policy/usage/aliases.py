"""The alias table: how each usage source names provider, model, tokens, cost and attribution.

The table is data (oberhahn_policy/data/genai-attributes.yaml), versioned and validated here,
because the GenAI conventions rename attributes every few months and vendors add their own
spellings: a new spelling is a line in the file, never a change to a reader. The readers
know the concepts (`input_tokens`, `provider`), the table knows the names.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..packaged import packaged_yaml
from ..providers import provider_ids
from ..published_schema import JSON_SCHEMA_DIALECT

Names = tuple[str, ...]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TokenAlias(_Data):
    """An input-token count under one name, and whether that count includes cached input."""

    name: str = Field(min_length=1)
    #: False where the source counts cached reads and writes separately (Langfuse's `input`).
    counts_cached: bool = True


class AttributionSources(_Data):
    """Where one source carries attribution keys, in the order they are preferred."""

    #: `PREFIX + key` carries the key (`traceloop.association.properties.use_case`); "" is the plain key.
    prefixes: Names = ()
    #: Containers of HTTP headers (`http.request.header.`), read with the policy's header_prefix.
    header_containers: Names = ()
    #: Lists of `key:value` tags.
    tags: Names = ()
    #: Fields that carry one attribution key when nothing more specific does (LiteLLM's team).
    key_fields: dict[str, Names] = Field(default_factory=dict)


class _TokenNames(_Data):
    input_tokens: tuple[TokenAlias, ...] = ()
    output_tokens: Names = ()
    cache_read_tokens: Names = ()
    cache_write_tokens: Names = ()
    reasoning_tokens: Names = ()

    @field_validator("input_tokens", mode="before")
    @classmethod
    def _plain_names(cls, value: Any) -> Any:
        """A plain name counts cached input, as the conventions define input tokens."""
        if isinstance(value, (list, tuple)):
            return [{"name": item} if isinstance(item, str) else item for item in value]
        return value


class OtlpNames(_TokenNames):
    """Span attribute names (OpenTelemetry GenAI conventions and vendors)."""

    #: Sets of top-level keys, any one of which marks a document of this source.
    detect: tuple[Names, ...]
    provider: Names
    server_address: Names = ()
    operation: Names = ()
    response_model: Names = ()
    request_model: Names = ()
    cost_usd: Names = ()
    service_tier: Names = ()
    code_path: Names = ()
    code_line: Names = ()
    #: Attributes holding a JSON object in Langfuse's usage_details / cost_details shape.
    usage_details: Names = ()
    cost_details: Names = ()
    #: attribute -> values that mark a span as not itself a model call.
    not_usage: dict[str, Names] = Field(default_factory=dict)
    attribution: AttributionSources = AttributionSources()


class RowNames(_TokenNames):
    """Dotted paths into a row of an exported table (LiteLLM spend logs, Langfuse observations)."""

    detect: tuple[Names, ...]
    record_id: Names = ()
    #: The row's kind, and the kinds that are model calls (Langfuse `type: GENERATION`).
    kind: Names = ()
    usage_kinds: Names = ()
    timestamp: Names
    task_id: Names = ()
    provider: Names = ()
    model: Names = ()
    operation: Names = ()
    usage_details: Names = ()
    cost_usd: Names = ()
    cost_details: Names = ()
    service_tier: Names = ()
    code_path: Names = ()
    code_line: Names = ()
    attribution: AttributionSources = AttributionSources()


class UsageDetailKeys(_TokenNames):
    """Keys of a Langfuse usage_details object."""


class AliasTable(_Data):
    """The whole table as written."""

    version: str = Field(min_length=1)
    otlp: OtlpNames
    litellm: RowNames
    langfuse: RowNames
    usage_details: UsageDetailKeys
    #: Provider names as telemetry spells them -> canonical provider ids (SPEC §7).
    providers: dict[str, str]

    @model_validator(mode="after")
    def _canonical_providers(self) -> AliasTable:
        known = provider_ids()
        for name, provider in self.providers.items():
            if provider not in known:
                raise ValueError(f"providers.{name}: {provider!r} is not a provider id ({', '.join(sorted(known))})")
            if name != name.lower():
                raise ValueError(f"providers.{name}: write provider names in lower case (they match ignoring case)")
        return self

    def canonical_provider(self, name: str) -> str:
        """Our provider id for a telemetry provider name; the name as written when the table doesn't know it."""
        return self.providers.get(name.strip().lower(), name.strip())


def parse_alias_table(data: Any) -> AliasTable:
    return AliasTable.model_validate(data)


@lru_cache(maxsize=1)
def load_alias_table() -> AliasTable:
    """The table bundled with the package (parsed once per process; it is immutable)."""
    return parse_alias_table(packaged_yaml("genai-attributes.yaml"))


def alias_table_json_schema() -> dict[str, Any]:
    """The schema of the alias table file, generated from `AliasTable`."""
    schema = AliasTable.model_json_schema(mode="validation")
    schema["$schema"] = JSON_SCHEMA_DIALECT
    return schema
