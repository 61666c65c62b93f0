"""Migrated to openai>=1 but kept the module-level style (no explicit client object)."""

from __future__ import annotations

import os
from pathlib import Path

import openai

openai.api_key = os.environ.get("OPENAI_API_KEY")

SUMMARY_MODEL = "gpt-4o-mini"


def summarise(text: str) -> str:
    completion = openai.chat.completions.create(
        model=SUMMARY_MODEL,
        messages=[{"role": "user", "content": f"Summarise:\n{text}"}],
        max_tokens=250,
    )
    return completion.choices[0].message.content or ""


def vectors(texts: list[str]) -> list[list[float]]:
    result = openai.embeddings.create(model="text-embedding-3-small", input=texts)
    return [row.embedding for row in result.data]


def cover_image(topic: str) -> str:
    image = openai.images.generate(model="dall-e-3", prompt=f"Flat illustration of {topic}", size="1024x1024", n=1)
    return image.data[0].url or ""


def autocomplete(prefix: str) -> str:
    result = openai.completions.create(model="gpt-3.5-turbo-instruct", prompt=prefix, max_tokens=32, temperature=0)
    return result.choices[0].text


def transcribe(recording: Path) -> str:
    with recording.open("rb") as audio:
        transcript = openai.audio.transcriptions.create(model="whisper-1", file=audio)
    return transcript.text
