"""Classify incoming tickets: category, priority, and whether a human must look first."""

from __future__ import annotations

import json
import logging

from openai import APIError

from helpdesk.llm import client
from helpdesk.schemas import Priority, TicketIn, TriageResult
from helpdesk.settings import settings

logger = logging.getLogger(__name__)

CATEGORIES = ("billing", "bug", "account", "feature-request", "other")
FALLBACK_MODEL = "gpt-4o-mini-2024-07-18"

SYSTEM_PROMPT = (
    "You triage customer support tickets. Reply with JSON: "
    '{"category": one of ' + ", ".join(CATEGORIES) + ', "priority": low|normal|high|urgent, '
    '"needs_human": bool, "reason": short string}.'
)


def triage(ticket: TicketIn) -> TriageResult:
    """Ask the triage model; fall back to a conservative default when the answer is unusable."""
    try:
        completion = client.chat.completions.create(
            model=settings.triage_model,
            messages=[
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": f"Subject: {ticket.subject}\n\n{ticket.body}"},
            ],
            response_format={"type": "json_object"},
            temperature=0,
            max_tokens=200,
            metadata={"use_case": "ticket-triage", "team": "support"},
            store=True,
        )
        data = json.loads(completion.choices[0].message.content or "{}")
        return TriageResult(**data)
    except (APIError, ValueError) as exc:
        logger.warning("triage failed, using fallback: %s", exc)
        return TriageResult(category="other", priority=Priority.NORMAL, needs_human=True, reason="triage failed")


def triage_structured(ticket: TicketIn) -> TriageResult | None:
    """Structured-output variant used by the v2 endpoint; returns None on refusal."""
    completion = client.beta.chat.completions.parse(
        model=FALLBACK_MODEL,
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": ticket.body},
        ],
        response_format=TriageResult,
        max_completion_tokens=300,
        user=ticket.customer_email,
    )
    message = completion.choices[0].message
    if message.refusal:
        logger.info("model refused to triage ticket: %s", message.refusal)
        return None
    return message.parsed
