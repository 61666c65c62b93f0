"""Structured extraction of claims and entities from sources, with instructor."""

from __future__ import annotations

import instructor
from anthropic import Anthropic
from openai import AsyncOpenAI, OpenAI
from pydantic import BaseModel, Field

from .settings import settings


class Claim(BaseModel):
    statement: str
    source_url: str | None = None
    confidence: float = Field(ge=0, le=1)


class Claims(BaseModel):
    claims: list[Claim]


class Entity(BaseModel):
    name: str
    kind: str


openai_structured = instructor.from_openai(OpenAI())
claude_structured = instructor.from_anthropic(Anthropic())


def extract_claims(text: str) -> Claims:
    return openai_structured.chat.completions.create(
        model="gpt-4o-mini",
        response_model=Claims,
        max_retries=2,
        messages=[{"role": "user", "content": f"Extract factual claims:\n\n{text}"}],
    )


def extract_entities(text: str) -> list[Entity]:
    return claude_structured.messages.create(
        model=settings.WRITER_MODEL,
        max_tokens=1024,
        response_model=list[Entity],
        messages=[{"role": "user", "content": text}],
    )


class AsyncExtractor:
    """Used by the streaming endpoint; one client per worker."""

    def __init__(self) -> None:
        self.client = instructor.from_openai(AsyncOpenAI(), mode=instructor.Mode.TOOLS)

    async def claims(self, text: str) -> Claims:
        return await self.client.chat.completions.create(
            model=settings.PLANNER_MODEL,
            response_model=Claims,
            messages=[{"role": "user", "content": text}],
            max_tokens=1500,
        )
