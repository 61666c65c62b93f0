"""Provider knowledge, in one place: which providers calls bill, how code names them, what each caches.

The data is oberhahn_policy/data/providers.yaml (schema in schemas/providers.schema.json); this module
loads it and is the one place that applies it. litellm and DSPy name the vendor in the model
string (`bedrock/anthropic.claude-...`), LangChain's `init_chat_model` in a `provider:model` prefix,
a `model_provider=` argument or the model name itself, and an OpenAI client pointed at another
vendor in its `base_url`. Extraction refines a call site's provider from what one file knows,
resolve from what other modules know.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from .callsite import ExtractedCallSite, StaticValue
from .packaged import packaged_yaml
from .published_schema import JSON_SCHEMA_DIALECT


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CacheFacts(_Data):
    """How a provider caches prompt prefixes, for models matching a glob: the smallest prefix and what asks for it."""

    models: str = "*"
    minimum_tokens: int
    #: The argument that asks for (or improves) caching on this provider.
    marker: str
    #: True when the provider caches long prefixes without being asked.
    automatic: bool


class ProviderInfo(_Data):
    """A provider calls can bill (SPEC §7)."""

    id: str
    name: str
    #: Other vendors serve this provider's API, so a client pointed elsewhere is billed by the endpoint's vendor.
    compatible_api: bool = False
    #: Calls name the model's vendor in the model string; that vendor bills (litellm, other).
    routes: bool = False
    #: Models run on the caller's own machines: no per-token price exists.
    local: bool = False
    #: Prompt caching, first matching glob wins; from the providers' documentation (they decide only whether a
    #: finding mentions caching and how a cached prefix is priced, never whether a rule fires).
    cache: tuple[CacheFacts, ...] = ()


class PrefixRule(_Data):
    """A model-string prefix (or a base_url host fragment) that names a provider."""

    prefix: str
    provider: str
    #: The model names a deployment, not a model id (`azure/<deployment>`).
    deployment: bool = False


class ModelSpellings(_Data):
    """Prefixes that Bedrock model ids carry before the vendor's own id."""

    bedrock_regions: tuple[str, ...] = ()
    bedrock_vendors: tuple[str, ...] = ()


class ProviderData(_Data):
    """The whole providers data file."""

    version: Literal[1] = 1
    providers: tuple[ProviderInfo, ...]
    model_spellings: ModelSpellings = ModelSpellings()
    #: litellm / DSPy `provider/model` prefixes (`bedrock/`, `vertex_ai/`).
    litellm_prefixes: tuple[PrefixRule, ...] = ()
    #: LangChain `init_chat_model` provider names (`anthropic`, `google_genai`), as `prefix` (exact match).
    langchain_providers: tuple[PrefixRule, ...] = ()
    #: Bare model names whose provider is evident (`claude-`, `gpt-`).
    model_prefixes: tuple[PrefixRule, ...] = ()
    #: Host fragments of an OpenAI-compatible client's `base_url` (`api.groq.com`, `localhost:11434`).
    base_url_hosts: tuple[PrefixRule, ...] = ()

    @model_validator(mode="after")
    def _known_ids(self) -> ProviderData:
        ids = {p.id for p in self.providers}
        for table in (self.litellm_prefixes, self.langchain_providers, self.model_prefixes, self.base_url_hosts):
            for rule in table:
                if rule.provider not in ids:
                    raise ValueError(f"{rule.prefix!r} names provider {rule.provider!r}, which providers: does not declare")
        return self

    def provider(self, provider_id: str) -> ProviderInfo | None:
        return next((p for p in self.providers if p.id == provider_id), None)

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(p.id for p in self.providers)


@lru_cache(maxsize=1)
def load_providers() -> ProviderData:
    """The provider knowledge shipped with the package."""
    return ProviderData.model_validate(packaged_yaml("providers.yaml"))


def provider_ids() -> frozenset[str]:
    """Every provider id a call site can carry."""
    return load_providers().ids


def known_provider(value: str) -> str:
    """A pydantic validator: `value` is a provider id the providers data declares."""
    if value not in provider_ids():
        raise ValueError(f"unknown provider {value!r}; providers.yaml declares {', '.join(sorted(provider_ids()))}")
    return value


def cache_facts(provider: str, model: str | None) -> CacheFacts | None:
    """How `provider` caches prompt prefixes for `model` (None when it doesn't, or we don't know)."""
    info = load_providers().provider(provider)
    for facts in info.cache if info is not None else ():
        if fnmatch.fnmatchcase(model or "", facts.models):
            return facts
    return None


def providers_json_schema() -> dict[str, Any]:
    """The JSON Schema of the providers data file (checked in as schemas/providers.schema.json)."""
    schema = ProviderData.model_json_schema()
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["title"] = "oberhahn-policy providers"
    return schema


@dataclasses.dataclass(frozen=True)
class Canonical:
    """The provider a call site bills, and whether its model string names a deployment."""

    provider: str
    deployment: bool = False


def _longest(rules: tuple[PrefixRule, ...], text: str) -> PrefixRule | None:
    lowered = text.lower()
    best: PrefixRule | None = None
    for rule in rules:
        if lowered.startswith(rule.prefix.lower()) and (best is None or len(rule.prefix) > len(best.prefix)):
            best = rule
    return best


def from_model_name(model: str, rules: ProviderData) -> Canonical | None:
    """A bare model name whose vendor is evident (`claude-...`, `gpt-...`, `anthropic.claude-...`)."""
    rule = _longest(rules.model_prefixes, model)
    return Canonical(rule.provider) if rule is not None else None


def from_litellm(model: str, rules: ProviderData) -> Canonical:
    """litellm / DSPy: `provider/model`, else an evident bare name, else `litellm` (not derivable)."""
    rule = _longest(rules.litellm_prefixes, model)
    if rule is not None:
        return Canonical(rule.provider, rule.deployment)
    return from_model_name(model, rules) or Canonical("litellm")


def from_langchain_name(name: str, rules: ProviderData) -> Canonical:
    """A LangChain provider name (`google_genai`); unknown vendors are `other`."""
    for rule in rules.langchain_providers:
        if rule.prefix == name.strip().lower():
            return Canonical(rule.provider, rule.deployment)
    return Canonical("other")


def from_langchain(model: str, explicit: str | None, rules: ProviderData, fallback: str) -> Canonical:
    """`init_chat_model`: `model_provider=` wins, then a `provider:` prefix, then the model name."""
    if explicit:
        return from_langchain_name(explicit, rules)
    head, colon, _ = model.partition(":")
    if colon and head and all(c.isalnum() or c == "_" for c in head):
        return from_langchain_name(head, rules)
    return from_model_name(model, rules) or Canonical(fallback)


def from_base_url(base_url: str, rules: ProviderData) -> Canonical | None:
    """An OpenAI-compatible client's endpoint: the first host fragment it contains."""
    lowered = base_url.lower()
    for rule in rules.base_url_hosts:
        if rule.prefix.lower() in lowered:
            return Canonical(rule.provider, rule.deployment)
    return None


def model_text(model: StaticValue | None, default: str | None) -> str | None:
    """The model string when known (the SDK default when the call passes none)."""
    if model is None:
        return default
    return model.value if model.known and isinstance(model.value, str) and model.value else None


def canonical_site(site: ExtractedCallSite, model: str | None, base_url: str | None,
                   rules: ProviderData) -> ExtractedCallSite:
    """The call site with its provider refined by its inference scheme; unchanged when nothing is known."""
    scheme = site.provider_inference
    found: Canonical | None = None
    if scheme == "litellm" and site.provider_hint:
        # `completion(model="claude-3-haiku", custom_llm_provider="bedrock")`
        found = from_litellm(f"{site.provider_hint}/{model or ''}", rules)
    elif scheme == "litellm" and model:
        found = from_litellm(model, rules)
    elif scheme == "langchain" and (model or site.provider_hint):
        found = from_langchain(model or "", site.provider_hint, rules, site.provider)
    elif scheme == "base_url" and base_url:
        found = from_base_url(base_url, rules)
    if found is None:
        return site
    deployment = site.model_is_deployment or found.deployment
    if found.provider == site.provider and deployment == site.model_is_deployment:
        return site
    return dataclasses.replace(site, provider=found.provider, model_is_deployment=deployment)
