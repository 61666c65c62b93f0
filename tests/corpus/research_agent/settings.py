"""Agent settings (env prefix RESEARCH_)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class AgentSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RESEARCH_")

    PLANNER_MODEL: str = "gpt-4o"
    WRITER_MODEL: str = "claude-3-5-sonnet-latest"
    CRITIC_MODEL: str = "gemini-1.5-pro"
    MAX_STEPS: int = 12
    WRITER_MAX_TOKENS: int = 4096
    AZURE_DEPLOYMENT: str = "gpt-4o-research"
    AZURE_API_VERSION: str = "2024-08-01-preview"


settings = AgentSettings()
