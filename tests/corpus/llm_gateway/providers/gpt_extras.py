"""Less common OpenAI endpoints the gateway proxies: assistants, realtime sessions, batch uploads."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from openai import AsyncOpenAI, OpenAI
from pydantic import BaseModel

logger = logging.getLogger(__name__)

SUPPORT_ASSISTANT = "asst_gateway_support"


class Extraction(BaseModel):
    intent: str
    entities: list[str]


class GPTExtras:
    def __init__(self, client: OpenAI | None = None) -> None:
        self.client = client or OpenAI()

    def ask_assistant(self, question: str) -> str:
        run = self.client.beta.threads.create_and_run_poll(
            assistant_id=SUPPORT_ASSISTANT,
            model="gpt-4o-mini",
            thread={"messages": [{"role": "user", "content": question}]},
            max_completion_tokens=600,
        )
        messages = self.client.beta.threads.messages.list(thread_id=run.thread_id, limit=1)
        return messages.data[0].content[0].text.value

    def extract(self, text: str) -> Extraction | None:
        completion = self.client.chat.completions.parse(
            model="gpt-4o-2024-08-06",
            messages=[{"role": "user", "content": text}],
            response_format=Extraction,
        )
        return completion.choices[0].message.parsed

    def embed_with_headers(self, texts: list[str]) -> tuple[list[list[float]], dict[str, str]]:
        raw = self.client.embeddings.with_raw_response.create(model="text-embedding-3-small", input=texts)
        return [row.embedding for row in raw.parse().data], dict(raw.headers)

    def chat_with_headers(self, messages: list[dict[str, Any]]) -> tuple[str, str | None]:
        raw = self.client.with_raw_response.chat.completions.create(model="gpt-4o-mini", messages=messages)
        completion = raw.parse()
        return completion.choices[0].message.content or "", raw.headers.get("x-request-id")

    def submit_batch(self, requests_file: Path) -> str:
        with requests_file.open("rb") as handle:
            uploaded = self.client.files.create(file=handle, purpose="batch")
        batch = self.client.batches.create(
            input_file_id=uploaded.id,
            endpoint="/v1/chat/completions",
            completion_window="24h",
            metadata={"team": "gateway"},
        )
        return batch.id

    def previous_answer(self, response_id: str) -> str:
        return self.client.responses.retrieve(response_id).output_text

    def knowledge_store(self, name: str) -> str:
        return self.client.vector_stores.create(name=name).id


async def realtime_greeting() -> str:
    client = AsyncOpenAI()
    async with client.beta.realtime.connect(model="gpt-4o-realtime-preview") as connection:
        await connection.session.update(session={"modalities": ["text"]})
        await connection.conversation.item.create(
            item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Say hello"}]}
        )
        await connection.response.create()
        async for event in connection:
            if event.type == "response.text.done":
                return json.dumps(event.text)
    return ""
