"""Draft outreach emails with Claude (through Bedrock or Vertex, depending on the region) and send via Gmail."""

from __future__ import annotations

import base64
import logging
from email.message import EmailMessage

from anthropic import AnthropicBedrock, AsyncAnthropicVertex
from googleapiclient.discovery import build

from .config import Models, config

logger = logging.getLogger(__name__)

EMAIL_SYSTEM = "You write short, specific B2B outreach emails. No buzzwords. Under 120 words."


class BedrockDrafter:
    def __init__(self, region: str = "us-east-1") -> None:
        self.client = AnthropicBedrock(aws_region=region)

    def draft(self, prospect: str, angle: str) -> str:
        message = self.client.messages.create(
            model=Models.EMAIL_BEDROCK,
            max_tokens=config.max_email_tokens,
            system=EMAIL_SYSTEM,
            messages=[{"role": "user", "content": f"Prospect: {prospect}\nAngle: {angle}"}],
        )
        return message.content[0].text

    def subject_lines(self, body: str) -> list[str]:
        message = self.client.messages.create(
            model="anthropic.claude-3-haiku-20240307-v1:0",
            max_tokens=100,
            messages=[{"role": "user", "content": f"Three subject lines for:\n{body}"}],
        )
        return message.content[0].text.splitlines()


async def draft_on_vertex(prospect: str) -> str:
    client = AsyncAnthropicVertex(project_id=config.gcp_project, region="us-east5")
    message = await client.messages.create(
        model=Models.EMAIL_VERTEX,
        max_tokens=config.max_email_tokens,
        system=EMAIL_SYSTEM,
        messages=[{"role": "user", "content": f"Prospect: {prospect}"}],
    )
    return message.content[0].text


def send_via_gmail(credentials: object, to: str, subject: str, body: str) -> str:
    service = build("gmail", "v1", credentials=credentials)
    mail = EmailMessage()
    mail["To"], mail["Subject"] = to, subject
    mail.set_content(body)
    raw = base64.urlsafe_b64encode(mail.as_bytes()).decode()
    sent = service.users().messages().send(userId="me", body={"raw": raw}).execute()
    return sent["id"]
