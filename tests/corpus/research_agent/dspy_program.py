"""DSPy program for question rewriting and answer grading (optimised offline with MIPROv2)."""

from __future__ import annotations

import dspy

JUDGE_MODEL = "anthropic/claude-3-5-sonnet-20241022"

lm = dspy.LM("openai/gpt-4o-mini", max_tokens=1000, temperature=0.0)
dspy.configure(lm=lm)


class Rewrite(dspy.Signature):
    """Rewrite a vague research question into a precise one."""

    question: str = dspy.InputField()
    rewritten: str = dspy.OutputField()


class Grade(dspy.Signature):
    """Grade how well the brief answers the question, 1-5."""

    question: str = dspy.InputField()
    brief: str = dspy.InputField()
    score: int = dspy.OutputField()


rewrite = dspy.ChainOfThought(Rewrite)


def grade(question: str, brief: str) -> int:
    judge = dspy.LM(JUDGE_MODEL, max_tokens=300)
    with dspy.context(lm=judge):
        return dspy.Predict(Grade)(question=question, brief=brief).score


def smoke_test() -> str:
    """Runs the program once against canned answers (CI, no keys)."""
    from dspy.utils import DummyLM

    with dspy.context(lm=DummyLM([{"reasoning": "r", "rewritten": "What changed in Q3 pricing?"}])):
        return rewrite(question="pricing?").rewritten


def rewrite_strong(question: str) -> str:
    with dspy.context(lm=dspy.LM(model="openai/gpt-4o", max_tokens=500)):
        return rewrite(question=question).rewritten
