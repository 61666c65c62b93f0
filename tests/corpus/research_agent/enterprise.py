"""Enterprise tenants: their own Azure deployment (named in their config) and vendor routes via LiteLLM."""

from __future__ import annotations

import os

import litellm
from langchain_core.runnables import RunnableParallel
from langchain_openai import AzureChatOpenAI
from langchain_anthropic import ChatAnthropic


def tenant_writer() -> AzureChatOpenAI:
    return AzureChatOpenAI(
        azure_deployment=os.environ["TENANT_AZURE_DEPLOYMENT"],
        api_version="2024-10-21",
        max_tokens=2000,
    )


def summarise_via_azure(text: str) -> str:
    response = litellm.completion(
        model="azure/gpt-4o-prod",
        messages=[{"role": "user", "content": f"Summarise:\n{text}"}],
        api_version="2024-10-21",
        max_tokens=500,
    )
    return response.choices[0].message.content


async def summarise_via_vertex(text: str) -> str:
    response = await litellm.acompletion(
        model="vertex_ai/gemini-1.5-pro",
        messages=[{"role": "user", "content": f"Summarise:\n{text}"}],
        max_tokens=500,
    )
    return response.choices[0].message.content


def dual_draft() -> RunnableParallel:
    """Two drafts side by side for the tenant's editor to choose from."""
    return RunnableParallel(
        claude=ChatAnthropic(model="claude-3-5-sonnet-20241022", max_tokens=1500),
        azure=tenant_writer(),
    )
