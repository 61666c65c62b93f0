"""Thin adapters so every candidate model answers the same prompt the same way."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import litellm
import ollama
from anthropic import Anthropic
from litellm import acompletion, completion
from openai import OpenAI

from . import config
from .config import GROQ_BASE_URL, LITELLM_DEFAULTS, LOCAL_MODEL, OPENROUTER_BASE_URL, TOGETHER_BASE_URL, RunConfig


def make_openai_compatible(base_url: str, key_env: str) -> OpenAI:
    return OpenAI(base_url=base_url, api_key=os.environ[key_env])


together = OpenAI(base_url=TOGETHER_BASE_URL, api_key=os.environ.get("TOGETHER_API_KEY"))
groq_compat = OpenAI(base_url=GROQ_BASE_URL, api_key=os.environ.get("GROQ_API_KEY"))
openrouter = OpenAI(base_url=OPENROUTER_BASE_URL, api_key=os.environ.get("OPENROUTER_API_KEY"))
local = OpenAI(base_url="http://localhost:11434/v1", api_key="ollama")

quick_claude = partial(litellm.completion, model="anthropic/claude-3-haiku-20240307", max_tokens=300)


def ask_together(prompt: str) -> str:
    out = together.chat.completions.create(
        model="meta-llama/Llama-3.3-70B-Instruct-Turbo", messages=[{"role": "user", "content": prompt}], max_tokens=256
    )
    return out.choices[0].message.content or ""


def ask_groq_compat(prompt: str) -> str:
    out = groq_compat.chat.completions.create(model=config.GROQ_MODEL, messages=[{"role": "user", "content": prompt}])
    return out.choices[0].message.content or ""


def ask_openrouter(prompt: str) -> str:
    out = openrouter.chat.completions.create(
        model="deepseek/deepseek-chat", messages=[{"role": "user", "content": prompt}], max_tokens=256
    )
    return out.choices[0].message.content or ""


def ask_local_compat(prompt: str) -> str:
    out = local.chat.completions.create(model=LOCAL_MODEL, messages=[{"role": "user", "content": prompt}])
    return out.choices[0].message.content or ""


def ask_ollama(prompt: str) -> str:
    response = ollama.chat(model=LOCAL_MODEL, messages=[{"role": "user", "content": prompt}], options={"num_predict": 256})
    return response["message"]["content"]


def ask_ollama_generate(prompt: str) -> str:
    return ollama.generate(model="qwen2.5:7b", prompt=prompt)["response"]


def ask_litellm(prompt: str, run: RunConfig = config.DEFAULT_RUN) -> str:
    response = completion(model=run.candidate_model, messages=[{"role": "user", "content": prompt}], **LITELLM_DEFAULTS)
    return response.choices[0].message.content


async def ask_litellm_gemini(prompt: str) -> str:
    params: dict[str, Any] = {"model": "gemini/gemini-1.5-pro", "max_tokens": 512}
    response = await acompletion(messages=[{"role": "user", "content": prompt}], **params)
    return response.choices[0].message.content


def ask_litellm_bedrock(prompt: str) -> str:
    response = litellm.completion(
        model="bedrock/anthropic.claude-3-sonnet-20240229-v1:0", messages=[{"role": "user", "content": prompt}]
    )
    return response.choices[0].message.content


def ask_quick_claude(prompt: str) -> str:
    return quick_claude(messages=[{"role": "user", "content": prompt}]).choices[0].message.content


def ask_any(model: str, prompt: str) -> str:
    """Used by the CLI's --model flag; the model comes from the command line."""
    return litellm.completion(model=model, messages=[{"role": "user", "content": prompt}]).choices[0].message.content


@dataclass
class ClaudeCandidate:
    model: str = config.CANDIDATE_CLAUDE
    client: Anthropic = field(default_factory=Anthropic)

    def answer(self, prompt: str) -> str:
        message = self.client.messages.create(model=self.model, max_tokens=1024, messages=[{"role": "user", "content": prompt}])
        return message.content[0].text


def embed_for_dedup(texts: list[str]) -> list[list[float]]:
    result = litellm.embedding(model="text-embedding-3-small", input=texts)
    return [row["embedding"] for row in result.data]


def cost_of(prompt: str, answer: str) -> float:
    """Offline estimate for the report; litellm's price table, no request is made."""
    if litellm.token_counter(model="gpt-4o-mini", text=prompt) > 100_000:
        return float("nan")
    return litellm.completion_cost(model="gpt-4o-mini", prompt=prompt, completion=answer)
