"""Models per task. Class constants so the eval harness can subclass and swap them."""

from __future__ import annotations

import os
from dataclasses import dataclass


class Models:
    NOTES = "gpt-4o"
    TRANSCRIBE = "whisper-1"
    EMAIL_BEDROCK = "anthropic.claude-3-5-haiku-20241022-v1:0"
    EMAIL_VERTEX = "claude-3-5-haiku@20241022"
    TRANSLATE_GROQ = "gemma2-9b-it"
    RESEARCH = os.environ.get("COPILOT_RESEARCH_MODEL", "gpt-4o-mini")
    FORECAST_VERTEX = "gemini-1.5-pro-002"


@dataclass(frozen=True)
class CopilotConfig:
    slack_channel: str = "#sales-copilot"
    gemini_model: str = "gemini-2.0-flash"
    mistral_model: str = "mistral-small-2409"
    bedrock_pricing_model: str = "cohere.command-r-plus-v1:0"
    max_email_tokens: int = 600
    gcp_project: str = "acme-sales-prod"
    gcp_region: str = "us-central1"


config = CopilotConfig()
