"""Agent-assist helpers shown in the support console: drafts, transcripts, knowledge answers."""

from __future__ import annotations

import os
from functools import partial
from typing import Any

import anthropic
import openai
from anthropic import AnthropicBedrock

from .. import constants
from ..settings import get_settings

sync_client = openai.OpenAI(default_headers={"x-chatdesk-feature": "agent-assist"})
draft_reply = partial(sync_client.chat.completions.create, model="gpt-4o", temperature=0.3)

CLAUDE_KWARGS: dict[str, Any] = {"model": "claude-sonnet-4-20250514", "max_tokens": 800}


def draft(ticket_text: str) -> str:
    completion = draft_reply(messages=[{"role": "user", "content": f"Draft a reply:\n{ticket_text}"}])
    return completion.choices[0].message.content or ""


def transcribe_call(path: str) -> str:
    with open(path, "rb") as audio:
        transcript = sync_client.audio.transcriptions.create(model="whisper-1", file=audio)
    return transcript.text


def read_aloud(text: str, out_path: str) -> None:
    with sync_client.audio.speech.with_streaming_response.create(model="tts-1", voice="alloy", input=text) as response:
        response.stream_to_file(out_path)


def knowledge_answer(question: str, context: str) -> str:
    client = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])
    message = client.messages.create(
        system=f"Answer only from this context:\n{context}",
        messages=[{"role": "user", "content": question}],
        **CLAUDE_KWARGS,
    )
    return message.content[0].text


def _chat(**kwargs: Any) -> str:
    """Every console feature funnels through here so retries and logging live in one place."""
    completion = sync_client.chat.completions.create(**kwargs)
    return completion.choices[0].message.content or ""


def suggest_tags(ticket_text: str) -> str:
    return _chat(model=constants.TRIAGE_MODEL, messages=[{"role": "user", "content": ticket_text}])


def compliance_check(ticket_text: str) -> str:
    bedrock = AnthropicBedrock(aws_region="eu-central-1")
    result = bedrock.messages.create(
        model="eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
        max_tokens=constants.MAX_TOKENS,
        messages=[{"role": "user", "content": f"Does this reply promise refunds? {ticket_text}"}],
    )
    return result.content[0].text


def legacy_completion(prompt: str) -> str:
    settings = get_settings()
    response = sync_client.completions.create(model="gpt-3.5-turbo-instruct", prompt=prompt, max_tokens=settings.max_reply_tokens)
    return response.choices[0].text


def console_answer(question: str) -> str:
    response = sync_client.responses.create(model="o4-mini", input=question, reasoning={"effort": "low"})
    return response.output_text
