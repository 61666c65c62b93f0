"""Account research: LlamaIndex over the CRM export, DSPy for scoring, instructor for firmographics."""

from __future__ import annotations

import os

import dspy
import instructor
from anthropic import AsyncAnthropic
from langchain.chat_models import init_chat_model
from langchain_anthropic import ChatAnthropic
from langchain_aws import ChatBedrockConverse
from langchain_google_genai import ChatGoogleGenerativeAI
from langchain_openai import AzureChatOpenAI
from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
from llama_index.llms.openai import OpenAI as LlamaOpenAI
from openai import AsyncOpenAI
from pydantic import BaseModel

from .config import Models

CRM_EXPORT_DIR = "/data/crm-export"


class Firmographics(BaseModel):
    employees: int | None
    industry: str
    hq_country: str


def crm_index() -> VectorStoreIndex:
    documents = SimpleDirectoryReader(CRM_EXPORT_DIR).load_data()
    return VectorStoreIndex.from_documents(documents)


def ask_crm(question: str) -> str:
    llm = LlamaOpenAI(Models.RESEARCH, temperature=0, max_tokens=800)
    engine = crm_index().as_query_engine(llm=llm, similarity_top_k=5)
    return str(engine.query(question))


def deep_dive(question: str) -> str:
    llm = LlamaOpenAI(model=os.getenv("COPILOT_DEEP_MODEL", "gpt-4o"), max_tokens=2000)
    return llm.complete(question).text


scorer_lm = dspy.LM("openai/gpt-4o-mini", temperature=0, max_tokens=200, cache=True)


class FitScore(dspy.Signature):
    """Score how well the account fits our ICP, 0-100."""

    account_summary: str = dspy.InputField()
    score: int = dspy.OutputField()


def fit_score(summary: str) -> int:
    with dspy.context(lm=scorer_lm):
        return dspy.Predict(FitScore)(account_summary=summary).score


def fit_score_second_opinion(summary: str) -> int:
    lm = dspy.LM("anthropic/claude-3-5-haiku-20241022", max_tokens=200)
    with dspy.context(lm=lm):
        return dspy.Predict(FitScore)(account_summary=summary).score


async def firmographics(text: str) -> Firmographics:
    client = instructor.from_openai(AsyncOpenAI())
    return await client.chat.completions.create(
        model="gpt-4o-mini",
        response_model=Firmographics,
        messages=[{"role": "user", "content": text}],
        max_retries=3,
    )


async def firmographics_claude(text: str) -> Firmographics:
    client = instructor.from_anthropic(AsyncAnthropic())
    return await client.messages.create(
        model="claude-3-5-haiku-20241022",
        max_tokens=400,
        response_model=Firmographics,
        messages=[{"role": "user", "content": text}],
    )


def comparison_models() -> dict[str, object]:
    """The side-by-side view in the research tab shows one answer per vendor."""
    return {
        "gemini": init_chat_model("google_genai:gemini-2.0-flash", temperature=0),
        "claude": ChatAnthropic(model_name="claude-3-5-sonnet-20241022", max_tokens=1000),
        "gemini-pro": ChatGoogleGenerativeAI(model="gemini-1.5-pro-002", max_tokens=1000),
        "azure": AzureChatOpenAI(deployment_name="gpt-4o-sales", openai_api_version="2024-06-01", max_tokens=1000),
        "nova": ChatBedrockConverse(model_id="amazon.nova-pro-v1:0", max_tokens=1000),
    }
