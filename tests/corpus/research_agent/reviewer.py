"""Second-pass reviewer: checks briefs for unsupported claims before they are published."""

from __future__ import annotations

import logging
import os
from typing import Any

import litellm as ll
from langchain_anthropic import ChatAnthropic
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

logger = logging.getLogger(__name__)

REVIEW_LLM_KWARGS: dict[str, Any] = {"model": "gpt-4o-2024-11-20", "temperature": 0, "max_tokens": 1500}


class Verdict(BaseModel):
    publishable: bool
    problems: list[str]


class Reviewer:
    def __init__(self, llm: BaseChatModel | None = None) -> None:
        self.llm = llm or ChatOpenAI(model="gpt-4o-mini", temperature=0)
        self.strict = ChatOpenAI(**REVIEW_LLM_KWARGS)
        self.judge = ChatAnthropic(model="claude-3-5-haiku-latest", max_tokens=512).with_structured_output(Verdict)

    def review(self, brief: str) -> Verdict:
        verdict = self.judge.invoke(f"Is this brief publishable? List problems.\n\n{brief}")
        assert isinstance(verdict, Verdict)
        return verdict

    def rewrite(self, brief: str, problems: list[str]) -> str:
        return str(self.strict.invoke(f"Fix these problems: {problems}\n\n{brief}").content)


def offline_reviewer() -> Reviewer:
    """For demos without API keys: canned answers."""
    return Reviewer(llm=FakeListChatModel(responses=["Looks fine."]))


def title_for(brief: str) -> str:
    response = ll.completion(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": f"A title for this brief: {brief[:2000]}"}],
        max_tokens=20,
    )
    return response.choices[0].message.content.strip()


def reviewer_from_env() -> BaseChatModel:
    return ChatOpenAI(model=os.environ["REVIEWER_MODEL"], temperature=0)
