"""Text the on-call lead a daily digest of open tickets (openai 0.28 + Twilio Conversations)."""

import os

import openai
from twilio.rest import Client as TwilioClient

from .common import CHAT_MODEL

CONVERSATION_SID = os.environ.get("TWILIO_CONVERSATION_SID", "CHxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")


def digest(tickets):
    response = openai.Completion.create(
        model="gpt-3.5-turbo-instruct",
        prompt="Summarise these open tickets for an SMS (max 300 chars):\n" + "\n".join(tickets),
        max_tokens=120,
    )
    return response["choices"][0]["text"].strip()


def available_models():
    return [m["id"] for m in openai.Model.list()["data"] if m["id"].startswith(CHAT_MODEL[:5])]


def upload_examples(path):
    with open(path, "rb") as handle:
        return openai.File.create(file=handle, purpose="fine-tune")["id"]


def send(text):
    twilio = TwilioClient(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])
    twilio.conversations.v1.conversations(CONVERSATION_SID).messages.create(author="digest-bot", body=text)
