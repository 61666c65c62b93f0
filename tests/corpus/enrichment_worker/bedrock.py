"""Bedrock Runtime calls. We keep raw boto3 here (no framework) to control retries and throttling."""

from __future__ import annotations

import json
import logging
from typing import Any, Iterator

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from .settings import settings

logger = logging.getLogger(__name__)

runtime = boto3.client(
    "bedrock-runtime",
    region_name=settings.aws_region,
    config=Config(retries={"max_attempts": 8, "mode": "adaptive"}, read_timeout=120),
)

INDUSTRY_PROMPT = "Classify the company into one GICS industry group. Answer with the group name only."
CLAUDE_BODY_DEFAULTS = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 300, "temperature": 0}


def classify_industry(description: str) -> str:
    try:
        response = runtime.converse(
            modelId=settings.classifier_model_id,
            system=[{"text": INDUSTRY_PROMPT}],
            messages=[{"role": "user", "content": [{"text": description}]}],
            inferenceConfig={"maxTokens": 20, "temperature": 0},
            requestMetadata={"use_case": "industry-classification", "team": "data-platform"},
        )
    except ClientError as exc:
        logger.error("bedrock converse failed: %s", exc.response["Error"]["Code"])
        raise
    return response["output"]["message"]["content"][0]["text"].strip()


def stream_summary(description: str) -> Iterator[str]:
    response = runtime.converse_stream(
        modelId=settings.summary_model_id,
        messages=[{"role": "user", "content": [{"text": f"Summarise for a sales rep:\n{description}"}]}],
        inferenceConfig={"maxTokens": settings.max_summary_tokens},
    )
    for event in response["stream"]:
        if "contentBlockDelta" in event:
            yield event["contentBlockDelta"]["delta"]["text"]


def summarise_invoke(description: str) -> str:
    body = {**CLAUDE_BODY_DEFAULTS, "messages": [{"role": "user", "content": description}]}
    response = runtime.invoke_model(
        modelId="anthropic.claude-3-5-sonnet-20240620-v1:0",
        body=json.dumps(body),
        contentType="application/json",
        accept="application/json",
    )
    payload = json.loads(response["body"].read())
    return payload["content"][0]["text"]


def tagline_stream(name: str) -> Iterator[str]:
    body = json.dumps({"prompt": f"Write a tagline for {name}.", "max_gen_len": 64, "temperature": 0.7})
    response = runtime.invoke_model_with_response_stream(modelId=settings.llama_model_id, body=body)
    for event in response["body"]:
        chunk = json.loads(event["chunk"]["bytes"])
        yield chunk.get("generation", "")


class TitanKeywords:
    """Keyword extraction on Titan, via a dedicated profile (separate cost-allocation account)."""

    def __init__(self, profile: str = "enrichment-titan") -> None:
        session = boto3.Session(profile_name=profile, region_name=settings.aws_region)
        self.client = session.client("bedrock-runtime")

    def keywords(self, text: str) -> list[str]:
        request: dict[str, Any] = {
            "inputText": f"List five keywords for: {text}",
            "textGenerationConfig": {"maxTokenCount": 64, "temperature": 0},
        }
        response = self.client.invoke_model(modelId=settings.titan_model_id, body=json.dumps(request))
        output = json.loads(response["body"].read())["results"][0]["outputText"]
        return [word.strip() for word in output.split(",") if word.strip()]


def nova_pitch(name: str, region: str = "eu-central-1") -> str:
    client = boto3.client(service_name="bedrock-runtime", region_name=region)
    response = client.converse(
        modelId="eu.amazon.nova-lite-v1:0",
        messages=[{"role": "user", "content": [{"text": f"One-sentence pitch for {name}"}]}],
        inferenceConfig={"maxTokens": 80},
    )
    return response["output"]["message"]["content"][0]["text"]


def passes_guardrail(text: str) -> bool:
    result = runtime.apply_guardrail(
        guardrailIdentifier="gr-enrichment-pii",
        guardrailVersion="3",
        source="OUTPUT",
        content=[{"text": {"text": text}}],
    )
    return result["action"] != "GUARDRAIL_INTERVENED"


def count_prompt_tokens(text: str) -> int:
    result = runtime.count_tokens(
        modelId=settings.classifier_model_id,
        input={"converse": {"messages": [{"role": "user", "content": [{"text": text}]}]}},
    )
    return result["inputTokens"]
