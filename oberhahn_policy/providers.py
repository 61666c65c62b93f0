"""Canonical providers: which vendor bills a call whose SDK doesn't say it outright.

litellm and DSPy name the vendor in the model string (`bedrock/anthropic.claude-...`),
LangChain's `init_chat_model` in a `provider:model` prefix, a `model_provider=` argument or
the model name itself, and an OpenAI client pointed at another vendor in its `base_url`.
The tables live in the SDK surface data (`providers:`); this module is the one place that
applies them, for extraction (values known in the file) and for resolve (values known
through other modules).
"""

from __future__ import annotations

import dataclasses

from .callsite import ExtractedCallSite, StaticValue
from .surface import PrefixRule, ProviderRules


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


def from_model_name(model: str, rules: ProviderRules) -> Canonical | None:
    """A bare model name whose vendor is evident (`claude-...`, `gpt-...`, `anthropic.claude-...`)."""
    rule = _longest(rules.model_prefixes, model)
    return Canonical(rule.provider) if rule is not None else None


def from_litellm(model: str, rules: ProviderRules) -> Canonical:
    """litellm / DSPy: `provider/model`, else an evident bare name, else `litellm` (not derivable)."""
    rule = _longest(rules.litellm_prefixes, model)
    if rule is not None:
        return Canonical(rule.provider, rule.deployment)
    return from_model_name(model, rules) or Canonical("litellm")


def from_langchain_name(name: str, rules: ProviderRules) -> Canonical:
    """A LangChain provider name (`google_genai`); unknown vendors are `other`."""
    for rule in rules.langchain_providers:
        if rule.prefix == name.strip().lower():
            return Canonical(rule.provider, rule.deployment)
    return Canonical("other")


def from_langchain(model: str, explicit: str | None, rules: ProviderRules, fallback: str) -> Canonical:
    """`init_chat_model`: `model_provider=` wins, then a `provider:` prefix, then the model name."""
    if explicit:
        return from_langchain_name(explicit, rules)
    head, colon, _ = model.partition(":")
    if colon and head and all(c.isalnum() or c == "_" for c in head):
        return from_langchain_name(head, rules)
    return from_model_name(model, rules) or Canonical(fallback)


def from_base_url(base_url: str, rules: ProviderRules) -> Canonical | None:
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
                   rules: ProviderRules) -> ExtractedCallSite:
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
