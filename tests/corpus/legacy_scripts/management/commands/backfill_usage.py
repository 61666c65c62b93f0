"""Django management command: backfill per-ticket LLM usage rows and re-summarise tickets missing a summary."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand
from openai import OpenAI

from tickets.models import LLMUsage, Ticket, TicketSummary

BACKFILL_MODEL = os.environ.get("BACKFILL_MODEL") or "gpt-4o-mini"


class Command(BaseCommand):
    help = "Backfill LLM usage accounting and missing ticket summaries."

    def handle(self, *args: object, **options: object) -> None:
        client = OpenAI()
        for ticket in Ticket.objects.filter(summary__isnull=True).iterator():
            completion = client.chat.completions.create(
                model=BACKFILL_MODEL,
                messages=[{"role": "user", "content": f"Summarise in two lines:\n{ticket.body}"}],
                max_tokens=80,
            )
            TicketSummary.objects.create(ticket=ticket, text=completion.choices[0].message.content or "")
            usage = completion.usage
            LLMUsage.objects.create(
                ticket=ticket,
                model=BACKFILL_MODEL,
                prompt_tokens=usage.prompt_tokens if usage else 0,
                completion_tokens=usage.completion_tokens if usage else 0,
            )
