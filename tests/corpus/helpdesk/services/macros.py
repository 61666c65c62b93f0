"""Canned-reply macros: generate, localise and audit them in bulk from the admin console."""

from __future__ import annotations

import asyncio
import logging
from enum import Enum
from functools import lru_cache

import openai
from openai import AsyncOpenAI, OpenAI

from ..llm_utils import completion

logger = logging.getLogger(__name__)


class MacroModel(str, Enum):
    DEFAULT = "gpt-4o-mini"
    CAREFUL = "gpt-4o"


@lru_cache(maxsize=1)
def get_openai() -> OpenAI:
    return openai.OpenAI(max_retries=5)


def new_macro(topic: str) -> str:
    result = get_openai().chat.completions.create(
        model=MacroModel.DEFAULT.value,
        messages=[{"role": "user", "content": f"Write a support macro about: {topic}"}],
        max_tokens=400,
    )
    return result.choices[0].message.content or ""


class MacroLocaliser:
    """Translates macros; the model is fixed per instance so a batch is consistent."""

    def __init__(self, client: OpenAI, model: str = "gpt-4o-mini-2024-07-18") -> None:
        self.client = client
        self.model = model

    def localise(self, macro: str, locale: str) -> str:
        response = (
            self.client.chat.completions
            .create(
                model=self.model,
                messages=[{"role": "user", "content": f"Translate this macro to {locale}:\n{macro}"}],
                max_tokens=500,
            )
        )
        return response.choices[0].message.content or ""


async def audit_all(macros: list[str]) -> list[str]:
    """Checks every macro against the refund policy concurrently."""
    aclient = AsyncOpenAI()
    responses = await asyncio.gather(*(
        aclient.chat.completions.create(
            model=MacroModel.CAREFUL,
            messages=[{"role": "user", "content": f"Does this macro promise a refund? yes/no\n{m}"}],
            max_tokens=3,
        )
        for m in macros
    ))
    return [(r.choices[0].message.content or "").strip() for r in responses]


def stream_preview(topic: str) -> str:
    client = get_openai()
    with client.beta.chat.completions.stream(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": f"Preview a macro about {topic}"}],
        max_tokens=200,
    ) as stream:
        for _ in stream:
            pass
        final = stream.get_final_completion()
    return final.choices[0].message.content or ""


def recent_macro_generations() -> list[str]:
    """Stored completions tagged by the macro generator (admin audit view)."""
    client = get_openai()
    page = client.chat.completions.list(metadata={"use_case": "macro-generation"}, limit=20)
    return [c.id for c in page.data]


def rewrite_title(title: str) -> str:
    return completion(f"Rewrite this macro title to be clearer: {title}", model="gpt-4o", max_tokens=30)
