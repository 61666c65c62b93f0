"""Conversation summaries written when a chat closes."""

from __future__ import annotations

from dataclasses import dataclass, field

from anthropic import AsyncAnthropic
from openai import AsyncOpenAI

from chatdesk.constants import EMBEDDING_MODEL
from chatdesk.settings import SUMMARY_MODEL


@dataclass
class Summariser:
    client: AsyncOpenAI = field(default_factory=AsyncOpenAI)
    model: str = SUMMARY_MODEL
    max_tokens: int = 300

    async def summarise(self, transcript: str) -> str:
        response = await self.client.responses.create(
            model=self.model,
            input=f"Summarise this support conversation:\n{transcript}",
            max_output_tokens=self.max_tokens,
        )
        return response.output_text

    async def embed(self, texts: list[str]) -> list[list[float]]:
        result = await self.client.embeddings.create(model=EMBEDDING_MODEL, input=texts)
        return [item.embedding for item in result.data]


class SentimentScorer:
    """Scores closed conversations; the Anthropic client is injected so tests can swap it."""

    def __init__(self, client: AsyncAnthropic, model: str = "claude-3-haiku-20240307") -> None:
        self._client = client
        self._model = model

    async def score(self, transcript: str) -> str:
        msg = await self._client.messages.create(
            model=self._model,
            max_tokens=5,
            messages=[{"role": "user", "content": f"Sentiment (pos/neg/neu) of:\n{transcript}"}],
        )
        return msg.content[0].text.strip()


async def rescore_all(transcripts: list[str]) -> list[str]:
    scorer = SentimentScorer(AsyncAnthropic())
    return [await scorer.score(t) for t in transcripts]
