"""Extra chat models for the model-comparison eval; providers are inferred from the model names."""

from __future__ import annotations

from langchain.chat_models import init_chat_model
from langchain_core.tools import BaseTool
from langchain_openai import ChatOpenAI

from .tools import TOOLS


def comparison_candidates() -> list[object]:
    return [
        init_chat_model("claude-3-5-haiku-latest", temperature=0),
        init_chat_model("gemini-2.0-flash", model_provider="google_genai", temperature=0),
        init_chat_model(model="gpt-4.1", model_provider="openai", temperature=0),
    ]


def tool_caller(tools: list[BaseTool] = TOOLS) -> object:
    return ChatOpenAI(model="gpt-4.1-mini", temperature=0).bind_tools(tools)
