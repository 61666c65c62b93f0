"""Vector search in Pinecone (serverless index, embeddings computed by the ingestion job)."""

from __future__ import annotations

import os

from pinecone import Pinecone

pc = Pinecone(api_key=os.environ.get("PINECONE_API_KEY"))
index = pc.Index("docs-assistant")


def search(vector: list[float], top_k: int = 8, product: str | None = None) -> list[str]:
    flt = {"product": {"$eq": product}} if product else None
    result = index.query(vector=vector, top_k=top_k, include_metadata=True, filter=flt)
    return [match.metadata["url"] for match in result.matches]


def upsert(doc_id: str, vector: list[float], url: str) -> None:
    index.upsert(vectors=[{"id": doc_id, "values": vector, "metadata": {"url": url}}], namespace="default")
