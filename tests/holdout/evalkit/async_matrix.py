"""Runs the async candidates concurrently (Bedrock via aioboto3, Claude on Vertex, Mistral async)."""

from __future__ import annotations

import asyncio
import json

import aioboto3
from anthropic import AsyncAnthropicBedrock, AnthropicVertex
from google import genai
from mistralai import Mistral
from openai import OpenAI

from .config import DEFAULT_RUN

VERTEX_CLAUDE = "claude-3-5-sonnet-v2@20241022"


async def bedrock_llama(prompt: str) -> str:
    session = aioboto3.Session()
    async with session.client("bedrock-runtime", region_name="us-east-1") as runtime:
        response = await runtime.converse(
            modelId="meta.llama3-1-70b-instruct-v1:0",
            messages=[{"role": "user", "content": [{"text": prompt}]}],
            inferenceConfig={"maxTokens": DEFAULT_RUN.max_tokens},
        )
    return response["output"]["message"]["content"][0]["text"]


async def bedrock_claude(prompt: str) -> str:
    client = AsyncAnthropicBedrock()
    msg = await client.messages.create(
        model="anthropic.claude-3-haiku-20240307-v1:0", max_tokens=256, messages=[{"role": "user", "content": prompt}]
    )
    return msg.content[0].text


def vertex_claude(prompt: str) -> str:
    client = AnthropicVertex(region="us-east5", project_id="evalkit-prod")
    msg = client.messages.create(model=VERTEX_CLAUDE, max_tokens=256, messages=[{"role": "user", "content": prompt}])
    return msg.content[0].text


def vertex_gemini(prompt: str) -> str:
    client = genai.Client(vertexai=True, project="evalkit-prod", location="europe-west4")
    response = client.models.generate_content(model="gemini-2.0-flash-001", contents=prompt)
    return response.text or ""


async def mistral_async(prompt: str) -> str:
    async with Mistral() as client:
        response = await client.chat.complete_async(model="mistral-small-2409", messages=[{"role": "user", "content": prompt}])
    return response.choices[0].message.content


def openai_responses_stream(prompt: str) -> str:
    client = OpenAI()
    chunks = []
    with client.responses.stream(model="gpt-4.1", input=prompt, max_output_tokens=DEFAULT_RUN.max_tokens) as stream:
        for event in stream:
            if event.type == "response.output_text.delta":
                chunks.append(event.delta)
    return "".join(chunks)


def uploaded_eval_file(path: str) -> str:
    client = OpenAI()
    with open(path, "rb") as handle:
        uploaded = client.files.create(file=handle, purpose="batch")
    return json.dumps({"id": uploaded.id})


async def main() -> None:
    prompts = ["What is a refund?", "Explain proration."]
    await asyncio.gather(*(bedrock_llama(p) for p in prompts), *(bedrock_claude(p) for p in prompts))
