"""Translate and localise copy for the international teams, on whatever is cheapest per language."""

from __future__ import annotations

import cohere
import ollama
from mistralai import Mistral

from .clients import groq_client, mistral
from .config import Models, config

LANG_MODELS = {"de": "mistral", "ja": "cohere", "es": "groq"}


def translate_groq(text: str, target: str) -> str:
    completion = groq_client.chat.completions.create(
        model=Models.TRANSLATE_GROQ,
        messages=[{"role": "user", "content": f"Translate to {target}, keep formatting:\n{text}"}],
        max_tokens=1000,
    )
    return completion.choices[0].message.content or ""


def transcreate_groq(text: str, target: str) -> str:
    completion = groq_client.chat.completions.create(
        model="llama-3.3-70b-specdec",
        messages=[{"role": "user", "content": f"Adapt this slogan for the {target} market: {text}"}],
    )
    return completion.choices[0].message.content or ""


def translate_mistral(text: str, target: str) -> str:
    params = {"model": config.mistral_model, "max_tokens": 1000, "temperature": 0.1}
    response = mistral.chat.complete(messages=[{"role": "user", "content": f"Translate to {target}:\n{text}"}], **params)
    return response.choices[0].message.content


async def translate_mistral_stream(text: str, client: Mistral) -> str:
    parts: list[str] = []
    stream = await client.chat.stream_async(
        model="open-mistral-nemo",
        messages=[{"role": "user", "content": f"Translate to French:\n{text}"}],
    )
    async for event in stream:
        parts.append(event.data.choices[0].delta.content or "")
    return "".join(parts)


def translate_cohere(text: str, target: str) -> str:
    co = cohere.ClientV2()
    response = co.chat(
        model="command-r7b-12-2024",
        messages=[{"role": "user", "content": f"Translate to {target}:\n{text}"}],
    )
    return response.message.content[0].text


def translate_cohere_legacy(text: str, target: str) -> str:
    co = cohere.Client()
    response = co.chat(message=f"Translate to {target}:\n{text}", model="command-r-plus")
    return response.text


def translate_offline(text: str, target: str) -> str:
    response = ollama.generate("aya:8b", f"Translate to {target}:\n{text}", options={"num_predict": 800})
    return response["response"]


async def glossary_terms(text: str) -> str:
    client = ollama.AsyncClient(host="http://gpu-box.internal:11434")
    response = await client.chat(model="llama3.2:3b", messages=[{"role": "user", "content": f"Key terms: {text}"}])
    return response["message"]["content"]
