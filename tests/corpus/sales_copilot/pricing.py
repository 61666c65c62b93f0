"""Pricing assistant: answers discount questions from the price book, on Bedrock and LiteLLM."""

from __future__ import annotations

import json
import logging

import litellm

from .clients import bedrock_runtime
from .config import config

logger = logging.getLogger(__name__)

PRICEBOOK_PROMPT = "You answer questions about list prices and discount bands. Cite the price-book row."


def price_answer(question: str, pricebook: str) -> str:
    response = bedrock_runtime.converse(
        modelId="anthropic.claude-3-5-sonnet-20240620-v1:0",
        system=[{"text": PRICEBOOK_PROMPT}, {"text": pricebook}],
        messages=[{"role": "user", "content": [{"text": question}]}],
        inferenceConfig={"maxTokens": 400, "temperature": 0},
        requestMetadata={"use_case": "pricing-assistant"},
    )
    return response["output"]["message"]["content"][0]["text"]


def discount_rationale(deal: dict[str, object]) -> str:
    body = json.dumps({"message": f"Explain the discount for {deal}", "max_tokens": 300, "temperature": 0.2})
    response = bedrock_runtime.invoke_model(modelId=config.bedrock_pricing_model, body=body)
    return json.loads(response["body"].read())["text"]


def stream_quote_email(deal: dict[str, object]) -> list[str]:
    response = bedrock_runtime.converse_stream(
        modelId="mistral.mistral-large-2407-v1:0",
        messages=[{"role": "user", "content": [{"text": f"Write a quote email for {deal}"}]}],
        inferenceConfig={"maxTokens": 500},
    )
    return [e["contentBlockDelta"]["delta"]["text"] for e in response["stream"] if "contentBlockDelta" in e]


def competitor_price_check(product: str) -> str:
    response = litellm.completion(
        model="together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
        messages=[{"role": "user", "content": f"Typical market price band for {product}?"}],
        max_tokens=200,
    )
    return response.choices[0].message.content


def embed_price_rows(rows: list[str]) -> list[list[float]]:
    response = litellm.embedding("cohere/embed-english-v3.0", input=rows, input_type="search_document")
    return [item["embedding"] for item in response.data]


def german_price_note(product: str) -> str:
    response = litellm.completion(
        model="mistral/mistral-small-latest",
        messages=[{"role": "user", "content": f"Kurze Preisnotiz zu {product}"}],
        max_tokens=150,
    )
    return response.choices[0].message.content
