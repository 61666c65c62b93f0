"""Summarise long ticket threads for hand-over between shifts, and escalation briefs."""

from __future__ import annotations

import logging

import anthropic

from ..llm import claude
from ..settings import settings

logger = logging.getLogger(__name__)

SUMMARY_SYSTEM = "Summarise the support thread in five bullet points for the next agent. No pleasantries."
ESCALATION_MAX_TOKENS = 1500


async def summarise_thread(messages: list[str]) -> str:
    thread = "\n---\n".join(messages)
    try:
        response = await claude.messages.create(
            model=settings.summary_model,
            max_tokens=400,
            system=SUMMARY_SYSTEM,
            messages=[{"role": "user", "content": thread}],
            metadata={"user_id": "helpdesk-shift-handover"},
        )
    except anthropic.RateLimitError:
        logger.warning("summary rate-limited; returning the last message instead")
        return messages[-1] if messages else ""
    return "".join(block.text for block in response.content if block.type == "text")


async def escalation_brief(messages: list[str], customer_tier: str) -> str:
    """Streams a longer brief for the on-call engineer; written to the ticket as it arrives."""
    chunks: list[str] = []
    async with claude.messages.stream(
        model=settings.escalation_model,
        max_tokens=ESCALATION_MAX_TOKENS,
        system=f"You brief an on-call engineer about a {customer_tier} customer's problem.",
        messages=[{"role": "user", "content": "\n---\n".join(messages)}],
    ) as stream:
        async for text in stream.text_stream:
            chunks.append(text)
    return "".join(chunks)
