"""Job configuration. Values are code defaults; the scheduler overrides a few through the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

DIGEST_MODEL = "claude-3-5-sonnet-20241022"
CHEAP_MODEL = os.getenv("DIGEST_CHEAP_MODEL", "claude-3-haiku-20240307")
BEDROCK_REGION = os.environ.get("AWS_REGION", "us-east-1")
GEMINI_FAMILY = "gemini-2.0"
GEMINI_TIER = "flash"


@dataclass(frozen=True)
class JobConfig:
    """One place for every tunable of the nightly run."""

    archive_bucket: str = "acme-digest-archive"
    max_accounts: int = 5000
    digest_max_tokens: int = 1024
    bedrock_model_id: str = "anthropic.claude-3-5-sonnet-20240620-v1:0"
    gemini_model: str = "gemini-1.5-flash-002"
    vertex_project: str = "acme-analytics-prod"
    vertex_location: str = "europe-west4"
    embedding_model: str = "text-embedding-3-small"
    labels: dict[str, str] = field(default_factory=lambda: {"team": "customer-success", "job": "nightly-digest"})


CONFIG = JobConfig()
