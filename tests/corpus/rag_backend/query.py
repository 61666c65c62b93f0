"""Answering: retrieve, rerank with Cohere, generate with the configured LLM."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cohere
from llama_index.core import VectorStoreIndex
from llama_index.core.schema import NodeWithScore

from .config import COHERE_CHAT_MODEL, RERANK_MODEL, TOP_K
from .llm_setup import strong_llm

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    text: str
    sources: list[str]


class AnswerService:
    """Wraps an index; stateless apart from the Cohere client."""

    def __init__(self, index: VectorStoreIndex, co: cohere.ClientV2 | None = None) -> None:
        self.index = index
        self.co = co or cohere.ClientV2()

    def rerank(self, question: str, nodes: list[NodeWithScore], top_n: int = 4) -> list[NodeWithScore]:
        if not nodes:
            return []
        result = self.co.rerank(
            model=RERANK_MODEL,
            query=question,
            documents=[node.get_content() for node in nodes],
            top_n=top_n,
        )
        return [nodes[item.index] for item in result.results]

    def answer(self, question: str) -> Answer:
        nodes = self.index.as_retriever(similarity_top_k=TOP_K).retrieve(question)
        best = self.rerank(question, nodes)
        engine = self.index.as_query_engine()
        response = engine.query(question)
        return Answer(text=str(response), sources=[n.node.metadata.get("url", "") for n in best])

    def answer_with_cohere(self, question: str, nodes: list[NodeWithScore]) -> str:
        """Grounded generation with citations, used for the API's `engine=cohere` option."""
        response = self.co.chat(
            model=COHERE_CHAT_MODEL,
            messages=[{"role": "user", "content": question}],
            documents=[{"id": str(i), "data": {"text": n.get_content()}} for i, n in enumerate(nodes)],
            max_tokens=800,
        )
        return response.message.content[0].text

    def explain(self, question: str, context: str) -> str:
        llm = strong_llm()
        return llm.complete(f"Explain in depth, using only this context:\n{context}\n\nQ: {question}").text


def legacy_cohere_answer(question: str, snippets: list[str]) -> str:
    """v1 API, still used by the Slack bot integration until it is migrated."""
    co = cohere.Client()
    response = co.chat(
        message=question,
        model="command-r",
        documents=[{"snippet": s} for s in snippets],
        max_tokens=600,
    )
    return response.text


def cohere_stream(question: str) -> list[str]:
    co = cohere.ClientV2()
    out: list[str] = []
    for event in co.chat_stream(model="command-a-03-2025", messages=[{"role": "user", "content": question}]):
        if event.type == "content-delta":
            out.append(event.delta.message.content.text)
    return out
