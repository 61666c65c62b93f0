"""Runtime configuration, read from the environment with safe defaults."""

from __future__ import annotations

import os

TRIAGE_MODEL = os.getenv("HELPDESK_TRIAGE_MODEL", "gpt-6-luna")
SUMMARY_MODEL = "claude-sonnet-5-5"
ANSWER_MODEL = os.environ.get("HELPDESK_ANSWER_MODEL", "gpt-6.1-terra")

MAX_TRIAGE_TOKENS = 256
GATEWAY_URL = os.getenv("LLM_GATEWAY_URL", "https://llm-gateway.example.com/v1")
