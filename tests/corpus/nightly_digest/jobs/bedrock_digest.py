"""Regulated tenants must stay inside our AWS account, so their digests go through Bedrock."""

from __future__ import annotations

import logging

from anthropic import AsyncAnthropicBedrock

from ..clients import make_bedrock_claude
from ..config import BEDROCK_REGION, CONFIG

logger = logging.getLogger(__name__)


class RegulatedDigest:
    """Digest writer for tenants under data-residency contracts."""

    def __init__(self) -> None:
        self._claude = make_bedrock_claude()

    def write(self, activity: str) -> str:
        message = self._claude.messages.create(
            model=CONFIG.bedrock_model_id,
            max_tokens=CONFIG.digest_max_tokens,
            messages=[{"role": "user", "content": activity}],
        )
        return message.content[0].text


async def classify_risk(activity: str) -> str:
    client = AsyncAnthropicBedrock(aws_region=BEDROCK_REGION)
    message = await client.messages.create(
        model="anthropic.claude-3-haiku-20240307-v1:0",
        max_tokens=10,
        system="Answer LOW, MEDIUM or HIGH: churn risk of this account.",
        messages=[{"role": "user", "content": activity}],
    )
    return message.content[0].text.strip().upper()
