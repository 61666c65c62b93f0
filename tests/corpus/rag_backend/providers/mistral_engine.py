"""Mistral answer engine for EU customers (data stays with an EU provider). mistralai 1.x client."""

from __future__ import annotations

import logging
import os

from mistralai import Mistral

from ..config import MISTRAL_MODEL

logger = logging.getLogger(__name__)


class MistralEngine:
    def __init__(self, api_key: str | None = None) -> None:
        self._client = Mistral(api_key=api_key or os.environ["MISTRAL_API_KEY"])

    def answer(self, question: str, context: str) -> str:
        response = self._client.chat.complete(
            model=MISTRAL_MODEL,
            messages=[
                {"role": "system", "content": f"Answer only from this context:\n{context}"},
                {"role": "user", "content": question},
            ],
            max_tokens=800,
            temperature=0.1,
        )
        return response.choices[0].message.content

    async def answer_async(self, question: str) -> str:
        response = await self._client.chat.complete_async(
            model="mistral-small-latest",
            messages=[{"role": "user", "content": question}],
            max_tokens=400,
        )
        return response.choices[0].message.content

    def stream(self, question: str) -> list[str]:
        parts: list[str] = []
        for event in self._client.chat.stream(model=MISTRAL_MODEL, messages=[{"role": "user", "content": question}]):
            parts.append(event.data.choices[0].delta.content or "")
        return parts

    def embed(self, texts: list[str]) -> list[list[float]]:
        response = self._client.embeddings.create(model="mistral-embed", inputs=texts)
        return [item.embedding for item in response.data]
