"""RAG back-end: ingestion, retrieval, reranking and answer generation for the docs assistant."""
