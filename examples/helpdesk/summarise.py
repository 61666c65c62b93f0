"""Thread summaries for hand-over between shifts."""

from __future__ import annotations

from typing import Sequence

import anthropic
from langfuse import observe

from .config import SUMMARY_MODEL
from .llm import anthropic_client


class ThreadSummariser:
    """Summarises a ticket thread; one instance per worker process."""

    def __init__(self, client: anthropic.Anthropic | None = None) -> None:
        self.client = client or anthropic_client()

    @observe()
    def summarise(self, messages: Sequence[str]) -> str:
        thread = "\n\n".join(messages)
        reply = self.client.messages.create(
            model=SUMMARY_MODEL,
            max_tokens=600,
            system="Summarise the support thread in five bullet points.",
            messages=[{"role": "user", "content": thread}],
            extra_headers={"X-Oberhahn-Use-Case": "ticket-summary"},
        )
        return reply.content[0].text

    @observe()
    def title(self, first_message: str, model: str) -> str:
        """A short title; the caller picks the model per tenant."""
        reply = self.client.messages.create(
            model=model,
            max_tokens=30,
            messages=[{"role": "user", "content": f"Title for: {first_message}"}],
            extra_headers={"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "ticket-summary"},
        )
        return reply.content[0].text
