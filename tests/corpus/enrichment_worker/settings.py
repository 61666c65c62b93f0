"""Worker settings as a frozen dataclass; the deploy manifest overrides fields via environment."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class WorkerSettings:
    queue_url: str = os.environ.get("ENRICH_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/enrich")
    aws_region: str = "us-east-1"
    classifier_model_id: str = "anthropic.claude-3-haiku-20240307-v1:0"
    summary_model_id: str = "us.anthropic.claude-3-5-sonnet-20241022-v2:0"
    titan_model_id: str = "amazon.titan-text-express-v1"
    llama_model_id: str = "meta.llama3-1-8b-instruct-v1:0"
    litellm_default: str = "gpt-4o-mini"
    max_summary_tokens: int = 400


settings = WorkerSettings()
