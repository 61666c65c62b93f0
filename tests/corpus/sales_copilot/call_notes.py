"""Turn sales-call recordings into CRM notes and next steps."""

from __future__ import annotations

import logging
from pathlib import Path

from openai import OpenAI

from .clients import openai_client
from .config import Models

logger = logging.getLogger(__name__)

NOTES_ASSISTANT_ID = "asst_4QvK2n0sales"


def transcribe(recording: Path) -> str:
    with recording.open("rb") as audio:
        transcript = openai_client.audio.transcriptions.create(model=Models.TRANSCRIBE, file=audio, language="en")
    return transcript.text


def notes(transcript: str) -> str:
    completion = openai_client.chat.completions.create(
        model=Models.NOTES,
        messages=[
            {"role": "system", "content": "Write CRM notes: attendees, pains, objections, next steps."},
            {"role": "user", "content": transcript},
        ],
        max_completion_tokens=900,
        metadata={"use_case": "call-notes", "team": "sales"},
    )
    return completion.choices[0].message.content or ""


def next_steps_with_assistant(client: OpenAI, transcript: str) -> str:
    """The RevOps assistant keeps the playbook in its instructions; we only add the transcript."""
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread.id, role="user", content=transcript)
    run = client.beta.threads.runs.create_and_poll(
        thread.id,
        assistant_id=NOTES_ASSISTANT_ID,
        model="gpt-4o-mini",
        max_completion_tokens=500,
    )
    if run.status != "completed":
        logger.warning("assistant run ended as %s", run.status)
        return ""
    messages = client.beta.threads.messages.list(thread_id=thread.id, order="desc", limit=1)
    return messages.data[0].content[0].text.value


def translate_notes(text: str, language: str) -> str:
    response = openai_client.responses.create(
        model="gpt-4.1-nano",
        input=f"Translate into {language}:\n{text}",
        max_output_tokens=1200,
    )
    return response.output_text
