"""Ticket triage: pick a queue and an urgency for each inbound ticket."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from langfuse import observe

from .config import MAX_TRIAGE_TOKENS, TRIAGE_MODEL
from .llm import openai_client

log = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "You route customer-support tickets. Answer with JSON: "
    '{"queue": "billing|technical|account|other", "urgency": "low|normal|high"}.'
)


@dataclass(frozen=True)
class Triage:
    queue: str
    urgency: str


@observe()
def triage(ticket_text: str) -> Triage:
    """Classify one ticket; falls back to the `other` queue when the model answers nonsense."""
    response = openai_client.chat.completions.create(
        model=TRIAGE_MODEL,
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": ticket_text},
        ],
        max_completion_tokens=MAX_TRIAGE_TOKENS,
        response_format={"type": "json_object"},
        metadata={"use_case": "ticket-triage", "prompt_version": "v3"},
    )
    try:
        data = json.loads(response.choices[0].message.content or "{}")
        return Triage(queue=data.get("queue", "other"), urgency=data.get("urgency", "normal"))
    except json.JSONDecodeError:
        log.warning("triage answer was not JSON; routing to other")
        return Triage(queue="other", urgency="normal")


@observe(name="escalation-note")
def escalation_note(ticket_text: str) -> str:
    """A one-paragraph note for the on-call engineer, written by a larger model."""
    response = openai_client.chat.completions.create(
        model="gpt-6-sol",
        messages=[{"role": "user", "content": f"Write an escalation note for: {ticket_text}"}],
        max_completion_tokens=400,
        metadata={"use_case": "ticket-triage"},
    )
    return response.choices[0].message.content or ""
