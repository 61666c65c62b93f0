"""Small helpers around the OpenAI client for one-off prompts in scripts and admin actions."""

from __future__ import annotations

import logging

from .llm import client

logger = logging.getLogger(__name__)


def completion(prompt: str, model: str = "gpt-4o-mini", max_tokens: int = 300) -> str:
    """One user message in, text out. Logs token usage so admins see what their actions cost."""
    response = client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": prompt}],
        max_tokens=max_tokens,
    )
    if response.usage is not None:
        logger.info("completion used %d tokens", response.usage.total_tokens)
    return response.choices[0].message.content or ""
