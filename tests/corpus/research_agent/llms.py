"""Chat models the agent uses, one factory per role so tests can swap them."""

from __future__ import annotations

import os

from langchain.chat_models import init_chat_model
from langchain_anthropic import ChatAnthropic
from langchain_aws import ChatBedrock, ChatBedrockConverse
from langchain_core.language_models import BaseChatModel
from langchain_google_genai import ChatGoogleGenerativeAI
from langchain_openai import AzureChatOpenAI, ChatOpenAI, OpenAIEmbeddings

from .settings import settings

FAST_MODEL = "gpt-4o-mini"


def planner() -> BaseChatModel:
    return ChatOpenAI(model=settings.PLANNER_MODEL, temperature=0, max_tokens=2000, tags=["planner"])


def fast(temperature: float = 0.0) -> BaseChatModel:
    return ChatOpenAI(model_name=FAST_MODEL, temperature=temperature, max_tokens=512)


def writer() -> BaseChatModel:
    return ChatAnthropic(
        model=settings.WRITER_MODEL,
        max_tokens=settings.WRITER_MAX_TOKENS,
        temperature=0.3,
        model_kwargs={"metadata": {"user_id": "research-agent"}},
    )


def critic() -> BaseChatModel:
    return ChatGoogleGenerativeAI(model=settings.CRITIC_MODEL, max_output_tokens=1024, temperature=0)


def enterprise_writer() -> BaseChatModel:
    """Customers on the enterprise plan get Azure-hosted models (their data stays in the EU region)."""
    return AzureChatOpenAI(
        azure_deployment=settings.AZURE_DEPLOYMENT,
        api_version=settings.AZURE_API_VERSION,
        azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],
        max_tokens=3000,
    )


def aws_writer() -> BaseChatModel:
    return ChatBedrock(
        model_id="anthropic.claude-3-sonnet-20240229-v1:0",
        region_name=os.getenv("AWS_REGION", "us-west-2"),
        model_kwargs={"max_tokens": 3000, "temperature": 0.3},
    )


def aws_summariser() -> BaseChatModel:
    return ChatBedrockConverse(
        model="meta.llama3-1-70b-instruct-v1:0",
        max_tokens=1024,
        region_name="us-west-2",
    )


def router_model() -> BaseChatModel:
    return init_chat_model("anthropic:claude-3-5-haiku-latest", temperature=0, max_tokens=256)


def configurable_fast() -> BaseChatModel:
    return init_chat_model(FAST_MODEL, model_provider="openai", temperature=0)


def embeddings() -> OpenAIEmbeddings:
    return OpenAIEmbeddings(model="text-embedding-3-large", dimensions=1024)
