"""Gemini drafts the weekly trend section and the account-health chat used by the CSM assistant."""

from __future__ import annotations

import logging

from google import genai
from google.genai import types

from ..clients import gemini
from ..config import CONFIG, GEMINI_FAMILY, GEMINI_TIER

logger = logging.getLogger(__name__)

TREND_CONFIG = types.GenerateContentConfig(
    max_output_tokens=800,
    temperature=0.2,
    labels={"team": "customer-success", "use_case": "weekly-trends"},
)


def weekly_trends(summaries: list[str]) -> str:
    response = gemini.models.generate_content(
        model=CONFIG.gemini_model,
        contents="\n\n".join(summaries),
        config=TREND_CONFIG,
    )
    return response.text or ""


def stream_trends(summaries: list[str]) -> list[str]:
    parts: list[str] = []
    for chunk in gemini.models.generate_content_stream(
        model=f"{GEMINI_FAMILY}-{GEMINI_TIER}",
        contents=summaries,
        config={"max_output_tokens": 800},
    ):
        parts.append(chunk.text or "")
    return parts


async def health_score_explanations(accounts: list[str]) -> list[str]:
    client = genai.Client(vertexai=True, project=CONFIG.vertex_project, location=CONFIG.vertex_location)
    results: list[str] = []
    for account in accounts:
        response = await client.aio.models.generate_content(
            model="gemini-2.0-flash-001",
            contents=f"Explain this account's health score in two sentences: {account}",
            config=types.GenerateContentConfig(max_output_tokens=120),
        )
        results.append(response.text or "")
    return results


def csm_chat(question: str, context: str) -> str:
    chat = gemini.chats.create(
        model="gemini-2.5-flash",
        config=types.GenerateContentConfig(system_instruction=context, max_output_tokens=400),
    )
    reply = chat.send_message(question)
    return reply.text or ""


def embed_summaries(summaries: list[str]) -> list[list[float]]:
    result = gemini.models.embed_content(model="text-embedding-004", contents=summaries)
    return [embedding.values for embedding in result.embeddings]


def prompt_size(summaries: list[str]) -> int:
    counted = gemini.models.count_tokens(model=CONFIG.gemini_model, contents=summaries)
    return counted.total_tokens
