"""LangChain / LlamaIndex pieces used by the editor assistant."""

from __future__ import annotations

import os

from django.conf import settings
from langchain_aws import ChatBedrockConverse
from langchain_google_genai import ChatGoogleGenerativeAI
from langchain_groq import ChatGroq
from langchain_ollama import ChatOllama
from llama_index.llms.anthropic import Anthropic as LlamaAnthropic

from .llm import TAGGING_MODEL

EDITOR_MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0"


def editor_llm() -> ChatBedrockConverse:
    return ChatBedrockConverse(model=EDITOR_MODEL, region_name=settings.AWS_REGION, max_tokens=1500)


def headline_scorer() -> ChatGoogleGenerativeAI:
    return ChatGoogleGenerativeAI(model="gemini-2.0-flash", max_output_tokens=100)


fast_tagger = ChatGroq(model=TAGGING_MODEL, temperature=0)
offline_editor = ChatOllama(model=os.environ.get("OFFLINE_MODEL", "llama3.1:8b"), base_url="http://localhost:11434")
archivist = LlamaAnthropic(model="claude-3-5-haiku-20241022", max_tokens=512)


def style_check(text: str) -> str:
    return str(editor_llm().invoke(f"Check the house style of:\n{text}").content)
