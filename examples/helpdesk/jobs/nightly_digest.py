"""Nightly job: e-mail each team lead a digest of yesterday's tickets, and text the on-call."""

from __future__ import annotations

import os

from openai import OpenAI
from twilio.rest import Client as TwilioClient

openai = OpenAI()
sms = TwilioClient(os.environ["TWILIO_SID"], os.environ["TWILIO_TOKEN"])


def digest(tickets: list[str]) -> str:
    response = openai.chat.completions.create(
        model="gpt-6.1-sol",
        messages=[{"role": "user", "content": "Digest these tickets:\n" + "\n".join(tickets)}],
    )
    return response.choices[0].message.content or ""


def page_on_call(number: str, text: str) -> None:
    # Twilio shares the `client.messages.create` chain with Anthropic: not an LLM call.
    sms.messages.create(to=number, from_=os.environ["TWILIO_FROM"], body=text[:160])


if __name__ == "__main__":
    print(digest(["printer on fire", "cannot log in"]))
