"""Customer chat endpoints."""

from __future__ import annotations

from typing import Annotated, AsyncIterator

from anthropic import AsyncAnthropic
from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from openai import AsyncAzureOpenAI, AsyncOpenAI
from pydantic import BaseModel

from ..clients import get_anthropic, get_azure, get_openai
from ..constants import CLAUDE_FAST, MAX_TOKENS, TRIAGE_MODEL
from ..settings import Settings, get_settings

router = APIRouter(prefix="/chat")

SYSTEM = "You are a friendly support agent for Chatdesk. Answer briefly."


class ChatTurn(BaseModel):
    conversation_id: str
    message: str
    model: str


class Intent(BaseModel):
    label: str
    confidence: float


OpenAIDep = Annotated[AsyncOpenAI, Depends(get_openai)]


@router.post("/reply")
async def reply(turn: ChatTurn, client: OpenAIDep, settings: Settings = Depends(get_settings)) -> dict[str, str]:
    completion = await client.chat.completions.create(
        model=settings.chat_model,
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": turn.message}],
        max_completion_tokens=settings.max_reply_tokens,
        user=turn.conversation_id,
    )
    return {"reply": completion.choices[0].message.content or ""}


@router.post("/reply/custom")
async def reply_custom(turn: ChatTurn, client: OpenAIDep) -> dict[str, str]:
    completion = await client.chat.completions.create(
        model=turn.model,
        messages=[{"role": "user", "content": turn.message}],
    )
    return {"reply": completion.choices[0].message.content or ""}


@router.post("/intent")
async def classify_intent(turn: ChatTurn, client: AsyncOpenAI = Depends(get_openai)) -> Intent:
    parsed = await client.beta.chat.completions.parse(
        model=TRIAGE_MODEL,
        messages=[{"role": "user", "content": turn.message}],
        response_format=Intent,
    )
    return parsed.choices[0].message.parsed or Intent(label="unknown", confidence=0.0)


@router.post("/escalate")
async def escalate(
    turn: ChatTurn,
    claude: Annotated[AsyncAnthropic, Depends(get_anthropic)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> StreamingResponse:
    async def tokens() -> AsyncIterator[str]:
        async with claude.messages.stream(
            model=settings.escalation_model,
            max_tokens=1024,
            system=SYSTEM,
            messages=[{"role": "user", "content": turn.message}],
        ) as stream:
            async for text in stream.text_stream:
                yield text

    return StreamingResponse(tokens(), media_type="text/plain")


@router.post("/quick")
async def quick_answer(turn: ChatTurn, claude: AsyncAnthropic = Depends(get_anthropic)) -> dict[str, str]:
    message = await claude.messages.create(
        model=CLAUDE_FAST,
        max_tokens=MAX_TOKENS,
        messages=[{"role": "user", "content": turn.message}],
        metadata={"user_id": turn.conversation_id},
    )
    estimate = await claude.messages.count_tokens(model=CLAUDE_FAST, messages=[{"role": "user", "content": turn.message}])
    return {"reply": message.content[0].text, "tokens": str(estimate.input_tokens)}


@router.post("/eu")
async def reply_eu(turn: ChatTurn, azure: AsyncAzureOpenAI = Depends(get_azure),
                   settings: Settings = Depends(get_settings)) -> dict[str, str]:
    raw = await azure.chat.completions.with_raw_response.create(
        model=settings.azure_deployment,
        messages=[{"role": "user", "content": turn.message}],
        max_tokens=400,
    )
    completion = raw.parse()
    return {"reply": completion.choices[0].message.content or "", "region": raw.headers.get("x-ms-region", "")}


@router.get("/models")
async def available_models(client: OpenAIDep) -> list[str]:
    page = await client.models.list()
    return [m.id for m in page.data]
