"""Objection handling cards, generated from the win/loss notes."""

from __future__ import annotations

import os

import cohere
from mistralai import Mistral
from openai import OpenAI as OpenAIClient

from .clients import mistral

CARD_MODEL = "gpt-4o-mini"


class ObjectionCards:
    def __init__(self) -> None:
        self.client = OpenAIClient(api_key=os.environ.get("OPENAI_API_KEY"))

    def card(self, objection: str) -> str:
        response = self.client.chat.completions.create(
            model=CARD_MODEL,
            messages=[{"role": "user", "content": f"Write a rebuttal card for: {objection}"}],
            max_tokens=300,
        )
        return response.choices[0].message.content or ""


def card_token_estimate(text: str) -> int:
    co = cohere.ClientV2()
    return len(co.tokenize(text=text, model="command-r-08-2024").tokens)


def mistral_models() -> list[str]:
    return [m.id for m in mistral.models.list().data or []]


def french_card(objection: str, client: Mistral | None = None) -> str:
    client = client or Mistral(api_key=os.environ.get("MISTRAL_API_KEY", ""))
    response = client.chat.complete(
        model="mistral-large-2411",
        messages=[{"role": "user", "content": f"Carte de réponse à l'objection : {objection}"}],
        max_tokens=300,
    )
    return response.choices[0].message.content
