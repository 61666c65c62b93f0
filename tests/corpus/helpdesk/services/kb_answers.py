"""Answer agent questions from the internal knowledge base, with prompt caching for the long KB prefix."""

from __future__ import annotations

import functools
import logging

from anthropic import Anthropic

from ..llm import client as openai_client

logger = logging.getLogger(__name__)

KB_MODEL = "claude-3-5-sonnet-20241022"
KB_MAX_TOKENS = 800

_kb_client = Anthropic()
ask_kb = functools.partial(_kb_client.messages.create, model=KB_MODEL, max_tokens=KB_MAX_TOKENS)


def answer_from_kb(kb_text: str, question: str) -> str:
    message = ask_kb(
        system=[{"type": "text", "text": kb_text, "cache_control": {"type": "ephemeral"}}],
        messages=[{"role": "user", "content": question}],
    )
    return message.content[0].text


def quick_fact(question: str) -> str:
    message = Anthropic().messages.create(
        model="claude-3-5-haiku-latest",
        max_tokens=150,
        messages=[{"role": "user", "content": question}],
    )
    return message.content[0].text


def classify_intent(question: str) -> str:
    completion = openai_client.with_options(timeout=5.0).chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": f"Intent of: {question}. One word."}],
        max_tokens=5,
    )
    return (completion.choices[0].message.content or "").strip().lower()
