"""Incident alerts: Claude writes a short summary, Twilio pages the on-call engineer with it."""

from __future__ import annotations

import logging

from anthropic import Anthropic
from twilio.rest import Client

from .settings import settings

logger = logging.getLogger(__name__)

ONCALL_NUMBER = "+15005550009"
PAGE_MODEL = "claude-3-5-haiku-20241022"


def summarise_incident(log_excerpt: str) -> str:
    client = Anthropic()
    message = client.messages.create(
        model=PAGE_MODEL,
        max_tokens=120,
        system="Summarise the incident for an SMS page: what broke, since when, blast radius. Max 300 chars.",
        messages=[{"role": "user", "content": log_excerpt}],
    )
    return message.content[0].text


def page_oncall(summary: str) -> str:
    client = Client(settings.twilio_account_sid, settings.twilio_auth_token)
    message = client.messages.create(body=summary[:320], from_=settings.twilio_from_number, to=ONCALL_NUMBER)
    return message.sid


def postmortem_draft(timeline: str) -> str:
    client = Anthropic()
    parts: list[str] = []
    with client.messages.stream(
        model="claude-3-5-sonnet-20241022",
        max_tokens=3000,
        messages=[{"role": "user", "content": f"Draft a blameless postmortem from this timeline:\n{timeline}"}],
    ) as stream:
        for text in stream.text_stream:
            parts.append(text)
    return "".join(parts)
