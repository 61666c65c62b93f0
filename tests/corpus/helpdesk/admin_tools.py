"""Admin console helpers: usage estimates and housekeeping. None of these generate text."""

from __future__ import annotations

from pathlib import Path

import tiktoken
from anthropic import Anthropic

from .llm import client
from .settings import settings


def available_models() -> list[str]:
    return sorted(model.id for model in client.models.list())


def upload_fine_tune_data(path: Path) -> str:
    with path.open("rb") as handle:
        uploaded = client.files.create(file=handle, purpose="fine-tune")
    return uploaded.id


def batch_status(batch_id: str) -> str:
    return client.batches.retrieve(batch_id).status


def estimate_reply_tokens(text: str) -> int:
    encoding = tiktoken.encoding_for_model(settings.reply_model)
    return len(encoding.encode(text))


def estimate_summary_tokens(thread: str) -> int:
    """How many input tokens a summary would cost, shown before an agent triggers it."""
    counter = Anthropic()
    result = counter.messages.count_tokens(
        model=settings.summary_model,
        messages=[{"role": "user", "content": thread}],
    )
    return result.input_tokens
