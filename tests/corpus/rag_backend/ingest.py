"""Ingestion: chunk documents, embed them with the raw OpenAI SDK (cheaper batching), summarise with LlamaIndex."""

from __future__ import annotations

import logging
from typing import Iterable

from llama_index.llms.openai import OpenAI
from openai import OpenAI as RawOpenAI

from .config import CHUNK_SIZE, EMBED_MODEL

logger = logging.getLogger(__name__)

SUMMARY_LLM = OpenAI(model="gpt-4o-mini", temperature=0, max_tokens=256)


def chunks(text: str, size: int = CHUNK_SIZE) -> Iterable[str]:
    for start in range(0, len(text), size):
        yield text[start:start + size]


def embed_document(text: str) -> list[list[float]]:
    raw = RawOpenAI()
    response = raw.embeddings.create(model=EMBED_MODEL, input=list(chunks(text)))
    return [row.embedding for row in response.data]


def summarise_document(text: str) -> str:
    return SUMMARY_LLM.complete(f"Summarise for a search snippet:\n{text[:8000]}").text
