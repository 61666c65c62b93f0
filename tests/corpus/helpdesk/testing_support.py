"""Fakes for local development and the integration test harness (no network, no keys)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator
from unittest.mock import MagicMock, create_autospec, patch

from anthropic import Anthropic
from anthropic.types import Message, TextBlock, Usage
from openai import OpenAI
from openai.types.chat import ChatCompletion, ChatCompletionMessage
from openai.types.chat.chat_completion import Choice


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


def canned_completion(text: str) -> ChatCompletion:
    """A well-formed response object for contract tests of the triage parser."""
    return ChatCompletion(
        id="chatcmpl-test",
        model="gpt-4o-mini",
        object="chat.completion",
        created=0,
        choices=[Choice(index=0, finish_reason="stop", message=ChatCompletionMessage(role="assistant", content=text))],
    )


def canned_message(text: str) -> Message:
    return Message(
        id="msg_test",
        model="claude-3-5-haiku-20241022",
        role="assistant",
        type="message",
        content=[TextBlock(type="text", text=text)],
        stop_reason="end_turn",
        usage=Usage(input_tokens=1, output_tokens=1),
    )


def autospec_clients() -> tuple[OpenAI, Anthropic]:
    """Spec'd doubles: attribute typos fail loudly, unlike a bare MagicMock."""
    openai_double = create_autospec(OpenAI, instance=True)
    openai_double.chat.completions.create.return_value = canned_completion("{}")
    claude_double = create_autospec(Anthropic, instance=True)
    claude_double.messages.create(model="claude-3-5-haiku-20241022", max_tokens=1, messages=[])
    return openai_double, claude_double
