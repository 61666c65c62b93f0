"""LLM-as-judge graders."""

from __future__ import annotations

import instructor
from anthropic import Anthropic
from openai import OpenAI
from pydantic import BaseModel, Field

from .config import DEFAULT_RUN, JUDGE_MODEL, RunConfig


class Verdict(BaseModel):
    score: int = Field(ge=1, le=5)
    rationale: str


judge_client = instructor.from_openai(OpenAI())
claude_judge = instructor.from_anthropic(Anthropic())


def grade(question: str, answer: str) -> Verdict:
    return judge_client.chat.completions.create(
        model=JUDGE_MODEL,
        response_model=Verdict,
        messages=[{"role": "user", "content": f"Q: {question}\nA: {answer}\nGrade 1-5."}],
        max_retries=2,
    )


def grade_with_claude(question: str, answer: str) -> Verdict:
    return claude_judge.messages.create(
        model="claude-3-5-haiku-20241022",
        max_tokens=400,
        response_model=Verdict,
        messages=[{"role": "user", "content": f"Q: {question}\nA: {answer}\nGrade 1-5."}],
    )


class PairwiseJudge:
    def __init__(self, client: OpenAI, run: RunConfig = DEFAULT_RUN) -> None:
        self.client = client
        self.run = run

    def prefer(self, question: str, first: str, second: str) -> str:
        completion = self.client.chat.completions.create(
            model=self.run.judge_model,
            messages=[{"role": "user", "content": f"{question}\n\nA: {first}\n\nB: {second}\n\nAnswer A or B."}],
            max_tokens=1,
            logprobs=True,
        )
        return completion.choices[0].message.content or "A"

    def explain(self, question: str, first: str, second: str) -> str:
        stream = self.client.chat.completions.create(
            model=self.run.judge_model,
            messages=[{"role": "user", "content": f"Explain which is better.\n{question}\nA: {first}\nB: {second}"}],
            stream=True,
        )
        return "".join(chunk.choices[0].delta.content or "" for chunk in stream)


def default_pairwise() -> PairwiseJudge:
    return PairwiseJudge(OpenAI(max_retries=5))
