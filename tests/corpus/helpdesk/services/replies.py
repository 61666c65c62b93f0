"""Draft replies for agents to review. Streaming is used by the web UI, plain calls by the API."""

from __future__ import annotations

import logging
from typing import AsyncIterator

from openai import AsyncOpenAI

from ..settings import Settings, get_settings
from ..settings import settings as app_settings

logger = logging.getLogger(__name__)


class ReplyDrafter:
    """Drafts a reply in the company voice. One instance per process, injected by FastAPI."""

    STYLE_GUIDE = "Be concise, warm and specific. Never promise refunds. Sign as 'The Acme Support Team'."
    MODEL = "gpt-4o-2024-08-06"
    TONE_MODELS = {"formal": "gpt-4o", "friendly": "gpt-4o-mini"}

    def __init__(self, client: AsyncOpenAI | None = None, settings: Settings | None = None) -> None:
        self.client = client or AsyncOpenAI()
        self.settings = settings or get_settings()

    async def draft(self, ticket_text: str, history: list[dict[str, str]]) -> str:
        response = await self.client.chat.completions.create(
            model=self.MODEL,
            messages=[{"role": "system", "content": self.STYLE_GUIDE}, *history,
                      {"role": "user", "content": ticket_text}],
            max_tokens=self.settings.max_reply_tokens,
            temperature=0.4,
            extra_headers={"X-Oberhahn-Use-Case": "reply-draft"},
        )
        return response.choices[0].message.content or ""

    async def draft_with(self, ticket_text: str, model: str) -> str:
        """Admin override: the caller chose the model (validated upstream)."""
        response = await self.client.chat.completions.create(
            model=model,
            messages=[{"role": "system", "content": self.STYLE_GUIDE}, {"role": "user", "content": ticket_text}],
            max_tokens=self.settings.max_reply_tokens,
        )
        return response.choices[0].message.content or ""

    async def stream_draft(self, ticket_text: str) -> AsyncIterator[str]:
        stream = await self.client.chat.completions.create(
            model=app_settings.reply_model,
            messages=[{"role": "system", "content": self.STYLE_GUIDE}, {"role": "user", "content": ticket_text}],
            stream=True,
            max_tokens=self.settings.max_reply_tokens,
        )
        async for chunk in stream:
            delta = chunk.choices[0].delta.content if chunk.choices else None
            if delta:
                yield delta


async def rewrite_for_tone(client: AsyncOpenAI, text: str, tone: str = "formal") -> str:
    """Rewrite an agent's draft; the caller passes the shared client."""
    result = await client.responses.create(
        model="gpt-4.1-mini",
        instructions=f"Rewrite the text in a {tone} tone. Keep every fact.",
        input=text,
        max_output_tokens=600,
    )
    return result.output_text
