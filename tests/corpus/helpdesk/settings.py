"""Runtime configuration, read from the environment (prefix HELPDESK_) with sane defaults."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob the service reads; defaults are what production runs unless overridden."""

    model_config = SettingsConfigDict(env_prefix="HELPDESK_", env_file=".env", extra="ignore")

    database_url: str = "postgresql+asyncpg://helpdesk@localhost/helpdesk"
    triage_model: str = "gpt-4o-mini"
    reply_model: str = "gpt-4o-2024-08-06"
    summary_model: str = "claude-3-5-haiku-20241022"
    escalation_model: str = "claude-3-5-sonnet-20241022"
    embedding_model: str = "text-embedding-3-small"
    max_reply_tokens: int = 700
    twilio_account_sid: str = Field(default="", repr=False)
    twilio_auth_token: str = Field(default="", repr=False)
    twilio_from_number: str = "+15005550006"
    slack_bot_token: str = Field(default="", repr=False)
    slack_escalation_channel: str = "#support-escalations"
    stripe_api_key: str = Field(default="", repr=False)


settings = Settings()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """FastAPI dependency; cached so the .env file is read once."""
    return settings
