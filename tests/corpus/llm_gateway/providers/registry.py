"""Client registry for the /v1/quick endpoint: one OpenAI-compatible client per vendor, looked up by name."""

from __future__ import annotations

import os

from openai import OpenAI

from ..config import GROQ_BASE_URL

CLIENTS: dict[str, OpenAI] = {
    "openai": OpenAI(),
    "groq": OpenAI(base_url=GROQ_BASE_URL, api_key=os.environ.get("GROQ_API_KEY")),
}


def quick_openai(prompt: str) -> str:
    completion = CLIENTS["openai"].chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": prompt}],
        max_tokens=256,
    )
    return completion.choices[0].message.content or ""


def quick_groq(prompt: str) -> str:
    completion = CLIENTS["groq"].chat.completions.create(
        model="llama-3.1-8b-instant",
        messages=[{"role": "user", "content": prompt}],
        max_tokens=256,
    )
    return completion.choices[0].message.content or ""
