"""The gateway's HTTP surface: callers send a vendor-neutral request, we route by `provider`."""

from __future__ import annotations

import logging
from typing import Any, Literal

import cohere
import litellm
from fastapi import FastAPI, HTTPException
from groq import Groq
from pydantic import BaseModel

from .providers import compat
from .providers.claude import ClaudeProvider
from .providers.gpt import GPTProvider

logger = logging.getLogger(__name__)
app = FastAPI(title="llm-gateway")
claude = ClaudeProvider()
gpt = GPTProvider()
co = cohere.ClientV2()
groq_native = Groq()


class ChatRequest(BaseModel):
    provider: Literal["openai", "anthropic", "cohere", "groq", "any"]
    model: str
    messages: list[dict[str, Any]]
    max_tokens: int | None = None


@app.post("/v1/chat")
async def chat(request: ChatRequest) -> dict[str, str]:
    if request.provider == "openai":
        return {"text": await gpt.achat(request.messages, request.model)}
    if request.provider == "anthropic":
        body = {"model": request.model, "max_tokens": request.max_tokens or 1024, "messages": request.messages}
        return {"text": str(await claude.passthrough(body))}
    if request.provider == "cohere":
        response = co.chat(model=request.model, messages=request.messages, max_tokens=request.max_tokens)
        return {"text": response.message.content[0].text}
    if request.provider == "groq":
        completion = groq_native.chat.completions.create(model=request.model, messages=request.messages)
        return {"text": completion.choices[0].message.content or ""}
    if request.provider == "any":
        response = await litellm.acompletion(model=request.model, messages=request.messages,
                                             max_tokens=request.max_tokens)
        return {"text": response.choices[0].message.content}
    raise HTTPException(status_code=400, detail="unknown provider")


@app.post("/v1/fast")
def fast(request: ChatRequest) -> dict[str, str]:
    return {"text": compat.groq_chat(request.messages)}


@app.post("/v1/embed")
def embed(texts: list[str], model: str = "embed-english-v3.0") -> dict[str, Any]:
    response = co.embed(model=model, texts=texts, input_type="search_query", embedding_types=["float"])
    return {"vectors": response.embeddings.float_}


@app.get("/v1/models")
def models() -> dict[str, list[str]]:
    return {"groq": [m.id for m in groq_native.models.list().data]}


@app.post("/v1/guard")
def guard(text: str) -> dict[str, bool]:
    completion = groq_native.chat.completions.create(
        model="llama-guard-3-8b",
        messages=[{"role": "user", "content": text}],
        max_tokens=10,
    )
    return {"safe": (completion.choices[0].message.content or "").strip().startswith("safe")}


def provider_probe() -> list[str]:
    """Cheap liveness check of LiteLLM-routed vendors, used by the readiness endpoint."""
    alive = []
    for model in ("gpt-4o-mini", "claude-3-haiku-20240307"):
        try:
            litellm.completion(model=model, messages=[{"role": "user", "content": "ping"}], max_tokens=1)
            alive.append(model)
        except Exception:  # noqa: BLE001 - any failure means not ready
            logger.warning("probe failed for %s", model)
    return alive
