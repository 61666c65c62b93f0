"""Model choices and endpoints; environment variables override the defaults below."""

from __future__ import annotations

import os

ANSWER_MODEL = os.environ.get("RAG_ANSWER_MODEL", "gpt-4o-mini")
EMBED_MODEL = "text-embedding-3-small"
RERANK_MODEL = "rerank-v3.5"
COHERE_CHAT_MODEL = "command-r-plus-08-2024"
MISTRAL_MODEL = os.getenv("RAG_MISTRAL_MODEL", "mistral-large-latest")
LOCAL_MODEL = "llama3.1:8b"
OLLAMA_HOST = os.environ.get("OLLAMA_HOST", "http://localhost:11434")
GEMINI_MODEL = "gemini-1.5-flash"
CHUNK_SIZE = 512
TOP_K = 8
