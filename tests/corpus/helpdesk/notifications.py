"""Customer SMS via Twilio and escalation pings via Slack. Neither talks to an LLM."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from .settings import Settings

logger = logging.getLogger(__name__)


def notify_customer_sms(cfg: Settings, phone: str, text: str) -> str | None:
    client = Client(cfg.twilio_account_sid, cfg.twilio_auth_token)
    try:
        message = client.messages.create(body=text, from_=cfg.twilio_from_number, to=phone)
    except TwilioRestException as exc:
        logger.error("sms to %s failed: %s", phone, exc)
        return None
    return message.sid


def post_escalation(cfg: Settings, text: str) -> None:
    slack = WebClient(token=cfg.slack_bot_token)
    try:
        slack.chat_postMessage(channel=cfg.slack_escalation_channel, text=text, unfurl_links=False)
    except SlackApiError as exc:
        logger.error("slack post failed: %s", exc.response["error"])


def whatsapp_follow_up(cfg: Settings, phone: str, summary: str) -> None:
    twilio = Client(cfg.twilio_account_sid, cfg.twilio_auth_token)
    twilio.messages.create(
        body=f"Update on your ticket: {summary}",
        from_=f"whatsapp:{cfg.twilio_from_number}",
        to=f"whatsapp:{phone}",
    )
