"""Per SDK: real-shaped code and the call sites it must yield, as (provider, api, model, output limit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from extract_helpers import Row, call_sites

CASES: list[tuple[str, str, list[Row]]] = [
    ("openai-client-and-module", '''
        import openai
        from openai import AsyncOpenAI, OpenAI

        client = OpenAI()
        aclient = AsyncOpenAI()

        def summarise(text: str) -> str:
            return client.chat.completions.create(model="gpt-4o-mini", max_completion_tokens=300,
                                                  messages=[{"role": "user", "content": text}]).choices[0].message.content

        async def stream(text: str):
            return await aclient.with_options(timeout=20).responses.create(model="gpt-4.1", input=text, max_output_tokens=500)

        def vector(text: str):
            return openai.embeddings.create(model="text-embedding-3-small", input=text)

        def parse(text: str):
            return client.beta.chat.completions.parse(model="gpt-4o-2024-08-06", messages=[], response_format=dict)
        ''', [
        ("openai", "openai.chat.completions.create", "gpt-4o-mini", 300),
        ("openai", "openai.responses.create", "gpt-4.1", 500),
        ("openai", "openai.embeddings.create", "text-embedding-3-small", None),
        ("openai", "openai.chat.completions.parse", "gpt-4o-2024-08-06", None),
    ]),
    ("openai-legacy-0x", '''
        import openai

        openai.api_key = "sk-..."

        def answer(question):
            return openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[], max_tokens=256)

        def complete(prompt):
            return openai.Completion.create(engine="text-davinci-003", prompt=prompt, max_tokens=64)
        ''', [
        ("openai", "openai.ChatCompletion.create", "gpt-3.5-turbo", 256),
        ("openai", "openai.Completion.create", "text-davinci-003", 64),
    ]),
    ("openai-legacy-azure", '''
        import openai

        openai.api_type = "azure"
        openai.api_base = "https://acme.openai.azure.com/"

        def answer(question):
            return openai.ChatCompletion.create(engine="gpt35-prod", messages=[], max_tokens=100)
        ''', [("azure-openai", "openai.ChatCompletion.create", "gpt35-prod", 100)]),
    ("openai-legacy-azure-per-call", '''
        import openai

        def embed(text):
            return openai.Embedding.create(input=[text], engine="ada-embeddings", api_type="azure", api_version="2023-05-15")
        ''', [("azure-openai", "openai.Embedding.create", "ada-embeddings", None)]),
    ("openai-module-settings-endpoint", '''
        import openai

        openai.api_key = "EMPTY"
        openai.api_base = "http://localhost:8000/v1"

        def ask(prompt):
            return openai.ChatCompletion.create(model="vicuna-13b-v1.5", messages=[], max_tokens=50)

        def ask_v1(prompt):
            openai.base_url = "https://api.groq.com/openai/v1/"
            return openai.chat.completions.create(model="llama-3.1-8b-instant", messages=[])
        ''', [
        ("other", "openai.ChatCompletion.create", "vicuna-13b-v1.5", 50),
        ("groq", "openai.chat.completions.create", "llama-3.1-8b-instant", None),
    ]),
    ("openai-compatible-vendors", '''
        import os
        from openai import OpenAI

        groq = OpenAI(base_url="https://api.groq.com/openai/v1", api_key=os.environ["GROQ_API_KEY"])
        together = OpenAI(base_url="https://api.together.xyz/v1")
        router = OpenAI(base_url="https://openrouter.ai/api/v1")
        deepseek = OpenAI(base_url="https://api.deepseek.com")
        xai = OpenAI(base_url="https://api.x.ai/v1")
        local = OpenAI(base_url="http://localhost:11434/v1", api_key="ollama")
        vllm = OpenAI(base_url="http://127.0.0.1:8000/v1")
        gateway = OpenAI(base_url=os.environ["LLM_GATEWAY_URL"])

        def run(messages):
            groq.chat.completions.create(model="llama-3.3-70b-versatile", messages=messages)
            together.chat.completions.create(model="meta-llama/Llama-3.3-70B-Instruct-Turbo", messages=messages)
            router.chat.completions.create(model="anthropic/claude-3.5-sonnet", messages=messages)
            deepseek.chat.completions.create(model="deepseek-chat", messages=messages)
            xai.chat.completions.create(model="grok-2-latest", messages=messages)
            local.chat.completions.create(model="llama3.1", messages=messages)
            vllm.chat.completions.create(model="Qwen/Qwen2.5-7B-Instruct", messages=messages)
            gateway.chat.completions.create(model="gpt-4o", messages=messages)
        ''', [
        ("groq", "openai.chat.completions.create", "llama-3.3-70b-versatile", None),
        ("together", "openai.chat.completions.create", "meta-llama/Llama-3.3-70B-Instruct-Turbo", None),
        ("other", "openai.chat.completions.create", "anthropic/claude-3.5-sonnet", None),
        ("other", "openai.chat.completions.create", "deepseek-chat", None),
        ("other", "openai.chat.completions.create", "grok-2-latest", None),
        ("ollama", "openai.chat.completions.create", "llama3.1", None),
        ("other", "openai.chat.completions.create", "Qwen/Qwen2.5-7B-Instruct", None),
        ("openai", "openai.chat.completions.create", "gpt-4o", None),
    ]),
    ("azure-openai-deployment", '''
        from openai import AzureOpenAI

        client = AzureOpenAI(azure_endpoint="https://acme.openai.azure.com", api_version="2024-06-01")

        def triage(ticket):
            return client.chat.completions.create(model="triage-gpt4o", messages=[], max_tokens=120)
        ''', [("azure-openai", "openai.chat.completions.create", "triage-gpt4o", 120)]),
    ("anthropic-all-clients", '''
        import anthropic
        from anthropic import AnthropicBedrock, AnthropicVertex, AsyncAnthropic

        client = anthropic.Anthropic()
        aclient = AsyncAnthropic()
        bedrock = AnthropicBedrock(aws_region="us-east-1")
        vertex = AnthropicVertex(region="us-east5", project_id="acme")

        async def run(prompt):
            client.messages.create(model="claude-3-5-haiku-20241022", max_tokens=400, messages=[])
            with client.messages.stream(model="claude-sonnet-4-20250514", max_tokens=2048, messages=[]) as stream:
                pass
            await aclient.beta.messages.create(model="claude-3-7-sonnet-20250219", max_tokens=800, messages=[])
            bedrock.messages.create(model="anthropic.claude-3-5-sonnet-20241022-v2:0", max_tokens=300, messages=[])
            vertex.messages.create(model="claude-3-5-sonnet-v2@20241022", max_tokens=300, messages=[])
            client.messages.batches.create(requests=[])
        ''', [
        ("anthropic", "anthropic.messages.create", "claude-3-5-haiku-20241022", 400),
        ("anthropic", "anthropic.messages.stream", "claude-sonnet-4-20250514", 2048),
        ("anthropic", "anthropic.messages.create", "claude-3-7-sonnet-20250219", 800),
        ("aws-bedrock", "anthropic.messages.create", "anthropic.claude-3-5-sonnet-20241022-v2:0", 300),
        ("google", "anthropic.messages.create", "claude-3-5-sonnet-v2@20241022", 300),
        ("anthropic", "anthropic.messages.batches.create", None, None),
    ]),
    ("google-genai", '''
        from google import genai
        from google.genai import types

        client = genai.Client()

        async def run(text):
            client.models.generate_content(model="gemini-2.0-flash", contents=text,
                                           config=types.GenerateContentConfig(max_output_tokens=256))
            await client.aio.models.generate_content(model="gemini-2.5-pro", contents=text, config={"max_output_tokens": 900})
            client.models.embed_content(model="text-embedding-004", contents=[text])
            chat = client.chats.create(model="gemini-2.5-flash", config=types.GenerateContentConfig(max_output_tokens=400))
            chat.send_message(text)
        ''', [
        ("google", "google-genai.models.generate_content", "gemini-2.0-flash", 256),
        ("google", "google-genai.models.generate_content", "gemini-2.5-pro", 900),
        ("google", "google-genai.models.embed_content", "text-embedding-004", None),
        ("google", "google-genai.chats.create", "gemini-2.5-flash", 400),
    ]),
    ("google-generativeai-and-vertex", '''
        import google.generativeai as genai
        from vertexai.generative_models import GenerationConfig, GenerativeModel

        genai.configure(api_key="...")
        faq = genai.GenerativeModel("gemini-1.5-flash", generation_config=genai.GenerationConfig(max_output_tokens=512))
        summary = GenerativeModel(model_name="gemini-1.5-pro-002", generation_config=GenerationConfig(max_output_tokens=1200),
                                  labels={"team": "support"})

        def run(question):
            faq.generate_content(question)
            faq.start_chat().send_message(question)
            genai.embed_content(model="models/text-embedding-004", content=question)

        def cached(cache):
            return GenerativeModel.from_cached_content(cached_content=cache)
        ''', [
        ("google", "google.generativeai.GenerativeModel", "gemini-1.5-flash", 512),
        ("google", "vertexai.generative_models.GenerativeModel", "gemini-1.5-pro-002", 1200),
        ("google", "google.generativeai.embed_content", "models/text-embedding-004", None),
        ("google", "vertexai.generative_models.GenerativeModel.from_cached_content", None, None),
    ]),
    ("bedrock-runtime", '''
        import json

        import boto3

        bedrock = boto3.client("bedrock-runtime", region_name="us-east-1")
        session = boto3.Session(profile_name="prod")
        runtime = session.client(service_name="bedrock-runtime")

        def run(prompt):
            bedrock.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=[],
                             inferenceConfig={"maxTokens": 300, "temperature": 0.2})
            runtime.converse_stream(modelId="us.amazon.nova-pro-v1:0", messages=[], inferenceConfig={"maxTokens": 700})
            body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 512, "messages": []}
            bedrock.invoke_model(modelId="us.anthropic.claude-3-5-sonnet-20240620-v1:0", body=json.dumps(body))
            bedrock.invoke_model_with_response_stream(modelId="meta.llama3-70b-instruct-v1:0",
                                                      body=json.dumps({"prompt": prompt, "max_gen_len": 256}))
            titan = json.dumps({"inputText": prompt, "textGenerationConfig": {"maxTokenCount": 400}})
            bedrock.invoke_model(modelId="amazon.titan-text-express-v1", body=titan.encode("utf-8"))
        ''', [
        ("aws-bedrock", "bedrock-runtime.converse", "anthropic.claude-3-haiku-20240307-v1:0", 300),
        ("aws-bedrock", "bedrock-runtime.converse_stream", "us.amazon.nova-pro-v1:0", 700),
        ("aws-bedrock", "bedrock-runtime.invoke_model", "us.anthropic.claude-3-5-sonnet-20240620-v1:0", 512),
        ("aws-bedrock", "bedrock-runtime.invoke_model_with_response_stream", "meta.llama3-70b-instruct-v1:0", 256),
        ("aws-bedrock", "bedrock-runtime.invoke_model", "amazon.titan-text-express-v1", 400),
    ]),
    ("bedrock-async-sessions", '''
        import aioboto3
        from aiobotocore.session import get_session

        async def run(prompt):
            session = aioboto3.Session()
            async with session.client("bedrock-runtime", region_name="us-west-2") as runtime:
                await runtime.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=[],
                                       inferenceConfig={"maxTokens": 64})
            async with get_session().create_client("bedrock-runtime") as client:
                await client.converse(modelId="meta.llama3-8b-instruct-v1:0", messages=[])
            async with session.client("s3") as s3:
                await s3.put_object(Bucket="b", Key="k", Body=prompt)
        ''', [
        ("aws-bedrock", "bedrock-runtime.converse", "anthropic.claude-3-haiku-20240307-v1:0", 64),
        ("aws-bedrock", "bedrock-runtime.converse", "meta.llama3-8b-instruct-v1:0", None),
    ]),
    ("litellm-functions-and-router", '''
        import litellm
        from litellm import Router, acompletion, completion

        router = Router(model_list=[
            {"model_name": "fast", "litellm_params": {"model": "groq/llama-3.1-8b-instant"}},
            {"model_name": "smart", "litellm_params": {"model": "anthropic/claude-3-5-sonnet-20241022"}},
            {"model_name": "smart", "litellm_params": {"model": "openai/gpt-4o"}},
        ])

        async def run(prompt):
            completion(model="anthropic/claude-3-5-haiku-20241022", messages=[], max_tokens=200)
            await acompletion("bedrock/anthropic.claude-3-sonnet-20240229-v1:0", messages=[])
            litellm.completion(model="gpt-4o-mini", messages=[])
            litellm.completion(model="my-finetune", messages=[])
            litellm.completion(model="anthropic.claude-3-haiku-20240307-v1:0", custom_llm_provider="bedrock", messages=[])
            litellm.text_completion(prompt, "azure/davinci-deploy", max_tokens=50)
            litellm.embedding(model="vertex_ai/text-embedding-004", input=[prompt])
            router.completion(model="fast", messages=[], max_tokens=30)
            await router.acompletion(model="smart", messages=[])
        ''', [
        ("anthropic", "litellm.completion", "anthropic/claude-3-5-haiku-20241022", 200),
        ("aws-bedrock", "litellm.acompletion", "bedrock/anthropic.claude-3-sonnet-20240229-v1:0", None),
        ("openai", "litellm.completion", "gpt-4o-mini", None),
        ("litellm", "litellm.completion", "my-finetune", None),
        ("aws-bedrock", "litellm.completion", "anthropic.claude-3-haiku-20240307-v1:0", None),
        ("azure-openai", "litellm.text_completion", "azure/davinci-deploy", 50),
        ("google", "litellm.embedding", "vertex_ai/text-embedding-004", None),
        ("groq", "litellm-router.completion", "groq/llama-3.1-8b-instant", 30),
        ("litellm", "litellm-router.acompletion", None, None),
    ]),
    ("langchain-constructors", '''
        from langchain.chat_models import init_chat_model
        from langchain_anthropic import ChatAnthropic
        from langchain_aws import ChatBedrock, ChatBedrockConverse
        from langchain_google_genai import ChatGoogleGenerativeAI
        from langchain_openai import AzureChatOpenAI, ChatOpenAI, OpenAIEmbeddings

        llm = ChatOpenAI(model="gpt-4o", temperature=0, max_tokens=600)
        azure = AzureChatOpenAI(azure_deployment="support-gpt4o", api_version="2024-06-01")
        claude = ChatAnthropic(model_name="claude-3-5-sonnet-latest", max_tokens=1024)
        gemini = ChatGoogleGenerativeAI(model="gemini-1.5-pro", max_output_tokens=300)
        bedrock = ChatBedrock(model_id="anthropic.claude-3-sonnet-20240229-v1:0", model_kwargs={"max_tokens": 700})
        converse = ChatBedrockConverse(model="amazon.nova-lite-v1:0", max_tokens=200)
        embeddings = OpenAIEmbeddings(model="text-embedding-3-large")
        router = init_chat_model("anthropic:claude-3-5-haiku-latest", max_tokens=100)
        inferred = init_chat_model("gemini-1.5-flash")
        explicit = init_chat_model("mistral-large-latest", model_provider="mistralai")
        groq = ChatOpenAI(model="llama3-70b-8192", base_url="https://api.groq.com/openai/v1")
        default = ChatOpenAI()
        ''', [
        ("openai", "langchain_openai.ChatOpenAI", "gpt-4o", 600),
        ("azure-openai", "langchain_openai.AzureChatOpenAI", "support-gpt4o", None),
        ("anthropic", "langchain_anthropic.ChatAnthropic", "claude-3-5-sonnet-latest", 1024),
        ("google", "langchain_google_genai.ChatGoogleGenerativeAI", "gemini-1.5-pro", 300),
        ("aws-bedrock", "langchain_aws.ChatBedrock", "anthropic.claude-3-sonnet-20240229-v1:0", 700),
        ("aws-bedrock", "langchain_aws.ChatBedrockConverse", "amazon.nova-lite-v1:0", 200),
        ("openai", "langchain_openai.OpenAIEmbeddings", "text-embedding-3-large", None),
        ("anthropic", "langchain.chat_models.init_chat_model", "anthropic:claude-3-5-haiku-latest", 100),
        ("google", "langchain.chat_models.init_chat_model", "gemini-1.5-flash", None),
        ("mistral", "langchain.chat_models.init_chat_model", "mistral-large-latest", None),
        ("groq", "langchain_openai.ChatOpenAI", "llama3-70b-8192", None),
        ("openai", "langchain_openai.ChatOpenAI", "gpt-3.5-turbo", None),
    ]),
    ("llamaindex-is-not-openai", '''
        from llama_index.core import Settings
        from llama_index.embeddings.openai import OpenAIEmbedding
        from llama_index.llms.anthropic import Anthropic
        from llama_index.llms.openai import OpenAI

        Settings.llm = OpenAI(model="gpt-4o-mini", max_tokens=512)
        Settings.embed_model = OpenAIEmbedding(model="text-embedding-3-small")
        judge = Anthropic(model="claude-3-opus-20240229", max_tokens=256)

        def ask(q):
            return Settings.llm.complete(q)
        ''', [
        ("openai", "llama_index.llms.openai.OpenAI", "gpt-4o-mini", 512),
        ("openai", "llama_index.embeddings.openai.OpenAIEmbedding", "text-embedding-3-small", None),
        ("anthropic", "llama_index.llms.anthropic.Anthropic", "claude-3-opus-20240229", 256),
    ]),
    ("cohere-v1-v2", '''
        import cohere

        co = cohere.Client()
        co2 = cohere.ClientV2()

        def run(q, docs):
            co.chat(message=q, model="command-r", max_tokens=300)
            co2.chat(model="command-r-plus-08-2024", messages=[], max_tokens=500)
            co2.embed(model="embed-english-v3.0", texts=docs, input_type="search_document")
            co2.rerank(model="rerank-english-v3.0", query=q, documents=docs)
            co.v2.chat(model="command-a-03-2025", messages=[])
        ''', [
        ("cohere", "cohere.chat", "command-r", 300),
        ("cohere", "cohere.chat", "command-r-plus-08-2024", 500),
        ("cohere", "cohere.embed", "embed-english-v3.0", None),
        ("cohere", "cohere.rerank", "rerank-english-v3.0", None),
        ("cohere", "cohere.chat", "command-a-03-2025", None),
    ]),
    ("mistral-1x-3x-and-0x", '''
        from mistralai import Mistral
        from mistralai.client import MistralClient

        client = Mistral(api_key="...")
        legacy = MistralClient(api_key="...")

        async def run(messages):
            client.chat.complete(model="mistral-large-latest", messages=messages, max_tokens=400)
            await client.chat.stream_async(model="mistral-small-latest", messages=messages)
            client.embeddings.create(model="mistral-embed", inputs=["x"])
            legacy.chat(messages, "mistral-medium", max_tokens=90)
            client.classifiers.moderate(model="mistral-moderation-latest", inputs=["is this ok?"])
        ''', [
        ("mistral", "mistral.chat.complete", "mistral-large-latest", 400),
        ("mistral", "mistral.chat.stream_async", "mistral-small-latest", None),
        ("mistral", "mistral.embeddings.create", "mistral-embed", None),
        ("mistral", "mistral-legacy.chat", "mistral-medium", 90),
        ("mistral", "mistral.classifiers.moderate", "mistral-moderation-latest", None),
    ]),
    ("mistral-3x-import", '''
        from mistralai.client import Mistral

        client = Mistral(api_key="...")
        client.chat.complete(model="codestral-latest", messages=[])
        ''', [("mistral", "mistral.chat.complete", "codestral-latest", None)]),
    ("groq-together-ollama", '''
        import ollama
        import together
        from groq import AsyncGroq, Groq
        from together import Together

        groq = Groq()
        tg = Together()
        local = ollama.Client(host="http://gpu-box:11434")

        async def run(prompt):
            groq.chat.completions.create(model="llama-3.1-8b-instant", messages=[], max_tokens=100)
            await AsyncGroq().chat.completions.create(model="mixtral-8x7b-32768", messages=[])
            tg.chat.completions.create(model="meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo", messages=[], max_tokens=80)
            together.Complete.create(prompt, "togethercomputer/llama-2-70b", max_tokens=60)
            ollama.chat("llama3.1", messages=[], options={"num_predict": 128})
            local.generate(model="qwen2.5:7b", prompt=prompt)
            ollama.embed(model="nomic-embed-text", input=prompt)
        ''', [
        ("groq", "groq.chat.completions.create", "llama-3.1-8b-instant", 100),
        ("groq", "groq.chat.completions.create", "mixtral-8x7b-32768", None),
        ("together", "together.chat.completions.create", "meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo", 80),
        ("together", "together.Complete.create", "togethercomputer/llama-2-70b", 60),
        ("ollama", "ollama.chat", "llama3.1", 128),
        ("ollama", "ollama.generate", "qwen2.5:7b", None),
        ("ollama", "ollama.embed", "nomic-embed-text", None),
    ]),
    ("instructor-and-dspy", '''
        import dspy
        import instructor
        from anthropic import Anthropic
        from openai import OpenAI

        client = instructor.from_openai(OpenAI())
        claude = instructor.from_anthropic(Anthropic())
        auto = instructor.from_provider("openai/gpt-4o-mini")
        lm = dspy.LM("anthropic/claude-3-5-sonnet-20241022", max_tokens=3000)
        dspy.configure(lm=lm)

        def extract(text, schema):
            client.chat.completions.create(model="gpt-4o", response_model=schema, messages=[], max_tokens=200)
            claude.messages.create(model="claude-3-5-haiku-20241022", max_tokens=300, response_model=schema, messages=[])
            auto.chat.completions.create(response_model=schema, messages=[])
        ''', [
        ("anthropic", "dspy.LM", "anthropic/claude-3-5-sonnet-20241022", 3000),
        ("openai", "openai.chat.completions.create", "gpt-4o", 200),
        ("anthropic", "anthropic.messages.create", "claude-3-5-haiku-20241022", 300),
        ("openai", "instructor-provider.create", "openai/gpt-4o-mini", None),
    ]),
]


@pytest.mark.parametrize(("source", "expected"), [pytest.param(s, e, id=i) for i, s, e in CASES])
def test_call_sites_per_sdk(tmp_path: Path, source: str, expected: list[Row]) -> None:
    assert call_sites(tmp_path, source) == expected


def test_framework_and_deployment_are_recorded(tmp_path: Path) -> None:
    from helpers import check_project, write_project

    root = write_project(tmp_path / "p", {"app/llm.py": '''
        import instructor
        from langchain_openai import AzureChatOpenAI
        from openai import OpenAI

        llm = AzureChatOpenAI(azure_deployment="prod-4o")
        client = instructor.from_openai(OpenAI())
        client.chat.completions.create(model="gpt-4o", response_model=dict, messages=[])
        '''})
    sites = check_project(root).call_sites
    assert [(c.site.framework, c.site.model_is_deployment) for c in sites] == [("langchain", True), ("instructor", False)]
