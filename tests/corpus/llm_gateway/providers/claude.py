"""Anthropic provider of the gateway, with raw-response access for the usage headers."""

from __future__ import annotations

import logging
from typing import Any

import anthropic
from anthropic import Anthropic, AsyncAnthropic

from ..config import DEFAULT_CLAUDE, Limits

logger = logging.getLogger(__name__)


class ClaudeProvider:
    """Sync and async Claude access; one instance per gateway worker."""

    HAIKU = "claude-3-5-haiku-20241022"

    def __init__(self, api_key: str | None = None) -> None:
        self.client = Anthropic(api_key=api_key)
        self.aclient = AsyncAnthropic(api_key=api_key)

    def complete(self, messages: list[dict[str, Any]], system: str = "") -> str:
        message = self.client.messages.create(
            model=DEFAULT_CLAUDE,
            max_tokens=Limits.CLAUDE_MAX_TOKENS,
            system=system,
            messages=messages,
        )
        return message.content[0].text

    def complete_with_headers(self, messages: list[dict[str, Any]]) -> tuple[str, dict[str, str]]:
        raw = self.client.messages.with_raw_response.create(model=self.HAIKU, max_tokens=512, messages=messages)
        message = raw.parse()
        return message.content[0].text, dict(raw.headers)

    def complete_slow(self, messages: list[dict[str, Any]]) -> str:
        message = self.client.with_options(timeout=600, max_retries=0).messages.create(
            model="claude-3-opus-20240229",
            max_tokens=4096,
            messages=messages,
        )
        return message.content[0].text

    def think(self, question: str) -> str:
        message = self.client.messages.create(
            model="claude-3-7-sonnet-20250219",
            max_tokens=16000,
            thinking={"type": "enabled", "budget_tokens": 8000},
            messages=[{"role": "user", "content": question}],
        )
        return "".join(block.text for block in message.content if block.type == "text")

    def with_tools(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Any:
        return self.client.beta.messages.create(
            model="claude-3-5-sonnet-20241022",
            max_tokens=2048,
            tools=tools,
            messages=messages,
            betas=["token-efficient-tools-2025-02-19"],
        )

    async def stream(self, messages: list[dict[str, Any]]) -> list[str]:
        parts: list[str] = []
        async with self.aclient.messages.stream(model=self.HAIKU, max_tokens=1024, messages=messages) as stream:
            async for text in stream.text_stream:
                parts.append(text)
        return parts

    async def passthrough(self, body: dict[str, Any]) -> dict[str, Any]:
        """Forward a caller's Messages API body unchanged (model chosen by the caller)."""
        message = await self.aclient.messages.create(**body)
        return message.model_dump()


def one_shot(prompt: str) -> str:
    params = {"model": "claude-3-haiku-20240307", "max_tokens": 256}
    message = anthropic.Anthropic().messages.create(**params, messages=[{"role": "user", "content": prompt}])
    return message.content[0].text
