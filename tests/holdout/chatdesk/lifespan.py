"""Application factory: clients live on app.state for the lifetime of the process."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

import anthropic
import openai
from fastapi import FastAPI, Request

from .constants import CLAUDE_FAST


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.openai = openai.AsyncClient()
    app.state.claude = anthropic.AsyncClient()
    yield
    await app.state.openai.close()


app = FastAPI(lifespan=lifespan)


@app.post("/greet")
async def greet(request: Request) -> dict[str, str]:
    body = await request.json()
    completion = await request.app.state.openai.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": f"Greet {body['name']} warmly."}], max_tokens=60
    )
    return {"greeting": completion.choices[0].message.content or ""}


@app.post("/apologise")
async def apologise(request: Request) -> dict[str, str]:
    claude: anthropic.AsyncAnthropic = request.app.state.claude
    message = await claude.with_options(timeout=10.0, max_retries=1).messages.create(
        model=CLAUDE_FAST, max_tokens=120, messages=[{"role": "user", "content": "Apologise for the delay."}]
    )
    return {"text": message.content[0].text}


class ReplyPolisher:
    MODEL = "claude-3-5-haiku-20241022"

    def __init__(self) -> None:
        self.client = anthropic.Anthropic()

    def polish(self, draft: str) -> str:
        msg = self.client.beta.messages.create(
            model=self.MODEL,
            max_tokens=400,
            messages=[{"role": "user", "content": f"Polish this reply:\n{draft}"}],
            betas=["token-efficient-tools-2025-02-19"],
        )
        return msg.content[0].text
