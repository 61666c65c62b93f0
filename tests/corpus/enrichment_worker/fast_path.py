"""Low-latency enrichment on Groq and Together for the interactive CRM sidebar."""

from __future__ import annotations

import os

from groq import AsyncGroq, Groq
from together import AsyncTogether, Together

GROQ_MODEL = "llama-3.3-70b-versatile"
TOGETHER_MODEL = "meta-llama/Llama-3.3-70B-Instruct-Turbo"

groq_client = Groq(api_key=os.environ.get("GROQ_API_KEY"))
together_client = Together()


def sidebar_summary(record: str) -> str:
    completion = groq_client.chat.completions.create(
        model=GROQ_MODEL,
        messages=[{"role": "user", "content": f"Three bullet facts about: {record}"}],
        max_tokens=150,
        temperature=0.2,
    )
    return completion.choices[0].message.content or ""


async def sidebar_questions(record: str) -> str:
    client = AsyncGroq()
    completion = await client.chat.completions.create(
        model="llama-3.1-8b-instant",
        messages=[{"role": "user", "content": f"Two discovery-call questions for: {record}"}],
        max_completion_tokens=120,
    )
    return completion.choices[0].message.content or ""


def transcribe_voicemail(path: str) -> str:
    with open(path, "rb") as audio:
        transcription = groq_client.audio.transcriptions.create(file=(path, audio.read()), model="whisper-large-v3")
    return transcription.text


def competitor_guess(record: str) -> str:
    response = together_client.chat.completions.create(
        model=TOGETHER_MODEL,
        messages=[{"role": "user", "content": f"Name likely competitors of: {record}"}],
        max_tokens=200,
    )
    return response.choices[0].message.content or ""


def embed_record(record: str) -> list[float]:
    response = together_client.embeddings.create(model="togethercomputer/m2-bert-80M-8k-retrieval", input=record)
    return response.data[0].embedding


async def long_profile(record: str) -> str:
    client = AsyncTogether()
    response = await client.chat.completions.create(
        model="Qwen/Qwen2.5-72B-Instruct-Turbo",
        messages=[{"role": "user", "content": f"Write a company profile: {record}"}],
        max_tokens=900,
    )
    return response.choices[0].message.content or ""
