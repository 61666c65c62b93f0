"""On-prem option: Ollama for generation, local models for embeddings and reranking."""

from __future__ import annotations

import logging

import ollama
from ollama import AsyncClient, Client

from ..config import LOCAL_MODEL, OLLAMA_HOST

logger = logging.getLogger(__name__)


def local_answer(question: str, context: str) -> str:
    response = ollama.chat(
        LOCAL_MODEL,
        messages=[
            {"role": "system", "content": f"Context:\n{context}"},
            {"role": "user", "content": question},
        ],
        options={"num_predict": 512, "temperature": 0.1},
    )
    return response["message"]["content"]


def local_embed(texts: list[str]) -> list[list[float]]:
    embed_model = "nomic-embed-text"
    result = ollama.embed(model=embed_model, input=texts)
    return result["embeddings"]


class RemoteOllama:
    """The GPU box in the basement, shared by the team."""

    def __init__(self, host: str = OLLAMA_HOST) -> None:
        self.client = Client(host=host, timeout=120)
        self.aclient = AsyncClient(host=host)

    def summarise(self, text: str) -> str:
        response = self.client.generate(model="qwen2.5:14b", prompt=f"Summarise:\n{text}", options={"num_predict": 300})
        return response["response"]

    async def chat(self, messages: list[dict[str, str]]) -> str:
        response = await self.aclient.chat(model=LOCAL_MODEL, messages=messages)
        return response.message.content

    def installed(self) -> list[str]:
        return [m.model for m in self.client.list().models]
