"""LlamaIndex global settings: which LLM and embedding model query engines use by default."""

from __future__ import annotations

import os

from llama_index.core import Settings
from llama_index.core.llms import MockLLM
from llama_index.core.node_parser import SentenceSplitter
from llama_index.embeddings.openai import OpenAIEmbedding
from llama_index.llms.openai import OpenAI

from .config import ANSWER_MODEL, CHUNK_SIZE, EMBED_MODEL


def configure() -> None:
    if os.environ.get("RAG_OFFLINE") == "1":
        Settings.llm = MockLLM(max_tokens=256)
        return
    Settings.llm = OpenAI(model=ANSWER_MODEL, temperature=0.1, max_tokens=1024)
    Settings.embed_model = OpenAIEmbedding(model=EMBED_MODEL, embed_batch_size=64)
    Settings.node_parser = SentenceSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=64)


def strong_llm() -> OpenAI:
    """Used for the 'explain in depth' button; the positional argument is the model."""
    return OpenAI("gpt-4o", temperature=0.2, max_tokens=2048)
