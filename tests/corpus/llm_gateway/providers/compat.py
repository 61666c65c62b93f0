"""OpenAI-compatible vendors: same SDK, different base_url. Each vendor gets its own client."""

from __future__ import annotations

import logging
import os

from openai import AsyncOpenAI, OpenAI

from ..config import (
    DEEPSEEK_BASE_URL,
    GROQ_BASE_URL,
    LOCAL_BASE_URL,
    OPENROUTER_BASE_URL,
    TOGETHER_BASE_URL,
    XAI_BASE_URL,
)

logger = logging.getLogger(__name__)

groq = OpenAI(base_url=GROQ_BASE_URL, api_key=os.environ.get("GROQ_API_KEY"))
together = OpenAI(base_url="https://api.together.xyz/v1", api_key=os.environ.get("TOGETHER_API_KEY"))
deepseek = AsyncOpenAI(base_url=DEEPSEEK_BASE_URL, api_key=os.environ.get("DEEPSEEK_API_KEY"))
xai = OpenAI(base_url=XAI_BASE_URL, api_key=os.environ.get("XAI_API_KEY"))
local = OpenAI(base_url=LOCAL_BASE_URL, api_key="ollama")


def openrouter_client() -> OpenAI:
    """OpenRouter wants app attribution headers on every request."""
    return OpenAI(
        base_url=OPENROUTER_BASE_URL,
        api_key=os.environ["OPENROUTER_API_KEY"],
        default_headers={"HTTP-Referer": "https://gateway.acme.io", "X-Title": "Acme LLM Gateway"},
    )


def groq_chat(messages: list[dict[str, str]]) -> str:
    completion = groq.chat.completions.create(model="llama-3.1-70b-versatile", messages=messages, max_tokens=512)
    return completion.choices[0].message.content or ""


def together_chat(messages: list[dict[str, str]]) -> str:
    completion = together.chat.completions.create(
        model="mistralai/Mixtral-8x7B-Instruct-v0.1",
        messages=messages,
        max_tokens=512,
    )
    return completion.choices[0].message.content or ""


async def deepseek_chat(messages: list[dict[str, str]], reasoning: bool = False) -> str:
    completion = await deepseek.chat.completions.create(
        model="deepseek-reasoner" if reasoning else "deepseek-chat",
        messages=messages,
        max_tokens=2048,
    )
    return completion.choices[0].message.content or ""


async def deepseek_code(prompt: str) -> str:
    completion = await deepseek.chat.completions.create(
        model="deepseek-chat",
        messages=[{"role": "user", "content": prompt}],
        max_tokens=1024,
        temperature=0.0,
    )
    return completion.choices[0].message.content or ""


def grok_chat(messages: list[dict[str, str]]) -> str:
    completion = xai.chat.completions.create(model="grok-2-latest", messages=messages, max_tokens=1024)
    return completion.choices[0].message.content or ""


def openrouter_chat(messages: list[dict[str, str]]) -> str:
    completion = openrouter_client().chat.completions.create(
        model="anthropic/claude-3.5-sonnet",
        messages=messages,
        max_tokens=1024,
    )
    return completion.choices[0].message.content or ""


def openrouter_cheap(messages: list[dict[str, str]]) -> str:
    client = openrouter_client()
    completion = client.chat.completions.create(
        model="meta-llama/llama-3.1-8b-instruct",
        messages=messages,
        max_tokens=256,
    )
    return completion.choices[0].message.content or ""


def local_chat(messages: list[dict[str, str]]) -> str:
    completion = local.chat.completions.create(model="llama3.1", messages=messages)
    return completion.choices[0].message.content or ""


def local_embed(texts: list[str]) -> list[list[float]]:
    response = local.embeddings.create(model="nomic-embed-text", input=texts)
    return [row.embedding for row in response.data]
