"""Re-embed knowledge-base articles changed since the last run (OpenAI) and Cohere for the German KB."""

from __future__ import annotations

import logging
from typing import Sequence

import cohere
from openai import OpenAI

from ..config import CONFIG, JobConfig

logger = logging.getLogger(__name__)
BATCH = 256


def embed_articles(articles: Sequence[str], config: JobConfig = CONFIG) -> list[list[float]]:
    client = OpenAI()
    vectors: list[list[float]] = []
    for start in range(0, len(articles), BATCH):
        response = client.embeddings.create(model=config.embedding_model, input=list(articles[start:start + BATCH]))
        vectors.extend(item.embedding for item in response.data)
    logger.info("embedded %d articles", len(vectors))
    return vectors


def embed_german(articles: Sequence[str]) -> list[list[float]]:
    co = cohere.ClientV2()
    response = co.embed(
        model="embed-multilingual-v3.0",
        texts=list(articles),
        input_type="search_document",
        embedding_types=["float"],
    )
    return list(response.embeddings.float_ or [])
