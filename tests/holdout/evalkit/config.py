"""Which models the evaluation harness compares, and how."""

from __future__ import annotations

import os
from dataclasses import dataclass

JUDGE_MODEL = "gpt-4o-2024-08-06"
CANDIDATE_CLAUDE = "claude-3-5-sonnet-20241022"
LOCAL_MODEL = os.getenv("EVALKIT_LOCAL_MODEL", "llama3.2:3b")
GROQ_MODEL = "llama-3.3-70b-versatile"
TOGETHER_BASE_URL = "https://api.together.xyz/v1"
GROQ_BASE_URL = "https://api.groq.com/openai/v1"
OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1"

LITELLM_DEFAULTS = {"temperature": 0.0, "max_tokens": 512, "num_retries": 2}


@dataclass(frozen=True)
class RunConfig:
    judge_model: str = JUDGE_MODEL
    candidate_model: str = "gpt-4.1-nano"
    embedding_model: str = "text-embedding-3-small"
    max_tokens: int = 256


DEFAULT_RUN = RunConfig()
