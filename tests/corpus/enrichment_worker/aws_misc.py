"""Other AWS services the worker touches: entity detection, the in-house SageMaker model, and a Bedrock fallback."""

from __future__ import annotations

import json
import logging

import boto3
import ollama

from .settings import settings

logger = logging.getLogger(__name__)

RUNTIME_SERVICE = "bedrock-runtime"
FALLBACK_MODEL_ID = "mistral.mistral-small-2402-v1:0"
SAGEMAKER_ENDPOINT = "company-embedder-v4"


def entities(text: str) -> list[str]:
    comprehend = boto3.client("comprehend", region_name=settings.aws_region)
    result = comprehend.detect_entities(Text=text[:5000], LanguageCode="en")
    return [entity["Text"] for entity in result["Entities"] if entity["Score"] > 0.8]


def embed_in_house(text: str) -> list[float]:
    """Our own fine-tuned embedder on a SageMaker endpoint (self-hosted; not a hosted LLM API)."""
    runtime = boto3.client("sagemaker-runtime", region_name=settings.aws_region)
    response = runtime.invoke_endpoint(
        EndpointName=SAGEMAKER_ENDPOINT,
        ContentType="application/json",
        Body=json.dumps({"inputs": text}),
    )
    return json.loads(response["Body"].read())["embedding"]


def fallback_summary(text: str) -> str:
    client = boto3.client(RUNTIME_SERVICE, region_name=settings.aws_region)
    response = client.converse(
        modelId=FALLBACK_MODEL_ID,
        messages=[{"role": "user", "content": [{"text": f"Summarise: {text}"}]}],
        inferenceConfig={"maxTokens": 200},
    )
    return response["output"]["message"]["content"][0]["text"]


def ensure_local_models() -> None:
    """Pull the local models the offline fallback needs (model management, not generation)."""
    present = {m.model for m in ollama.list().models}
    for name in ("llama3.1:8b", "nomic-embed-text"):
        if name not in present:
            ollama.pull(name)


def local_summary(text: str) -> str:
    response = ollama.Client(host="http://127.0.0.1:11434").chat(
        model="llama3.1:8b",
        messages=[{"role": "user", "content": f"Summarise: {text}"}],
        options={"num_predict": 200},
    )
    return response.message.content
