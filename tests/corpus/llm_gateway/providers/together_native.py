"""Together through its own SDK, for the endpoints the OpenAI-compatible route lacks (images, raw completions)."""

from __future__ import annotations

import base64
import logging

from together import AsyncTogether, Together

logger = logging.getLogger(__name__)

IMAGE_MODEL = "black-forest-labs/FLUX.1-schnell"


class TogetherNative:
    def __init__(self) -> None:
        self.client = Together()
        self.aclient = AsyncTogether()

    def raw_complete(self, prompt: str, max_tokens: int = 256) -> str:
        response = self.client.completions.create(
            model="meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo",
            prompt=prompt,
            max_tokens=max_tokens,
            stop=["</s>"],
        )
        return response.choices[0].text

    def image(self, prompt: str) -> bytes:
        response = self.client.images.generate(model=IMAGE_MODEL, prompt=prompt, steps=4, n=1)
        return base64.b64decode(response.data[0].b64_json)

    async def stream_chat(self, messages: list[dict[str, str]]) -> list[str]:
        parts: list[str] = []
        stream = await self.aclient.chat.completions.create(
            model="deepseek-ai/DeepSeek-V3",
            messages=messages,
            stream=True,
            max_tokens=2048,
        )
        async for chunk in stream:
            parts.append(chunk.choices[0].delta.content or "")
        return parts
