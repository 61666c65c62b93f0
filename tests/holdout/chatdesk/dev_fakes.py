"""Offline mode for local demos: a fake OpenAI client so the UI works without a key."""

from __future__ import annotations

from types import SimpleNamespace
from unittest.mock import MagicMock


def make_offline_client() -> MagicMock:
    client = MagicMock()
    client.chat.completions.create.return_value = SimpleNamespace(
        choices=[SimpleNamespace(message=SimpleNamespace(content="(offline reply)"))]
    )
    return client


def demo_reply(text: str) -> str:
    client = make_offline_client()
    completion = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
    return completion.choices[0].message.content
