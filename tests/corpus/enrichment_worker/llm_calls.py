"""Provider-agnostic calls through LiteLLM, so the data team can switch vendors in config."""

from __future__ import annotations

import functools
import logging
from typing import Any

import litellm
from litellm import acompletion, completion, embedding, text_completion

from .settings import settings

logger = logging.getLogger(__name__)
litellm.drop_params = True

DESCRIBE_KW: dict[str, Any] = {"model": "anthropic/claude-3-5-haiku-20241022", "max_tokens": 300, "temperature": 0.2}

quick_label = functools.partial(litellm.completion, model="groq/llama-3.1-8b-instant", max_tokens=16, temperature=0)


def describe(company: dict[str, Any]) -> str:
    response = completion(
        **DESCRIBE_KW,
        messages=[{"role": "user", "content": f"Describe this company in two sentences: {company}"}],
        metadata={"generation_name": "describe-company"},
    )
    return response.choices[0].message.content


def normalise_name(raw: str) -> str:
    response = completion(
        settings.litellm_default,
        messages=[{"role": "user", "content": f"Return the legal entity name only: {raw}"}],
        max_tokens=30,
    )
    return response.choices[0].message.content.strip()


async def translate_description(text: str, target: str = "de") -> str:
    response = await acompletion(
        model="gemini/gemini-1.5-flash",
        messages=[{"role": "user", "content": f"Translate to {target}:\n{text}"}],
        max_tokens=500,
    )
    return response.choices[0].message.content


def embed_descriptions(texts: list[str]) -> list[list[float]]:
    response = embedding(model="text-embedding-3-small", input=texts)
    return [row["embedding"] for row in response.data]


def complete_address(fragment: str) -> str:
    response = text_completion(f"Complete the postal address: {fragment}", "gpt-3.5-turbo-instruct", max_tokens=40)
    return response.choices[0].text


def label_sentiment(text: str) -> str:
    response = quick_label(messages=[{"role": "user", "content": f"positive/negative/neutral: {text}"}])
    return response.choices[0].message.content.strip().lower()


def estimate_cost(company: dict[str, Any]) -> float:
    """Pre-flight estimate shown in the job UI; no request is sent."""
    messages = [{"role": "user", "content": f"Describe this company in two sentences: {company}"}]
    prompt_tokens = litellm.token_counter(model=DESCRIBE_KW["model"], messages=messages)
    info = litellm.get_model_info("anthropic/claude-3-5-haiku-20241022")
    return prompt_tokens * (info.get("input_cost_per_token") or 0.0)


def run_job_prompt(job: dict[str, Any]) -> str:
    """Ad-hoc jobs carry their own model (set by an analyst in the job record)."""
    response = litellm.completion(model=job["model"], messages=job["messages"], max_tokens=job.get("max_tokens", 256))
    return response.choices[0].message.content


async def bedrock_fallback(text: str) -> str:
    response = await litellm.acompletion(
        model="bedrock/anthropic.claude-3-haiku-20240307-v1:0",
        messages=[{"role": "user", "content": text}],
        max_tokens=200,
    )
    return response.choices[0].message.content


def local_draft(text: str) -> str:
    response = litellm.completion(
        model="ollama/llama3.1",
        api_base="http://localhost:11434",
        messages=[{"role": "user", "content": text}],
    )
    return response.choices[0].message.content
