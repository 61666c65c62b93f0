"""Application wiring: clients live on app.state for the process lifetime; handlers get them injected."""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, AsyncIterator

from anthropic import AsyncAnthropic
from fastapi import Depends, FastAPI, Request
from openai import AsyncOpenAI

SENTIMENT_MODEL = "gpt-4o-mini"


@dataclass
class Deps:
    """What the agent-assist handlers need; built per request from app.state."""

    claude: AsyncAnthropic
    customer_tier: str = "standard"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.openai = AsyncOpenAI()
    app.state.claude = AsyncAnthropic()
    yield
    await app.state.openai.close()
    await app.state.claude.close()


def get_openai(request: Request) -> AsyncOpenAI:
    return request.app.state.openai


def get_deps(request: Request) -> Deps:
    return Deps(claude=request.app.state.claude)


app = FastAPI(lifespan=lifespan)


@app.post("/v1/sentiment")
async def sentiment(text: str, client: Annotated[AsyncOpenAI, Depends(get_openai)]) -> dict[str, str]:
    completion = await client.chat.completions.create(
        model=SENTIMENT_MODEL,
        messages=[{"role": "user", "content": f"positive, neutral or negative?\n{text}"}],
        max_tokens=3,
    )
    return {"sentiment": (completion.choices[0].message.content or "").strip()}


@app.post("/v1/tone-check")
async def tone_check(text: str, request: Request) -> dict[str, str]:
    completion = await request.app.state.openai.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": f"Is this reply polite? yes/no\n{text}"}],
        max_tokens=3,
    )
    return {"polite": (completion.choices[0].message.content or "").strip()}


async def suggest_next_action(deps: Deps, ticket: str) -> str:
    message = await deps.claude.messages.create(
        model="claude-3-5-haiku-20241022",
        max_tokens=200,
        system=f"Suggest the next action for a {deps.customer_tier} customer's ticket.",
        messages=[{"role": "user", "content": ticket}],
    )
    return message.content[0].text


@app.post("/v1/next-action")
async def next_action(ticket: str, deps: Annotated[Deps, Depends(get_deps)]) -> dict[str, str]:
    return {"action": await suggest_next_action(deps, ticket)}
