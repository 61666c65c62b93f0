"""Canonical providers: litellm prefixes, LangChain provider names, model-name prefixes, base_url hosts."""

from __future__ import annotations

import pytest

from oberhahn_policy.providers import (
    Canonical,
    from_base_url,
    from_langchain,
    from_litellm,
    load_providers,
)

RULES = load_providers()


@pytest.mark.parametrize(("model", "expected"), [
    ("openai/gpt-4o", Canonical("openai")),
    ("anthropic/claude-3-5-sonnet-20241022", Canonical("anthropic")),
    ("bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0", Canonical("aws-bedrock")),
    ("vertex_ai/gemini-1.5-pro", Canonical("google")),
    ("gemini/gemini-2.0-flash", Canonical("google")),
    ("azure/my-gpt4o-deployment", Canonical("azure-openai", deployment=True)),
    ("together_ai/meta-llama/Llama-3-70b-chat-hf", Canonical("together")),
    ("ollama_chat/llama3.1", Canonical("ollama")),
    ("openrouter/anthropic/claude-3.5-sonnet", Canonical("other")),
    ("gpt-4o-mini", Canonical("openai")),
    ("claude-3-haiku-20240307", Canonical("anthropic")),
    ("mistral-large-latest", Canonical("mistral")),
    ("mistral.mistral-large-2402-v1:0", Canonical("aws-bedrock")),
    ("my-custom-alias", Canonical("litellm")),
    ("text-completion-codestral/codestral-latest", Canonical("mistral")),
    ("dashscope/qwen-max", Canonical("other")),
    ("voyage/voyage-3", Canonical("other")),
    ("voyage-3-large", Canonical("other")),
    ("GigaChat-Pro", Canonical("other")),
])
def test_litellm_model_strings(model: str, expected: Canonical) -> None:
    assert from_litellm(model, RULES) == expected


@pytest.mark.parametrize(("model", "explicit", "expected"), [
    ("anthropic:claude-3-5-haiku-latest", None, "anthropic"),
    ("google_genai:gemini-2.0-flash", None, "google"),
    ("bedrock_converse:anthropic.claude-3-haiku-20240307-v1:0", None, "aws-bedrock"),
    ("anthropic.claude-3-haiku-20240307-v1:0", None, "aws-bedrock"),
    ("gpt-4o", None, "openai"),
    ("command-r-plus", None, "cohere"),
    ("llama3", "ollama", "ollama"),
    ("some-model", "fireworks", "other"),
    ("some-model", None, "other"),
])
def test_langchain_model_strings(model: str, explicit: str | None, expected: str) -> None:
    assert from_langchain(model, explicit, RULES, "other").provider == expected


@pytest.mark.parametrize(("base_url", "expected"), [
    ("https://api.groq.com/openai/v1", "groq"),
    ("https://api.together.xyz/v1", "together"),
    ("https://openrouter.ai/api/v1", "other"),
    ("http://localhost:11434/v1", "ollama"),
    ("http://localhost:8000/v1", "other"),
    ("https://generativelanguage.googleapis.com/v1beta/openai/", "google"),
    ("https://api.cerebras.ai/v1/", "other"),
    ("https://integrate.api.nvidia.com/v1", "other"),
    ("https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "other"),
    ("https://router.huggingface.co/v1", "other"),
    ("https://api.deepinfra.com/v1/openai", "other"),
    ("https://llm-gateway.internal.example.com/v1", None),
])
def test_openai_compatible_base_urls(base_url: str, expected: str | None) -> None:
    found = from_base_url(base_url, RULES)
    assert (found.provider if found else None) == expected


def test_langchain_provider_prefix_is_a_spelling_for_policy_patterns() -> None:
    from oberhahn_policy.modelids import matches, spellings

    assert matches("anthropic:claude-3-5-haiku-latest", ["claude-3-5-haiku*"]) == "claude-3-5-haiku*"
    assert spellings("llama3:8b") == ("llama3:8b",)  # an Ollama tag is not a provider prefix
