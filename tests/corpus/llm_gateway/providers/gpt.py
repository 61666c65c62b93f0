"""OpenAI provider of the gateway."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from openai import AsyncOpenAI, OpenAI

from ..config import DEFAULT_GPT, Limits

logger = logging.getLogger(__name__)


def build_client(timeout: float = 60.0) -> OpenAI:
    return OpenAI(timeout=timeout, max_retries=2)


class GPTProvider:
    def __init__(self) -> None:
        self.client = build_client()
        self.aclient = AsyncOpenAI()

    def chat(self, messages: list[dict[str, Any]], model: str = DEFAULT_GPT) -> str:
        completion = self.client.chat.completions.create(
            model=model,
            messages=messages,
            max_completion_tokens=Limits.CHAT_MAX_TOKENS,
        )
        return completion.choices[0].message.content or ""

    def chat_streamed(self, messages: list[dict[str, Any]]) -> str:
        with self.client.chat.completions.with_streaming_response.create(
            model="gpt-4o-mini",
            messages=messages,
            max_tokens=Limits.CHAT_MAX_TOKENS,
        ) as response:
            return response.read().decode()

    def reason(self, question: str) -> str:
        response = self.client.responses.create(
            model="o3",
            input=question,
            reasoning={"effort": "high"},
            max_output_tokens=20000,
        )
        return response.output_text

    async def achat(self, messages: list[dict[str, Any]], model: str) -> str:
        completion = await self.aclient.chat.completions.create(model=model, messages=messages)
        return completion.choices[0].message.content or ""

    def image(self, prompt: str) -> str:
        result = self.client.images.generate(model="gpt-image-1", prompt=prompt, size="1024x1024")
        return result.data[0].b64_json or ""

    def speak(self, text: str, out: Path) -> None:
        with self.client.audio.speech.with_streaming_response.create(model="tts-1", voice="alloy", input=text) as r:
            r.stream_to_file(out)


def build_async_client() -> AsyncOpenAI:
    return AsyncOpenAI(max_retries=4)


async def summarise_for_logs(text: str) -> str:
    client = build_async_client()
    model = "gpt-4o-mini"
    response = await client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": f"Summarise for the audit log:\n{text}"}],
        max_tokens=100,
    )
    return response.choices[0].message.content or ""
