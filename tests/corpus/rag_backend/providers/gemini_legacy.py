"""Gemini through the legacy google-generativeai SDK (the multilingual FAQ bot still runs on it)."""

from __future__ import annotations

import os

import google.generativeai as genai

from ..config import GEMINI_MODEL

FLASH_TIER = "8b"

genai.configure(api_key=os.environ["GOOGLE_API_KEY"])

faq_model = genai.GenerativeModel(
    GEMINI_MODEL,
    system_instruction="You answer product FAQ questions in the user's language.",
    generation_config=genai.GenerationConfig(max_output_tokens=512, temperature=0.2),
)


def faq_answer(question: str) -> str:
    return faq_model.generate_content(question).text


def faq_conversation(turns: list[str]) -> str:
    model = genai.GenerativeModel(model_name="gemini-1.5-pro-002", generation_config={"max_output_tokens": 1024})
    chat = model.start_chat(history=[])
    reply = ""
    for turn in turns:
        reply = chat.send_message(turn).text
    return reply


def faq_embedding(text: str) -> list[float]:
    result = genai.embed_content(model="models/text-embedding-004", content=text, task_type="retrieval_document")
    return result["embedding"]


def faq_spellcheck(text: str) -> str:
    model = genai.GenerativeModel(f"gemini-1.5-flash-{FLASH_TIER}")
    response = model.generate_content(f"Fix spelling only:\n{text}", generation_config={"max_output_tokens": 400})
    return response.text


def faq_smalltalk(turn: str) -> str:
    chat = genai.GenerativeModel("gemini-1.5-flash-8b").start_chat()
    return chat.send_message(turn).text


def faq_prompt_tokens(question: str) -> int:
    return faq_model.count_tokens(question).total_tokens
