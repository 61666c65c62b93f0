"""Client factories used as FastAPI dependencies (one client per process)."""

from __future__ import annotations

from functools import lru_cache

from anthropic import AsyncAnthropic
from openai import AsyncAzureOpenAI, AsyncOpenAI

from .settings import get_settings


@lru_cache
def get_openai() -> AsyncOpenAI:
    return AsyncOpenAI(max_retries=3, timeout=30.0)


@lru_cache
def get_anthropic() -> AsyncAnthropic:
    return AsyncAnthropic()


@lru_cache
def get_azure() -> AsyncAzureOpenAI:
    settings = get_settings()
    return AsyncAzureOpenAI(azure_endpoint=settings.azure_endpoint, api_version="2024-10-21")
