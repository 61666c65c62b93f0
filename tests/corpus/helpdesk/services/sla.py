"""SLA breach explanations and customer-facing status updates."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from openai import OpenAI

if TYPE_CHECKING:
    from anthropic import AsyncAnthropic

logger = logging.getLogger(__name__)

MODELS = {
    "explain": "gpt-4o-mini",
    "status": "gpt-4o",
}
STATUS_MODEL = os.getenv("HELPDESK_STATUS_MODEL") or "claude-3-5-haiku-20241022"

_client: OpenAI | None = None


def openai_client() -> OpenAI:
    """Process-wide client, created on first use (import must not need the API key)."""
    global _client
    if _client is None:
        _client = OpenAI(timeout=15.0)
    return _client


def explain_breach(ticket_summary: str, minutes_late: int) -> str:
    if (response := openai_client().chat.completions.create(
        model=MODELS["explain"],
        messages=[{"role": "user", "content": f"Why might this ticket be {minutes_late} min late? {ticket_summary}"}],
        max_tokens=150,
    )).choices:
        return response.choices[0].message.content or ""
    return ""


def status_update(ticket_summary: str) -> str:
    fast = openai_client().with_options(timeout=5.0, max_retries=0)
    completion = fast.chat.completions.create(
        model=MODELS["status"],
        messages=[{"role": "user", "content": f"Customer-facing status update for: {ticket_summary}"}],
        max_tokens=120,
    )
    return completion.choices[0].message.content or ""


async def apologise(client: "AsyncAnthropic", ticket_summary: str) -> str:
    message = await client.messages.create(
        model=STATUS_MODEL,
        max_tokens=200,
        messages=[{"role": "user", "content": f"Write a short apology for the delay on: {ticket_summary}"}],
    )
    return message.content[0].text
