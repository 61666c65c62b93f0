"""Vector retrieval over the internal wiki (Chroma on local disk)."""

from __future__ import annotations

from langchain_chroma import Chroma
from langchain_core.vectorstores import VectorStoreRetriever

from .llms import embeddings

PERSIST_DIR = "/var/lib/research-agent/chroma"


def build_retriever(k: int = 6) -> VectorStoreRetriever:
    store = Chroma(collection_name="wiki", embedding_function=embeddings(), persist_directory=PERSIST_DIR)
    return store.as_retriever(search_kwargs={"k": k})
