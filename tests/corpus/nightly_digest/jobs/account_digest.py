"""Per-account digests through Anthropic's Message Batches API (half price, results within 24h)."""

from __future__ import annotations

import logging
import time
from typing import Iterable

from anthropic.types.message_create_params import MessageCreateParamsNonStreaming
from anthropic.types.messages.batch_create_params import Request

from ..clients import make_anthropic
from ..config import CHEAP_MODEL, CONFIG, DIGEST_MODEL

logger = logging.getLogger(__name__)

PROMPT = "Write a digest of this account's activity for its customer-success manager:\n\n{activity}"


def submit_digest_batch(accounts: Iterable[tuple[str, str]]) -> str:
    """Queue one request per account; returns the batch id to poll."""
    client = make_anthropic()
    requests = [
        Request(
            custom_id=account_id,
            params=MessageCreateParamsNonStreaming(
                model=DIGEST_MODEL,
                max_tokens=CONFIG.digest_max_tokens,
                messages=[{"role": "user", "content": PROMPT.format(activity=activity)}],
            ),
        )
        for account_id, activity in accounts
    ]
    batch = client.messages.batches.create(requests=requests)
    logger.info("submitted batch %s with %d requests", batch.id, len(requests))
    return batch.id


def wait_for_batch(batch_id: str, poll_seconds: int = 60) -> None:
    client = make_anthropic()
    while True:
        batch = client.messages.batches.retrieve(batch_id)
        if batch.processing_status == "ended":
            return
        time.sleep(poll_seconds)


def digest_one(account_id: str, activity: str, urgent: bool = False) -> str:
    """Synchronous path for accounts flagged during the day; cheap model unless urgent."""
    client = make_anthropic()
    model = DIGEST_MODEL if urgent else CHEAP_MODEL
    message = client.messages.create(
        model=model,
        max_tokens=CONFIG.digest_max_tokens,
        messages=[{"role": "user", "content": PROMPT.format(activity=activity)}],
        metadata={"user_id": account_id},
    )
    return message.content[0].text


def headline(activity: str) -> str:
    client = make_anthropic()
    message = client.messages.create(
        model=CHEAP_MODEL,
        max_tokens=40,
        messages=[{"role": "user", "content": f"One-line headline for: {activity[:4000]}"}],
    )
    return message.content[0].text.strip()
