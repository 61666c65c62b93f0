"""Async answer engines used by the streaming websocket endpoint."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from google import genai
from google.genai import types
from groq import AsyncGroq
from mistralai import Mistral

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineSettings:
    gemini_model: str = "gemini-2.0-flash"
    image_model: str = "imagen-3.0-generate-002"
    groq_model: str = "llama-3.1-70b-versatile"


ENGINE_SETTINGS = EngineSettings()


class GeminiEngine:
    def __init__(self, settings: EngineSettings = ENGINE_SETTINGS) -> None:
        self.client = genai.Client(api_key=os.environ.get("GEMINI_API_KEY"))
        self.settings = settings

    async def answer(self, question: str, context: str) -> str:
        response = await self.client.aio.models.generate_content(
            model=self.settings.gemini_model,
            contents=[context, question],
            config=types.GenerateContentConfig(max_output_tokens=800),
        )
        return response.text or ""

    async def follow_up_chat(self, question: str) -> str:
        chat = self.client.aio.chats.create(model="gemini-2.0-flash-lite")
        reply = await chat.send_message(question)
        return reply.text or ""

    def diagram(self, description: str) -> bytes:
        result = self.client.models.generate_images(
            model=self.settings.image_model,
            prompt=f"Simple technical diagram: {description}",
            config=types.GenerateImagesConfig(number_of_images=1),
        )
        return result.generated_images[0].image.image_bytes

    def available(self) -> list[str]:
        return [m.name for m in self.client.models.list()]


class GroqEngine:
    MODEL = "llama-3.1-8b-instant"

    def __init__(self) -> None:
        self.client = AsyncGroq()

    async def answer(self, question: str) -> str:
        completion = await self.client.chat.completions.create(
            model=self.MODEL,
            messages=[{"role": "user", "content": question}],
            max_tokens=512,
        )
        return completion.choices[0].message.content or ""


async def mistral_answer(question: str) -> str:
    async with Mistral(api_key=os.environ.get("MISTRAL_API_KEY", "")) as client:
        response = await client.chat.complete_async(
            model="ministral-8b-latest",
            messages=[{"role": "user", "content": question}],
            max_tokens=400,
        )
    return response.choices[0].message.content
