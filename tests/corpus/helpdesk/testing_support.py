"""Fakes for local development and the integration test harness (no network, no keys)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator
from unittest.mock import MagicMock, patch


def fake_openai_client(reply: str = '{"category": "other", "priority": "low", "needs_human": false, "reason": "x"}') -> MagicMock:
    fake = MagicMock()
    fake.chat.completions.create.return_value.choices = [MagicMock(message=MagicMock(content=reply))]
    return fake


def smoke_check_fake() -> str:
    fake = fake_openai_client()
    completion = fake.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "ping"}])
    return completion.choices[0].message.content


@contextmanager
def offline_llm() -> Iterator[MagicMock]:
    with patch("openai.resources.chat.Completions.create") as create:
        create.return_value = MagicMock(choices=[MagicMock(message=MagicMock(content="ok"))])
        yield create
