"""Answer a customer's question from retrieved knowledge-base articles."""

from __future__ import annotations

from langfuse import observe
from openai import AsyncOpenAI

from ..config import ANSWER_MODEL

client = AsyncOpenAI()


@observe()
async def answer(question: str, articles: list[str]) -> str:
    context = "\n---\n".join(articles)
    response = await client.responses.create(
        model=ANSWER_MODEL,
        instructions="Answer only from the articles; say so when they don't cover the question.",
        input=f"Articles:\n{context}\n\nQuestion: {question}",
        max_output_tokens=500,
    )
    return response.output_text


@observe()
async def embed(texts: list[str]) -> list[list[float]]:
    result = await client.embeddings.create(model="text-embedding-3-small", input=texts)
    return [item.embedding for item in result.data]
