"""`manage.py audit_models` — lists which Bedrock models are enabled and archives reports (no generations)."""

from __future__ import annotations

import boto3
from django.conf import settings
from django.core.management.base import BaseCommand

from articles.llm import anthropic_client, bedrock_runtime


class Command(BaseCommand):
    help = "Print the Bedrock foundation models available in the account"

    def handle(self, *args: object, **options: object) -> None:
        control = boto3.client("bedrock", region_name=settings.AWS_REGION)
        for summary in control.list_foundation_models(byOutputModality="TEXT")["modelSummaries"]:
            self.stdout.write(summary["modelId"])
        profiles = control.list_inference_profiles()
        self.stdout.write(f"{len(profiles['inferenceProfileSummaries'])} inference profiles")
        tokens = bedrock_runtime.count_tokens(
            modelId=settings.BEDROCK_SUMMARY_MODEL,
            input={"converse": {"messages": [{"role": "user", "content": [{"text": "hello"}]}]}},
        )
        self.stdout.write(f"probe tokens: {tokens['inputTokens']}")
        for model in anthropic_client.models.list():
            self.stdout.write(model.id)
        s3 = boto3.resource("s3")
        s3.Bucket(settings.MEDIA_BUCKET).upload_file("/tmp/models.txt", "audit/models.txt")
