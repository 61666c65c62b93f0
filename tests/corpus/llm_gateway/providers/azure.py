"""Azure OpenAI: model names are deployment names in our resource."""

from __future__ import annotations

import os

from azure.identity import DefaultAzureCredential, get_bearer_token_provider
from openai import AsyncAzureOpenAI, AzureOpenAI

from ..config import AZURE_API_VERSION, AZURE_CHAT_DEPLOYMENT, Limits

token_provider = get_bearer_token_provider(DefaultAzureCredential(), "https://cognitiveservices.azure.com/.default")

azure = AzureOpenAI(
    azure_endpoint=os.environ.get("AZURE_OPENAI_ENDPOINT", "https://acme-eastus.openai.azure.com"),
    azure_ad_token_provider=token_provider,
    api_version=AZURE_API_VERSION,
)


def azure_chat(messages: list[dict[str, str]], max_tokens: int = Limits.CHAT_MAX_TOKENS) -> str:
    completion = azure.chat.completions.create(
        model=AZURE_CHAT_DEPLOYMENT,
        messages=messages,
        max_tokens=max_tokens,
    )
    return completion.choices[0].message.content or ""


def azure_embed(texts: list[str]) -> list[list[float]]:
    response = azure.embeddings.create(model="text-embedding-3-large-prod", input=texts)
    return [row.embedding for row in response.data]


class AzureStreaming:
    """Async streaming for the chat UI, on the EU resource."""

    DEPLOYMENT = "gpt-4o-mini-eu"

    def __init__(self) -> None:
        self.client = AsyncAzureOpenAI(
            azure_endpoint="https://acme-westeurope.openai.azure.com",
            api_key=os.environ["AZURE_OPENAI_EU_KEY"],
            api_version=AZURE_API_VERSION,
        )

    async def stream(self, messages: list[dict[str, str]]) -> list[str]:
        parts: list[str] = []
        stream = await self.client.chat.completions.create(model=self.DEPLOYMENT, messages=messages, stream=True)
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                parts.append(chunk.choices[0].delta.content)
        return parts

    async def moderate_and_answer(self, question: str) -> str:
        response = await self.client.responses.create(model="o4-mini-eu", input=question, max_output_tokens=2000)
        return response.output_text
