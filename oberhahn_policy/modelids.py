"""Model ids as code spells them, and matching them against the policy's glob patterns.

Code names the same model in several spellings: `gpt-4o`, `openai/gpt-4o` (LiteLLM),
`azure/my-deployment`, `us.anthropic.claude-...-v1:0` (Bedrock inference profiles),
`models/gemini-...` (Google). A pattern matches if it matches any of them.
"""

from __future__ import annotations

import fnmatch
import re
from functools import lru_cache

from .providers import load_providers

#: Bedrock model ids end in a model version (`-v1:0`, `-v2:0`) after the provider's own id.
_BEDROCK_VERSION = re.compile(r"-v[0-9]+$")


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
    """LangChain provider names, Bedrock region prefixes and Bedrock vendors, from the providers data."""
    data = load_providers()
    return (frozenset(rule.prefix for rule in data.langchain_providers), data.model_spellings.bedrock_regions,
            frozenset(data.model_spellings.bedrock_vendors))


@lru_cache(maxsize=4096)
def spellings(model: str) -> tuple[str, ...]:
    """The model id as written, then progressively more canonical forms of it."""
    langchain_providers, bedrock_regions, bedrock_vendors = _tables()
    forms = [model]
    current = model
    head, colon, tail = current.partition(":")
    if colon and head in langchain_providers and tail:
        # LangChain `init_chat_model("anthropic:claude-...")`
        current = tail
        forms.append(current)
    if current.startswith("models/"):
        current = current[len("models/"):]
        forms.append(current)
    if "/" in current:
        # litellm `provider/model` (and `openrouter/vendor/model`): the last segment is the model
        current = current.rsplit("/", 1)[-1]
        forms.append(current)
    for region in bedrock_regions:
        if current.startswith(region):
            current = current[len(region):]
            forms.append(current)
            break
    if current.count(".") >= 1 and current.split(".", 1)[0] in bedrock_vendors:
        current = current.split(".", 1)[1]
        forms.append(current)
        if ":" in current:
            current = current.split(":", 1)[0]
            forms.append(current)
        if _BEDROCK_VERSION.search(current):  # claude-...-20250929-v1 -> claude-...-20250929
            forms.append(_BEDROCK_VERSION.sub("", current))
    if "@" in current:  # Vertex: claude-...@20250929
        forms.append(current.split("@", 1)[0])
    return tuple(dict.fromkeys(forms))


def matches(model: str, patterns: tuple[str, ...] | list[str]) -> str | None:
    """The first pattern that matches any spelling of `model`, or None."""
    forms = spellings(model)
    for pattern in patterns:
        for form in forms:
            if fnmatch.fnmatchcase(form, pattern) or fnmatch.fnmatchcase(form.lower(), pattern.lower()):
                return pattern
    return None
