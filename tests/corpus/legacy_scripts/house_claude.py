"""Our thin wrapper around the internal 'claude-proxy' HTTP service (not the anthropic SDK)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests


@dataclass
class _Messages:
    base_url: str

    def create(self, **payload: Any) -> dict[str, Any]:
        response = requests.post(f"{self.base_url}/v1/messages", json=payload, timeout=60)
        response.raise_for_status()
        return response.json()


class Anthropic:
    """Mirrors anthropic.Anthropic's call shape so old notebooks keep working."""

    def __init__(self, base_url: str = "http://claude-proxy.internal:8080") -> None:
        self.messages = _Messages(base_url)


def ask(question: str) -> str:
    client = Anthropic()
    reply = client.messages.create(model="claude-2.1", max_tokens=300, messages=[{"role": "user", "content": question}])
    return reply["content"][0]["text"]
