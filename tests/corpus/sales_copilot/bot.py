"""Slack Bolt entry point: slash commands and message shortcuts."""

from __future__ import annotations

import logging
import os

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from .call_notes import notes
from .config import config
from .research import ask_crm
from .translate import translate_groq

logger = logging.getLogger(__name__)
app = App(token=os.environ.get("SLACK_BOT_TOKEN"), signing_secret=os.environ.get("SLACK_SIGNING_SECRET"))


@app.command("/research")
def research_command(ack, respond, command) -> None:  # noqa: ANN001 - Bolt injects these
    ack()
    respond(ask_crm(command["text"]))


@app.command("/translate")
def translate_command(ack, respond, command) -> None:  # noqa: ANN001
    ack()
    target, _, text = command["text"].partition(" ")
    respond(translate_groq(text, target))


@app.shortcut("call_notes")
def call_notes_shortcut(ack, body, client) -> None:  # noqa: ANN001
    ack()
    text = body["message"]["text"]
    client.chat_postMessage(channel=config.slack_channel, text=notes(text))
    client.reactions_add(channel=body["channel"]["id"], timestamp=body["message"]["ts"], name="memo")


if __name__ == "__main__":
    SocketModeHandler(app, os.environ["SLACK_APP_TOKEN"]).start()
