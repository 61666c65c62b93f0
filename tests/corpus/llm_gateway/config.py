"""Vendor endpoints and default models of the gateway."""

from __future__ import annotations

import os

GROQ_BASE_URL = "https://api.groq.com/openai/v1"
TOGETHER_BASE_URL = "https://api.together.xyz/v1"
OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1"
DEEPSEEK_BASE_URL = "https://api.deepseek.com"
XAI_BASE_URL = "https://api.x.ai/v1"
LOCAL_BASE_URL = "http://localhost:11434/v1"

DEFAULT_CLAUDE = "claude-3-5-sonnet-20241022"
DEFAULT_GPT = os.getenv("GATEWAY_DEFAULT_GPT", "gpt-4o")
AZURE_CHAT_DEPLOYMENT = "gpt-4o-prod-eastus"
AZURE_API_VERSION = "2024-10-21"


class Limits:
    """Hard caps the gateway applies when a caller sends none."""

    CHAT_MAX_TOKENS = 1024
    CLAUDE_MAX_TOKENS = 2048
