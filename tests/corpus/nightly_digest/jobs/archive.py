"""Archive digests to S3, kick the downstream Lambda, and record which Bedrock models exist."""

from __future__ import annotations

import json
import logging
from datetime import date

import boto3

from ..config import BEDROCK_REGION, CONFIG

logger = logging.getLogger(__name__)


def archive(digests: dict[str, str], day: date) -> None:
    s3 = boto3.client("s3")
    s3.put_object(
        Bucket=CONFIG.archive_bucket,
        Key=f"digests/{day.isoformat()}.json",
        Body=json.dumps(digests).encode(),
        ContentType="application/json",
    )


def notify_downstream(day: date) -> None:
    lambda_client = boto3.client("lambda", region_name=BEDROCK_REGION)
    lambda_client.invoke(
        FunctionName="digest-mailer",
        InvocationType="Event",
        Payload=json.dumps({"day": day.isoformat()}).encode(),
    )


def bedrock_inventory() -> list[str]:
    """Model ids available in our region, for the monthly model review (control plane only)."""
    bedrock = boto3.client("bedrock", region_name=BEDROCK_REGION)
    summaries = bedrock.list_foundation_models(byOutputModality="TEXT")["modelSummaries"]
    return sorted(summary["modelId"] for summary in summaries)
