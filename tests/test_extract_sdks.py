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
    # every billable endpoint of the SDKs above (openai 3.63.0 `resources/`, openai 0.28.1 `api_resources/`)
    ("openai-billable-endpoints", '''
        import openai
        from openai import OpenAI

        client = OpenAI()

        def media(image, audio, text):
            client.moderations.create(model="omni-moderation-latest", input=text)
            client.images.generate(model="gpt-image-1", prompt=text)
            client.images.edit(image=image, prompt=text)
            client.images.create_variation(image=image, n=2)
            client.audio.transcriptions.create(model="whisper-1", file=audio)
            client.audio.translations.create(model="whisper-1", file=audio)
            client.audio.speech.create(model="tts-1", voice="alloy", input=text)
            client.videos.create(model="sora-2", prompt=text)
            client.videos.remix("video_123", prompt=text)
            client.realtime.calls.accept("call_1", type="realtime", model="gpt-realtime", max_output_tokens=800)
            client.batches.create(input_file_id="file-1", endpoint="/v1/chat/completions", completion_window="24h")
            client.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file="file-2")

        def legacy(image, text):
            openai.Moderation.create(text, "text-moderation-latest")
            openai.Image.create_variation(image=image, n=1)
            openai.Audio.atranslate("whisper-1", image)
        ''', [
        ("openai", "openai.moderations.create", "omni-moderation-latest", None),
        ("openai", "openai.images.generate", "gpt-image-1", None),
        ("openai", "openai.images.edit", "dall-e-2", None),
        ("openai", "openai.images.create_variation", "dall-e-2", None),
        ("openai", "openai.audio.transcriptions.create", "whisper-1", None),
        ("openai", "openai.audio.translations.create", "whisper-1", None),
        ("openai", "openai.audio.speech.create", "tts-1", None),
        ("openai", "openai.videos.create", "sora-2", None),
        ("openai", "openai.videos.remix", None, None),
        ("openai", "openai.realtime.calls.accept", "gpt-realtime", 800),
        ("openai", "openai.batches.create", None, None),
        ("openai", "openai.fine_tuning.jobs.create", "gpt-4o-mini-2024-07-18", None),
        ("openai", "openai.Moderation.create", "text-moderation-latest", None),
        ("openai", "openai.Image.create_variation", "dall-e-2", None),
        ("openai", "openai.Audio.atranslate", "whisper-1", None),
    ]),
    # google-genai 3.6.1 `models.py`, `batches.py`, `tunings.py`
    ("google-genai-media-batches-tuning", '''
        from google import genai

        client = genai.Client(vertexai=True, project="acme", location="us-central1")

        def run(person, product, src):
            client.models.generate_images(model="imagen-4.0-generate-001", prompt="a lighthouse")
            client.models.recontext_image(model="virtual-try-on-preview-08-04", source={"person_image": person})
            client.models.generate_videos(model="veo-3.0-generate-001", prompt="waves")
            client.batches.create_embeddings(model="gemini-embedding-001", src=src)
            client.tunings.tune(base_model="gemini-2.5-flash", training_dataset={"gcs_uri": "gs://b/t.jsonl"})
        ''', [
        ("google", "google-genai.models.generate_images", "imagen-4.0-generate-001", None),
        ("google", "google-genai.models.recontext_image", "virtual-try-on-preview-08-04", None),
        ("google", "google-genai.models.generate_videos", "veo-3.0-generate-001", None),
        ("google", "google-genai.batches.create_embeddings", "gemini-embedding-001", None),
        ("google", "google-genai.tunings.tune", "gemini-2.5-flash", None),
    ]),
    # botocore 1.44.18 `bedrock-runtime/2023-09-30` and `bedrock-agent-runtime/2023-07-26` service models
    ("bedrock-agent-runtime-and-async", '''
        import boto3

        agents = boto3.client("bedrock-agent-runtime", region_name="us-east-1")
        runtime = boto3.Session().client("bedrock-runtime")
        KB_MODEL = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"

        def ask(question, docs):
            agents.retrieve_and_generate(
                input={"text": question},
                retrieveAndGenerateConfiguration={
                    "type": "KNOWLEDGE_BASE",
                    "knowledgeBaseConfiguration": {
                        "knowledgeBaseId": "KB1",
                        "modelArn": KB_MODEL,
                        "generationConfiguration": {"inferenceConfig": {"textInferenceConfig": {"maxTokens": 300}}},
                    },
                },
            )
            agents.invoke_agent(agentId="A1", agentAliasId="AL1", sessionId="s", inputText=question)
            agents.rerank(queries=[{"type": "TEXT", "textQuery": {"text": question}}], sources=docs,
                          rerankingConfiguration={"type": "BEDROCK_RERANKING_MODEL", "bedrockRerankingConfiguration": {
                              "modelConfiguration": {"modelArn": "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0"}}})
            runtime.start_async_invoke(modelId="amazon.nova-reel-v1:0", modelInput={}, outputDataConfig={})
        ''', [
        ("aws-bedrock", "bedrock-runtime.retrieve_and_generate",
         "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", 300),
        ("aws-bedrock", "bedrock-runtime.invoke_agent", None, None),
        ("aws-bedrock", "bedrock-runtime.rerank", "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0", None),
        ("aws-bedrock", "bedrock-runtime.start_async_invoke", "amazon.nova-reel-v1:0", None),
    ]),
    # cohere 7.3.1 `base_client.py`, `v2/client.py`, `audio/transcriptions/client.py`
    ("cohere-classify-parse-audio", '''
        import cohere

        co = cohere.Client()
        co2 = cohere.ClientV2()

        def run(texts, image, audio):
            co.classify(model="embed-english-v3.0", inputs=texts, examples=[])
            co2.parse(model="command-a-vision-07-2025", document={"type": "image_url", "image_url": image})
            co2.audio.transcriptions.create(model="cohere-transcribe-03-2026", language="en", file=audio)
        ''', [
        ("cohere", "cohere.classify", "embed-english-v3.0", None),
        ("cohere", "cohere.parse", "command-a-vision-07-2025", None),
        ("cohere", "cohere.audio.transcriptions.create", "cohere-transcribe-03-2026", None),
    ]),
    # mistralai 3.7.0 `client/` and 1.12.4 (`client.beta.conversations`, `client.fine_tuning.jobs`)
    ("mistral-ocr-classifiers-audio-jobs", '''
        from mistralai import Mistral

        client = Mistral(api_key="...")

        async def run(doc, audio, texts):
            client.ocr.process(model="mistral-ocr-latest", document={"type": "document_url", "document_url": doc})
            client.classifiers.classify(model="ft:classifier:ministral-3b-latest:abc", inputs=texts)
            await client.audio.transcriptions.complete_async(model="voxtral-mini-latest", file=audio)
            client.batch.jobs.create(endpoint="/v1/chat/completions", model="mistral-small-latest", requests=[])
            client.fine_tuning.jobs.create(model="open-mistral-7b", hyperparameters={})
            client.beta.conversations.start(model="mistral-medium-latest", inputs="hi", completion_args={"max_tokens": 64})
            client.beta.conversations.append(conversation_id="c1", inputs="and?")
        ''', [
        ("mistral", "mistral.ocr.process", "mistral-ocr-latest", None),
        ("mistral", "mistral.classifiers.classify", "ft:classifier:ministral-3b-latest:abc", None),
        ("mistral", "mistral.audio.transcriptions.complete_async", "voxtral-mini-latest", None),
        ("mistral", "mistral.batch.jobs.create", "mistral-small-latest", None),
        ("mistral", "mistral.fine_tuning.jobs.create", "open-mistral-7b", None),
        ("mistral", "mistral.conversations.start", "mistral-medium-latest", 64),
        ("mistral", "mistral.conversations.append", None, None),
    ]),
    # groq 1.7.0 and together 3.1.1 `resources/`
    ("groq-together-media-and-tuning", '''
        from groq import Groq
        from together import Together

        groq = Groq()
        tg = Together()

        def run(audio, docs):
            groq.audio.transcriptions.create(model="whisper-large-v3-turbo", file=audio)
            groq.embeddings.create(model="nomic-embed-text-v1_5", input=docs)
            tg.images.generate(model="black-forest-labs/FLUX.1-schnell", prompt="a fox")
            tg.rerank.create(model="Salesforce/Llama-Rank-V1", query="q", documents=docs)
            tg.audio.translations.create(model="openai/whisper-large-v3", file=audio)
            tg.fine_tuning.create(model="meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", training_file="file-1")
        ''', [
        ("groq", "groq.audio.transcriptions.create", "whisper-large-v3-turbo", None),
        ("groq", "groq.embeddings.create", "nomic-embed-text-v1_5", None),
        ("together", "together.images.generate", "black-forest-labs/FLUX.1-schnell", None),
        ("together", "together.rerank.create", "Salesforce/Llama-Rank-V1", None),
        ("together", "together.audio.translations.create", "openai/whisper-large-v3", None),
        ("together", "together.fine_tuning.create", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", None),
    ]),
    # litellm 1.110.2 `main.py`, `images/main.py`, `videos/main.py`, `ocr/dispatch.py`, `batches/main.py`,
    # `fine_tuning/main.py`, and the Router's positional order (`router_attempt.py`)
    ("litellm-every-endpoint", '''
        import litellm
        from litellm import Router

        router = Router(model_list=[{"model_name": "fast", "litellm_params": {"model": "groq/llama-3.1-8b-instant"}}])

        async def run(text, image, doc, audio):
            litellm.moderation(text, "omni-moderation-latest")
            litellm.image_edit(image, text, "gpt-image-1")
            litellm.video_generation(text, "openai/sora-2")
            litellm.ocr("mistral/mistral-ocr-latest", document={"type": "document_url", "document_url": doc})
            litellm.transcription("groq/whisper-large-v3", audio)
            litellm.speech("openai/tts-1", input=text, voice="alloy")
            litellm.rerank("cohere/rerank-english-v3.0", query=text, documents=[])
            litellm.create_batch(completion_window="24h", endpoint="/v1/chat/completions", input_file_id="file-1")
            litellm.create_fine_tuning_job(model="gpt-4o-mini-2024-07-18", training_file="file-2")
            router.completion("fast", [], max_tokens=40)
            await router.amoderation(text, "fast")
        ''', [
        ("openai", "litellm.moderation", "omni-moderation-latest", None),
        ("openai", "litellm.image_edit", "gpt-image-1", None),
        ("openai", "litellm.video_generation", "openai/sora-2", None),
        ("mistral", "litellm.ocr", "mistral/mistral-ocr-latest", None),
        ("groq", "litellm.transcription", "groq/whisper-large-v3", None),
        ("openai", "litellm.speech", "openai/tts-1", None),
        ("cohere", "litellm.rerank", "cohere/rerank-english-v3.0", None),
        ("litellm", "litellm.create_batch", None, None),
        ("openai", "litellm.create_fine_tuning_job", "gpt-4o-mini-2024-07-18", None),
        ("groq", "litellm-router.completion", "groq/llama-3.1-8b-instant", 40),
        ("groq", "litellm-router.amoderation", "groq/llama-3.1-8b-instant", None),
    ]),
    # LangChain partner packages (versions read: see the comments in data/sdk-surface.yaml)
    ("langchain-partner-integrations", '''
        from langchain_cerebras import ChatCerebras
        from langchain_deepseek import ChatDeepSeek
        from langchain_fireworks import ChatFireworks, FireworksEmbeddings
        from langchain_gigachat import GigaChat
        from langchain_nomic import NomicEmbeddings
        from langchain_nvidia_ai_endpoints import ChatNVIDIA, NVIDIAEmbeddings
        from langchain_perplexity import ChatPerplexity
        from langchain_together import TogetherEmbeddings
        from langchain_voyageai import VoyageAIEmbeddings, VoyageAIRerank
        from langchain_xai import ChatXAI

        fireworks = ChatFireworks(model="accounts/fireworks/models/llama-v3p1-70b-instruct", max_tokens=300)
        fw_embed = FireworksEmbeddings()
        grok = ChatXAI(model="grok-3-mini", max_tokens=200)
        grok_default = ChatXAI()
        together_embed = TogetherEmbeddings(model="BAAI/bge-base-en-v1.5")
        nomic = NomicEmbeddings(model="nomic-embed-text-v1.5")
        voyage = VoyageAIEmbeddings(model="voyage-3")
        rerank = VoyageAIRerank(model="rerank-2", top_k=3)
        deepseek = ChatDeepSeek(model="deepseek-chat", max_tokens=1000)
        giga = GigaChat(credentials="...", model="GigaChat-Pro", max_tokens=256)
        nvidia = ChatNVIDIA(model="meta/llama-3.1-70b-instruct", max_completion_tokens=512)
        nv_embed = NVIDIAEmbeddings(model="nvidia/nv-embedqa-e5-v5")
        sonar = ChatPerplexity(max_tokens=400)
        cerebras = ChatCerebras(model="llama-3.3-70b")
        ''', [
        ("other", "langchain_fireworks.ChatFireworks", "accounts/fireworks/models/llama-v3p1-70b-instruct", 300),
        ("other", "langchain_fireworks.FireworksEmbeddings", "nomic-ai/nomic-embed-text-v1.5", None),
        ("other", "langchain_xai.ChatXAI", "grok-3-mini", 200),
        ("other", "langchain_xai.ChatXAI", None, None),
        ("together", "langchain_together.TogetherEmbeddings", "BAAI/bge-base-en-v1.5", None),
        ("other", "langchain_nomic.NomicEmbeddings", "nomic-embed-text-v1.5", None),
        ("other", "langchain_voyageai.VoyageAIEmbeddings", "voyage-3", None),
        ("other", "langchain_voyageai.VoyageAIRerank", "rerank-2", None),
        ("other", "langchain_deepseek.ChatDeepSeek", "deepseek-chat", 1000),
        ("other", "langchain_gigachat.GigaChat", "GigaChat-Pro", 256),
        ("other", "langchain_nvidia_ai_endpoints.ChatNVIDIA", "meta/llama-3.1-70b-instruct", 512),
        ("other", "langchain_nvidia_ai_endpoints.NVIDIAEmbeddings", "nvidia/nv-embedqa-e5-v5", None),
        ("other", "langchain_perplexity.ChatPerplexity", "sonar", 400),
        ("other", "langchain_cerebras.ChatCerebras", "llama-3.3-70b", None),
    ]),
    # Hugging Face hosted inference; `ChatHuggingFace` wraps the endpoint, which is the call site
    ("langchain-huggingface-endpoints", '''
        from langchain_community.embeddings import HuggingFaceInferenceAPIEmbeddings
        from langchain_community.llms.huggingface_hub import HuggingFaceHub
        from langchain_huggingface import ChatHuggingFace, HuggingFaceEndpoint, HuggingFaceEndpointEmbeddings

        endpoint = HuggingFaceEndpoint(repo_id="meta-llama/Llama-3.1-8B-Instruct", max_new_tokens=256)
        chat = ChatHuggingFace(llm=endpoint)
        inline = ChatHuggingFace(llm=HuggingFaceEndpoint(endpoint_url="https://xyz.endpoints.huggingface.cloud"))
        hub = HuggingFaceHub(repo_id="google/flan-t5-xxl", model_kwargs={"max_new_tokens": 64})
        embed = HuggingFaceEndpointEmbeddings()
        api_embed = HuggingFaceInferenceAPIEmbeddings(api_key="hf_...", model_name="BAAI/bge-small-en-v1.5")
        ''', [
        ("other", "langchain_huggingface.HuggingFaceEndpoint", "meta-llama/Llama-3.1-8B-Instruct", 256),
        ("other", "langchain_huggingface.HuggingFaceEndpoint", "https://xyz.endpoints.huggingface.cloud", None),
        ("other", "langchain_community.llms.HuggingFaceHub", "google/flan-t5-xxl", 64),
        ("other", "langchain_huggingface.HuggingFaceEndpointEmbeddings", "sentence-transformers/all-mpnet-base-v2", None),
        ("other", "langchain_community.embeddings.HuggingFaceInferenceAPIEmbeddings", "BAAI/bge-small-en-v1.5", None),
    ]),
    # langchain_community 0.0.38-0.3.31 classes, imported from their package or their own module
    ("langchain-community-integrations", '''
        from langchain_community.chat_models import ChatAnthropic, ChatTongyi, GigaChat, JinaChat
        from langchain_community.chat_models.fireworks import ChatFireworks
        from langchain_community.chat_models.ollama import ChatOllama
        from langchain_community.embeddings import CohereEmbeddings, DashScopeEmbeddings, JinaEmbeddings, OllamaEmbeddings
        from langchain_community.llms import Replicate, Tongyi
        from langchain_community.llms.gigachat import GigaChat as GigaChatLLM

        claude = ChatAnthropic()
        qwen = ChatTongyi(model_kwargs={"max_tokens": 500})
        qwen_llm = Tongyi(model_name="qwen-max")
        dashscope = DashScopeEmbeddings()
        giga_chat = GigaChat(model="GigaChat-Max", max_tokens=100)
        giga_llm = GigaChatLLM()
        jina = JinaChat(max_tokens=50)
        jina_embed = JinaEmbeddings(jina_api_key="...")
        fireworks = ChatFireworks()
        llama = ChatOllama(model="llama3.1", num_predict=128)
        local_embed = OllamaEmbeddings(base_url="http://localhost:11434")
        cohere_embed = CohereEmbeddings()
        replicate = Replicate(model="meta/meta-llama-3-8b-instruct", model_kwargs={"max_new_tokens": 200})
        ''', [
        ("anthropic", "langchain_community.chat_models.ChatAnthropic", "claude-2", None),
        ("other", "langchain_community.chat_models.ChatTongyi", "qwen-turbo", 500),
        ("other", "langchain_community.llms.Tongyi", "qwen-max", None),
        ("other", "langchain_community.embeddings.DashScopeEmbeddings", "text-embedding-v1", None),
        ("other", "langchain_community.chat_models.GigaChat", "GigaChat-Max", 100),
        ("other", "langchain_community.llms.gigachat.GigaChat", None, None),
        ("other", "langchain_community.chat_models.JinaChat", None, 50),
        ("other", "langchain_community.embeddings.JinaEmbeddings", "jina-embeddings-v2-base-en", None),
        ("other", "langchain_community.chat_models.ChatFireworks", "accounts/fireworks/models/llama-v2-7b-chat", None),
        ("ollama", "langchain_community.chat_models.ChatOllama", "llama3.1", 128),
        ("ollama", "langchain_community.embeddings.OllamaEmbeddings", "llama2", None),
        ("cohere", "langchain_community.embeddings.CohereEmbeddings", "embed-english-v2.0", None),
        ("other", "langchain_community.llms.Replicate", "meta/meta-llama-3-8b-instruct", 200),
    ]),
    # pre-split langchain 0.0.300 imports still found in old repositories
    ("langchain-0x-imports", '''
        from langchain.embeddings import HuggingFaceHubEmbeddings
        from langchain.llms import Anthropic, HuggingFaceHub, Ollama, Replicate

        hub = HuggingFaceHub(repo_id="tiiuae/falcon-7b-instruct")
        claude = Anthropic(max_tokens_to_sample=300)
        local = Ollama(model="mistral")
        replicate = Replicate(model="a16z-infra/llama13b-v2-chat", input={"max_length": 500})
        embed = HuggingFaceHubEmbeddings()
        ''', [
        ("other", "langchain.llms.HuggingFaceHub", "tiiuae/falcon-7b-instruct", None),
        ("anthropic", "langchain.llms.Anthropic", "claude-2", 300),
        ("ollama", "langchain.llms.Ollama", "mistral", None),
        ("other", "langchain.llms.Replicate", "a16z-infra/llama13b-v2-chat", 500),
        ("other", "langchain.embeddings.HuggingFaceHubEmbeddings", None, None),
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
