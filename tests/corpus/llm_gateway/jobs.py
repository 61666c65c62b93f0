"""Async jobs of the gateway (Celery): long generations are queued instead of held on an HTTP connection."""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery
from openai import OpenAI
from pydantic import BaseModel

logger = logging.getLogger(__name__)
celery_app = Celery("llm_gateway", broker="redis://localhost:6379/3")


class QueuedChat(BaseModel):
    """What a caller queues; validated before it is stored."""

    model: str = "gpt-4o-mini"
    messages: list[dict[str, Any]]
    max_tokens: int = 1024


@celery_app.task(bind=True, max_retries=3)
def run_queued_chat(self: Any, payload: dict[str, Any]) -> str:  # noqa: ANN401 - Celery task signature
    request = QueuedChat(**payload)
    with OpenAI() as client:
        completion = client.chat.completions.create(
            model=request.model,
            messages=request.messages,
            max_tokens=request.max_tokens,
        )
    return completion.choices[0].message.content or ""


def nightly_report_job() -> str:
    with OpenAI(timeout=300) as client:
        completion = client.chat.completions.create(
            model="gpt-4o",
            messages=[{"role": "user", "content": "Summarise yesterday's gateway errors from the attached log."}],
            max_tokens=2000,
        )
    return completion.choices[0].message.content or ""


def queue_chat(messages: list[dict[str, Any]], model: str = "gpt-4o") -> str:
    request = QueuedChat(model=model, messages=messages)
    result = run_queued_chat.delay(request.model_dump())
    return result.id


def queue_summary(text: str) -> str:
    return run_queued_chat.apply_async(
        kwargs={"payload": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}},
        countdown=5,
    ).id
