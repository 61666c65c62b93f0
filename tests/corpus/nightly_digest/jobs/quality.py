"""Quality gate: grade each digest before it is emailed, and keep a sample for human review."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Final

from anthropic import Anthropic, AsyncAnthropic
from google.genai import Client
from pydantic import BaseModel
from pydantic_settings import BaseSettings

from ..clients import make_anthropic

logger = logging.getLogger(__name__)

GRADER_MODEL: Final = "claude-3-5-haiku-20241022"
RUBRIC = "Grade the digest 1-5 for accuracy against the activity log. Reply with the number only."


class QualityModels(BaseModel):
    grader: str = "claude-3-5-haiku-20241022"
    second_opinion: str = "claude-3-5-sonnet-20241022"


class QualitySettings(BaseSettings):
    sample_rate: float = 0.05
    models: QualityModels = QualityModels()


quality_settings = QualitySettings()


async def grade(digest: str, activity: str) -> int:
    async with AsyncAnthropic() as client:
        message = await client.messages.create(
            model=GRADER_MODEL,
            max_tokens=5,
            system=RUBRIC,
            messages=[{"role": "user", "content": f"Activity:\n{activity}\n\nDigest:\n{digest}"}],
        )
    return int(message.content[0].text.strip() or 0)


def grade_many(pairs: list[tuple[str, str]]) -> list[str]:
    client: Anthropic = make_anthropic()
    messages = [
        client.messages.create(
            model=quality_settings.models.second_opinion,
            max_tokens=5,
            system=RUBRIC,
            messages=[{"role": "user", "content": f"Activity:\n{a}\n\nDigest:\n{d}"}],
        )
        for d, a in pairs
    ]
    return [m.content[0].text.strip() for m in messages]


def experimental_grade(digest: str) -> str:
    """Runs whatever grader the experiment runner exported; no default on purpose."""
    client = make_anthropic()
    message = client.messages.create(
        model=os.environ["EXPERIMENT_GRADER_MODEL"],
        max_tokens=5,
        messages=[{"role": "user", "content": digest}],
    )
    return message.content[0].text


def gemini_grade(digest: str) -> str:
    client = Client(api_key=os.environ.get("GEMINI_API_KEY"))
    response = client.models.generate_content(model="gemini-2.0-flash-lite", contents=[RUBRIC, digest])
    return response.text or ""


def upload_review_sample(path: Path) -> str:
    """Uploads the sampled digests for the human-review notebook; no generation here."""
    client = Client()
    uploaded = client.files.upload(file=path)
    return uploaded.name or ""


def batch_results(batch_id: str) -> list[str]:
    client = make_anthropic()
    return [result.custom_id for result in client.messages.batches.results(batch_id)]
