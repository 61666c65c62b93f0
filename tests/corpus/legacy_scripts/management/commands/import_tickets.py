"""Django management command: import tickets from the old Zendesk export and summarise long ones."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from openai import OpenAI

from tickets.models import Ticket, TicketSummary

LONG_TICKET_CHARS = 4000


def summarise(client: OpenAI, text: str, model: str = "gpt-4o-mini") -> str:
    completion = client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": f"Summarise this support ticket in three lines:\n{text}"}],
        max_tokens=120,
    )
    return completion.choices[0].message.content or ""


class Command(BaseCommand):
    help = "Import tickets from a Zendesk JSON export."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("export", type=Path)
        parser.add_argument("--summarise", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        export = options["export"]
        assert isinstance(export, Path)
        client = OpenAI() if options.get("summarise") else None
        records = json.loads(export.read_text())
        with transaction.atomic():
            for record in records:
                ticket = Ticket.objects.create(
                    external_id=record["id"],
                    subject=record["subject"],
                    body=record["description"],
                )
                if client is not None and len(ticket.body) > LONG_TICKET_CHARS:
                    TicketSummary.objects.create(ticket=ticket, text=summarise(client, ticket.body))
        self.stdout.write(self.style.SUCCESS(f"imported {len(records)} tickets"))
