"""Shared LLM clients. Built once at import so connection pools are reused across requests."""

from __future__ import annotations

import os

from anthropic import AsyncAnthropic
from openai import AsyncOpenAI, OpenAI

#: Synchronous client for background work (Celery tasks, CLI commands).
client = OpenAI(
    api_key=os.environ.get("OPENAI_API_KEY"),
    timeout=30.0,
    max_retries=3,
    default_headers={"X-Oberhahn-Team": "support"},
)

#: Async client for request handlers.
aclient = AsyncOpenAI(timeout=20.0)

#: Claude does the long-form summaries.
claude = AsyncAnthropic(max_retries=2)
