"""Tags conversations with topics using Gemini (cheaper for bulk work)."""

from __future__ import annotations

import os

from google import genai
from google.genai import types

from ..constants import GEMINI_MODEL

_client = genai.Client(api_key=os.environ.get("GEMINI_API_KEY"))


def tag(transcript: str) -> list[str]:
    response = _client.models.generate_content(
        model=GEMINI_MODEL,
        contents=f"List up to three topic tags, comma separated:\n{transcript}",
        config=types.GenerateContentConfig(max_output_tokens=64, temperature=0.0),
    )
    return [t.strip() for t in (response.text or "").split(",") if t.strip()]


async def tag_async(transcript: str) -> str:
    response = await _client.aio.models.generate_content(model="gemini-1.5-flash-8b", contents=transcript)
    return response.text or ""


def budget(transcript: str) -> int:
    counted = _client.models.count_tokens(model=GEMINI_MODEL, contents=transcript)
    return counted.total_tokens or 0
