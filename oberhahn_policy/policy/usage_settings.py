"""The policy's `usage:` section: where attribution and the task travel in observed usage records.

It lives beside the policy model (not in `oberhahn_policy.usage`) so that the policy model can
hold it without importing the readers, which themselves read the policy.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class UsageSettings(BaseModel):
    """Telemetry attribute names that carry the policy's attribution keys, and the task key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Extra prefixes under which attribution keys travel, tried before the built-in ones:
    #: `app.` reads `app.team` and `app.use_case` (span attributes, or dotted paths into a
    #: LiteLLM or Langfuse row such as `metadata.tenant_tags.`).
    attribute_prefixes: tuple[str, ...] = ()
    #: Exact attribute names (or dotted row paths) per attribution key, tried first of all:
    #: `{team: [service.namespace]}`.
    attribute_keys: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    #: Whether the built-in sources count too (the policy's keys as plain attributes,
    #: `traceloop.association.properties.*`, Langfuse metadata, LiteLLM metadata, tags and team).
    default_sources: bool = True
    #: The attribute naming the task a record belongs to (`ticket.id`), looked up as written and
    #: under every attribution prefix; by default a task is a trace (OTLP, Langfuse) or a LiteLLM
    #: session, else its request.
    task_key: str | None = None
    #: What separates key and value in a `key:value` tag (LiteLLM `request_tags`, Langfuse `tags`).
    tag_separator: str = Field(default=":", min_length=1)

    @field_validator("attribute_prefixes")
    @classmethod
    def _prefixes_not_empty(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not prefix for prefix in value):
            raise ValueError("an attribute prefix must not be empty (plain attribute names are a built-in source)")
        return value
