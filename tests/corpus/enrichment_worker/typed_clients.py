"""Typed client factories (mypy-boto3 stubs) and the async enrichment path."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

import boto3
import cohere
import ollama as ol
from litellm import completion as llm_completion
from together import Together as TogetherClient

from .settings import settings

if TYPE_CHECKING:
    from mypy_boto3_bedrock_runtime import BedrockRuntimeClient

logger = logging.getLogger(__name__)

KEYWORD_MODEL = "cohere.command-r-v1:0"


def bedrock_runtime(region: str = settings.aws_region) -> BedrockRuntimeClient:
    return boto3.client("bedrock-runtime", region_name=region)


def keywords(text: str, client: BedrockRuntimeClient | None = None) -> list[str]:
    runtime = client or bedrock_runtime()
    response = runtime.invoke_model(
        modelId=KEYWORD_MODEL,
        body=json.dumps({"message": f"Five comma-separated keywords for: {text}", "max_tokens": 60}),
    )
    return [k.strip() for k in json.loads(response["body"].read())["text"].split(",")]


def bedrock_agents() -> list[str]:
    """Build-time inventory of Bedrock agents (control plane; no model call)."""
    agents = boto3.client("bedrock-agent", region_name=settings.aws_region)
    return [a["agentId"] for a in agents.list_agents()["agentSummaries"]]


async def classify_async(texts: list[str]) -> list[str]:
    co = cohere.AsyncClientV2()
    labels: list[str] = []
    for text in texts:
        response = await co.chat(
            model="command-r-08-2024",
            messages=[{"role": "user", "content": f"B2B or B2C? One word.\n{text}"}],
            max_tokens=3,
        )
        labels.append(response.message.content[0].text.strip())
    return labels


def headquarters(text: str) -> str:
    response = llm_completion(
        model="deepseek/deepseek-chat",
        messages=[{"role": "user", "content": f"Headquarters city of: {text}"}],
        max_tokens=10,
    )
    return response.choices[0].message.content


def founded_year(text: str) -> str:
    client = TogetherClient()
    response = client.chat.completions.create(
        model="meta-llama/Llama-3.2-3B-Instruct-Turbo",
        messages=[{"role": "user", "content": f"Founding year of: {text}. Digits only."}],
        max_tokens=6,
    )
    return response.choices[0].message.content or ""


def offline_keywords(text: str) -> str:
    response = ol.chat(model="phi3:mini", messages=[{"role": "user", "content": f"Keywords: {text}"}])
    return response["message"]["content"]
