"""Precision: code that looks like an LLM call but isn't must yield no call site."""

from __future__ import annotations

from pathlib import Path

import pytest
from extract_helpers import call_sites

LOOKALIKES: list[tuple[str, str]] = [
    ("twilio-messages-create", '''
        from twilio.rest import Client

        client = Client("AC...", "token")
        client.messages.create(body="Your code is 1234", from_="+15550001", to="+15550002")
        '''),
    ("stripe-and-slack", '''
        import stripe
        from slack_sdk import WebClient

        stripe.Customer.create(email="a@example.com")
        stripe.checkout.Session.create(mode="payment", line_items=[])
        WebClient(token="xoxb").chat_postMessage(channel="#ops", text="deployed")
        '''),
    ("boto3-non-bedrock-clients", '''
        import json

        import boto3

        s3 = boto3.client("s3")
        lam = boto3.client("lambda")
        control = boto3.client("bedrock")
        agent = boto3.Session().client("bedrock-agent")
        s3.put_object(Bucket="b", Key="k", Body=b"x")
        lam.invoke(FunctionName="summarise", Payload=json.dumps({"model": "gpt-4o"}))
        control.list_foundation_models()
        sagemaker = boto3.client("sagemaker-runtime")
        sagemaker.invoke_endpoint(EndpointName="llm", Body=b"{}")
        '''),
    ("local-inference", '''
        from llama_cpp import Llama
        from transformers import AutoModelForCausalLM, pipeline
        from vllm import LLM, SamplingParams

        generator = pipeline("text-generation", model="gpt2")
        generator("Hello", max_new_tokens=20)
        model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-3.2-1B")
        model.generate(max_new_tokens=50)
        llm = LLM(model="mistralai/Mistral-7B-Instruct-v0.3")
        llm.generate(["hi"], SamplingParams(max_tokens=64))
        Llama(model_path="model.gguf").create_chat_completion(messages=[], max_tokens=32)
        '''),
    ("keras-and-sklearn-predict", '''
        from sklearn.linear_model import LogisticRegression
        from tensorflow import keras

        clf = LogisticRegression().fit([[0], [1]], [0, 1])
        clf.predict([[0.5]])
        net = keras.models.load_model("m.keras")
        net.predict([[1.0]])
        '''),
    ("project-class-named-like-an-sdk", '''
        class OpenAI:
            """Our own thin fake used by the offline demo."""

            def __init__(self):
                self.chat = self

            def create(self, **kwargs):
                return kwargs

        class Anthropic:
            messages = None

        client = OpenAI()
        client.chat.completions.create(model="gpt-4o", messages=[])
        Anthropic().messages.create(model="claude-3-5-haiku-latest", max_tokens=10, messages=[])
        '''),
    ("token-counts-and-listings", '''
        import anthropic
        from google import genai
        from openai import OpenAI

        client = OpenAI()
        claude = anthropic.Anthropic()
        gemini = genai.Client()
        client.models.list()
        client.files.create(file=open("x.jsonl", "rb"), purpose="batch")
        client.beta.threads.messages.create("thread_1", role="user", content="hi")
        claude.messages.count_tokens(model="claude-3-5-sonnet-latest", messages=[])
        claude.models.list()
        gemini.models.count_tokens(model="gemini-2.0-flash", contents="x")
        gemini.models.list()
        '''),
    ("doubles-typed-as-clients", '''
        from unittest.mock import MagicMock, create_autospec

        from openai import OpenAI

        def fake_client() -> OpenAI:
            return MagicMock()

        stub: OpenAI = create_autospec(OpenAI, instance=True)
        fake_client().chat.completions.create(model="gpt-4o", messages=[])
        stub.chat.completions.create(model="gpt-4o-mini", messages=[])
        '''),
    ("mocks", '''
        from unittest import mock
        from unittest.mock import MagicMock, patch

        fake = MagicMock()
        fake.chat.completions.create(model="gpt-4o", messages=[])

        @patch("openai.resources.chat.Completions.create")
        def test_summary(create):
            create.return_value = {"choices": []}

        with mock.patch("anthropic.Anthropic") as anthropic_cls:
            anthropic_cls.return_value.messages.create(model="claude-3-haiku-20240307", max_tokens=1, messages=[])
        '''),
    # chains of covered SDKs that don't bill a model call (token counts, listings, files, job status)
    ("non-billable-methods-of-covered-sdks", '''
        import boto3
        import cohere
        import litellm
        import ollama
        from anthropic import Anthropic
        from google import genai
        from groq import Groq
        from mistralai import Mistral
        from openai import OpenAI
        from together import Together

        client = OpenAI()
        claude = Anthropic()
        gemini = genai.Client()
        co = cohere.ClientV2()
        mistral = Mistral(api_key="...")
        bedrock = boto3.client("bedrock-runtime")
        agents = boto3.client("bedrock-agent-runtime")

        def admin(text):
            client.responses.input_tokens.count(model="gpt-4.1", input=text)
            client.chat.completions.retrieve("chatcmpl-1")
            client.chat.completions.list(model="gpt-4o")
            client.batches.retrieve("batch_1")
            client.batches.cancel("batch_1")
            client.fine_tuning.jobs.list()
            client.vector_stores.create(name="docs")
            claude.beta.messages.count_tokens(model="claude-sonnet-4-5", messages=[])
            claude.messages.batches.retrieve("msgbatch_1")
            gemini.models.compute_tokens(model="gemini-2.5-flash", contents=text)
            gemini.models.get(model="gemini-2.5-flash")
            gemini.files.upload(file="doc.pdf")
            gemini.batches.get(name="batches/1")
            co.tokenize(model="command-a-03-2025", text=text)
            co.models.list()
            mistral.models.list()
            mistral.files.upload(file={"file_name": "x.jsonl", "content": b""})
            mistral.responses.count_input_tokens(model="mistral-medium-latest", input=text)
            mistral.batch.jobs.get(job_id="j1")
            Groq().models.list()
            Together().models.list()
            bedrock.count_tokens(modelId="anthropic.claude-3-haiku-20240307-v1:0", input={})
            bedrock.apply_guardrail(guardrailIdentifier="g", guardrailVersion="1", source="INPUT", content=[])
            bedrock.list_async_invokes()
            agents.retrieve(knowledgeBaseId="KB1", retrievalQuery={"text": text})
            litellm.token_counter(model="gpt-4o", text=text)
            litellm.retrieve_batch(batch_id="batch_1")
            litellm.list_fine_tuning_jobs()
            ollama.list()
            ollama.pull("llama3.1")
            ollama.show("llama3.1")
        '''),
    # LangChain classes that run models in-process, and ChatHuggingFace wrapping one of them
    ("langchain-local-models", '''
        from langchain_community.embeddings import GPT4AllEmbeddings, HuggingFaceBgeEmbeddings
        from langchain_community.llms import HuggingFacePipeline, LlamaCpp
        from langchain_huggingface import ChatHuggingFace, HuggingFaceEmbeddings
        from langchain_huggingface import HuggingFacePipeline as HFPipeline

        embed = HuggingFaceEmbeddings(model_name="sentence-transformers/all-MiniLM-L6-v2")
        bge = HuggingFaceBgeEmbeddings(model_name="BAAI/bge-small-en")
        gpt4all = GPT4AllEmbeddings()
        pipe = HFPipeline.from_model_id(model_id="gpt2", task="text-generation", pipeline_kwargs={"max_new_tokens": 10})
        chat = ChatHuggingFace(llm=pipe)
        local_chat = ChatHuggingFace.from_model_id(model_id="HuggingFaceH4/zephyr-7b-beta", task="text-generation")
        old_pipe = HuggingFacePipeline.from_model_id(model_id="gpt2", task="text-generation")
        cpp = LlamaCpp(model_path="/models/llama.gguf", max_tokens=256)
        '''),
]


@pytest.mark.parametrize("source", [pytest.param(s, id=i) for i, s in LOOKALIKES])
def test_lookalike_yields_nothing(tmp_path: Path, source: str) -> None:
    assert call_sites(tmp_path, source) == []
