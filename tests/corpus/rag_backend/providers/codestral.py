"""Code-snippet completion for the docs playground. Written against mistralai 3.x (new import path)."""

from __future__ import annotations

import os

from mistralai.client import Mistral

CODESTRAL = "codestral-latest"

client = Mistral(api_key=os.environ.get("MISTRAL_API_KEY", ""))


def complete_snippet(prefix: str, suffix: str = "") -> str:
    response = client.fim.complete(model=CODESTRAL, prompt=prefix, suffix=suffix, max_tokens=256)
    return response.choices[0].message.content


def explain_snippet(code: str) -> str:
    response = client.chat.complete(
        model="mistral-medium-2505",
        messages=[{"role": "user", "content": f"Explain this code:\n```\n{code}\n```"}],
        max_tokens=500,
    )
    return response.choices[0].message.content
