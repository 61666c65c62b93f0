"""Runtime configuration, read from the environment by pydantic-settings."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHATDESK_", env_file=".env")

    chat_model: str = "gpt-4o-mini"
    escalation_model: str = "claude-3-5-sonnet-20241022"
    azure_deployment: str = "chat-gpt4o-eu"
    azure_endpoint: str = "https://chatdesk-eu.openai.azure.com"
    max_reply_tokens: int = 600
    twilio_from: str = "+15005550006"


@lru_cache
def get_settings() -> Settings:
    return Settings()


SUMMARY_MODEL = os.getenv("CHATDESK_SUMMARY_MODEL", "gpt-4.1-mini")
