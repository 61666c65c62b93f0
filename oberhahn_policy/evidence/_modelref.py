"""Which model an evaluation ran: the tool's name for it (`openai:chat:gpt-6-luna`, `openai/gpt-6-luna`) mapped
to a provider id and a catalog model id.

The prefixes are data (oberhahn_policy/data/eval-providers.yaml); spellings after the prefix (`openai/...`,
Bedrock regions and versions, Vertex `@dates`) are the catalog's business (`PriceCatalog.lookup`, which goes
through `modelids.spellings`), so there is one normaliser of model ids, not two.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..catalog import PriceCatalog
from ..packaged import packaged_yaml
from ..providers import from_litellm, load_providers
from ..surface import Provider

Tool = Literal["promptfoo", "inspect"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ToolPrefix(_Data):
    """A prefix of a tool's model name that names a provider, and the API segments that may follow it."""

    prefix: str
    provider: Provider
    #: Segments after the prefix that name an API, not a model (`chat` in `openai:chat:gpt-6-luna`).
    apis: tuple[str, ...] = ()
    #: The model string names a deployment (Azure), not a model id.
    deployment: bool = False
    #: `litellm`: the rest is a LiteLLM `provider/model` string.
    model_syntax: Literal["plain", "litellm"] = "plain"


class ToolPrefixes(_Data):
    """The table as written: one list of prefixes per tool."""

    promptfoo: tuple[ToolPrefix, ...]
    inspect: tuple[ToolPrefix, ...]


@lru_cache(maxsize=1)
def load_tool_prefixes() -> ToolPrefixes:
    """The table shipped with the package."""
    return ToolPrefixes.model_validate(packaged_yaml("eval-providers.yaml"))


@dataclass(frozen=True, slots=True)
class ModelRef:
    """A model as an evaluation tool named it, and as the policy and the catalog know it."""

    #: The tool's own name (`openai:chat:gpt-6-luna`, `anthropic/claude-haiku-5-5`).
    raw: str
    #: Provider id (SPEC §7) the name implies; None when no known prefix matches.
    provider: str | None
    #: The model string after the tool's prefixes (`gpt-6-luna`; a deployment name when `deployment`); None
    #: when the name is not a model (`python:provider.py`, `mockllm/model`).
    name: str | None
    #: The catalog's id for the model; None when the catalog doesn't know it (or it is a deployment).
    catalog_id: str | None = None
    #: True when `name` is an Azure deployment name: what model it serves is not in the result file.
    deployment: bool = False

    @property
    def model(self) -> str | None:
        """The canonical model id: the catalog's id when known, else the model string as the tool wrote it."""
        return self.catalog_id or self.name


def _longest(rules: tuple[ToolPrefix, ...], raw: str) -> ToolPrefix | None:
    lowered = raw.lower()
    best: ToolPrefix | None = None
    for rule in rules:
        if lowered.startswith(rule.prefix.lower()) and (best is None or len(rule.prefix) > len(best.prefix)):
            best = rule
    return best


def model_ref(raw: str, tool: Tool, catalog: PriceCatalog) -> ModelRef:
    """Map a tool's name for a model to its provider and catalog id; unknown prefixes name no model."""
    table = load_tool_prefixes()
    rules = table.promptfoo if tool == "promptfoo" else table.inspect
    rule = _longest(rules, raw.strip())
    if rule is None:
        return ModelRef(raw=raw, provider=None, name=None)
    rest = raw.strip()[len(rule.prefix):]
    separator = ":" if tool == "promptfoo" else "/"
    head, sep, tail = rest.partition(separator)
    if head.lower() in rule.apis:
        # `openai:chat:gpt-6-luna` -> `gpt-6-luna`; a bare `openai:chat` runs a default model the file doesn't name
        rest = tail if sep else ""
    if not rest:
        return ModelRef(raw=raw, provider=rule.provider, name=None)
    provider: str = rule.provider
    deployment = rule.deployment
    if rule.model_syntax == "litellm":
        found = from_litellm(rest, load_providers())
        provider, deployment = found.provider, found.deployment
    if deployment:
        return ModelRef(raw=raw, provider=provider, name=rest, deployment=True)
    entry = catalog.lookup(rest, provider)
    return ModelRef(raw=raw, provider=provider, name=rest, catalog_id=entry.id if entry is not None else None)
