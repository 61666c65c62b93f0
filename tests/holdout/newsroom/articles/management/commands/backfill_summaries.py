"""`manage.py backfill_summaries` — one-off backfill using the OpenAI module-level client."""

from __future__ import annotations

import os

import openai
from django.core.management.base import BaseCommand, CommandParser

from articles.models import Article

openai.api_key = os.environ.get("OPENAI_API_KEY")
openai.default_headers = {"x-team": "newsroom-backfill"}

DEFAULT_MODEL = "gpt-4o-mini"


class Command(BaseCommand):
    help = "Write missing summaries with OpenAI"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=100)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        todo = Article.objects.filter(summary="")[: int(options["limit"])]
        for article in todo:
            if options["dry_run"]:
                self.stdout.write(f"would summarise {article.pk}")
                continue
            completion = openai.chat.completions.create(
                model=DEFAULT_MODEL,
                messages=[{"role": "user", "content": f"Summarise in two sentences:\n{article.body}"}],
                max_tokens=120,
            )
            article.summary = completion.choices[0].message.content or ""
            article.save(update_fields=["summary"])
            vector = openai.embeddings.create(model="text-embedding-3-large", input=article.summary, dimensions=256)
            self.stdout.write(self.style.SUCCESS(f"{article.pk}: {len(vector.data[0].embedding)} dims"))
        for article in todo[:5]:
            image = openai.images.generate(model="dall-e-3", prompt=f"Editorial illustration: {article.title}", size="1792x1024")
            self.stdout.write(image.data[0].url or "")
