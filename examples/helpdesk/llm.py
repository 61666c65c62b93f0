"""Shared LLM clients. Every client sends the team header; calls add their use case."""

from __future__ import annotations

import anthropic
from openai import OpenAI

from .config import GATEWAY_URL

openai_client = OpenAI(
    base_url=GATEWAY_URL,
    default_headers={"X-Oberhahn-Team": "support"},
)


def anthropic_client() -> anthropic.Anthropic:
    """A fresh Anthropic client; the SDK reads ANTHROPIC_API_KEY from the environment."""
    return anthropic.Anthropic(max_retries=3)
