"""Similar-ticket search: embeds ticket text and queries pgvector."""

from __future__ import annotations

from typing import Sequence

from .. import llm
from ..settings import settings


def embed(texts: Sequence[str]) -> list[list[float]]:
    response = llm.client.embeddings.create(model=settings.embedding_model, input=list(texts))
    return [item.embedding for item in response.data]


def embed_query(text: str, dimensions: int = 512) -> list[float]:
    response = llm.client.embeddings.create(
        model="text-embedding-3-large",
        input=text,
        dimensions=dimensions,
    )
    return response.data[0].embedding
