"""Replay the FAQ generation against recorded answers (CI smoke test for the prompt templates)."""

from __future__ import annotations

from .offline_stub import OpenAI


def replay(macros: list[str]) -> list[str]:
    client = OpenAI()
    out = []
    for macro in macros:
        completion = client.chat.completions.create(
            model="gpt-3.5-turbo",
            messages=[{"role": "user", "content": macro}],
            max_tokens=400,
        )
        out.append(completion.choices[0].message.content)
    return out
