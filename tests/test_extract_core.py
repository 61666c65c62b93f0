"""Table-driven extraction tests for the OpenAI and Anthropic SDK shapes real code uses."""

from __future__ import annotations

import textwrap

import pytest

from oberhahn_policy.extract import ExtractionInputs, extract_source
from oberhahn_policy.surface import load_surface

INPUTS = ExtractionInputs(load_surface())


def sites(source: str, module: str = "app.service"):  # type: ignore[no-untyped-def]
    extraction = extract_source("app/service.py", textwrap.dedent(source).encode(), module, INPUTS)
    assert extraction.problem is None, extraction.problem
    return extraction.call_sites


# (id, source, [(line, provider, api, model value or None, limit value or None)])
ROWS = [
    ("module-client-openai", """
        from openai import OpenAI
        client = OpenAI()
        client.chat.completions.create(model="gpt-6-luna", messages=[], max_completion_tokens=64)
     """, [(3, "openai", "openai.chat.completions.create", "gpt-6-luna", 64)]),
    ("aliased-import", """
        import openai as oai
        c = oai.OpenAI()
        c.responses.create(model="gpt-6-sol", input="hi", max_output_tokens=10)
     """, [(3, "openai", "openai.responses.create", "gpt-6-sol", 10)]),
    ("azure-client", """
        from openai import AzureOpenAI
        azure = AzureOpenAI(azure_endpoint="https://x.openai.azure.com", api_version="2025-01-01")
        azure.chat.completions.create(model="prod-gpt4o", messages=[])
     """, [(3, "azure-openai", "openai.chat.completions.create", "prod-gpt4o", None)]),
    ("openai-module-client", """
        import openai
        openai.chat.completions.create(model="gpt-4o-mini", messages=[], max_tokens=5)
     """, [(2, "openai", "openai.chat.completions.create", "gpt-4o-mini", 5)]),
    ("legacy-engine", """
        import openai
        openai.api_key = "sk-..."
        openai.ChatCompletion.create(engine="gpt-35-turbo", messages=[], max_tokens=100)
     """, [(3, "openai", "openai.ChatCompletion.create", "gpt-35-turbo", 100)]),
    ("self-client-other-method", """
        from anthropic import Anthropic
        class Bot:
            def reply(self, text):
                return self.client.messages.create(model="claude-haiku-5-5", max_tokens=99, messages=[])
            def __init__(self):
                self.client = Anthropic()
     """, [(4, "anthropic", "anthropic.messages.create", "claude-haiku-5-5", 99)]),
    ("annotated-parameter", """
        import anthropic
        def run(client: anthropic.AsyncAnthropic, prompt: str):
            return client.messages.stream(model="claude-sonnet-5-5", max_tokens=1000, messages=[])
     """, [(3, "anthropic", "anthropic.messages.stream", "claude-sonnet-5-5", 1000)]),
    ("optional-annotation-string", """
        from typing import Optional
        from openai import OpenAI
        def run(client: "Optional[OpenAI]" = None):
            client.embeddings.create(model="text-embedding-3-small", input=["a"])
     """, [(4, "openai", "openai.embeddings.create", "text-embedding-3-small", None)]),
    ("factory-function", """
        from anthropic import AnthropicBedrock
        def make_client():
            return AnthropicBedrock(aws_region="us-east-1")
        make_client().messages.create(model="anthropic.claude-haiku-5-5-v1:0", max_tokens=10, messages=[])
     """, [(4, "aws-bedrock", "anthropic.messages.create", "anthropic.claude-haiku-5-5-v1:0", 10)]),
    ("with-options-and-raw-response", """
        from openai import OpenAI
        client = OpenAI()
        client.with_options(timeout=5).chat.completions.with_raw_response.create(model="gpt-6-luna", messages=[])
        client.with_raw_response.chat.completions.create(model="gpt-6-luna", messages=[])
     """, [(3, "openai", "openai.chat.completions.create", "gpt-6-luna", None),
           (4, "openai", "openai.chat.completions.create", "gpt-6-luna", None)]),
    ("async-with-and-await", """
        from openai import AsyncOpenAI
        async def go():
            async with AsyncOpenAI() as client:
                await client.beta.chat.completions.parse(model="gpt-6-luna", messages=[], max_completion_tokens=7)
     """, [(4, "openai", "openai.chat.completions.parse", "gpt-6-luna", 7)]),
    ("splatted-dict-and-constants", """
        import os
        from anthropic import Anthropic
        MODEL = os.environ.get("MODEL", "claude-haiku-5-5")
        LIMIT = 256
        PARAMS = {"model": MODEL, "max_tokens": LIMIT}
        Anthropic().messages.create(messages=[], **PARAMS)
     """, [(6, "anthropic", "anthropic.messages.create", "claude-haiku-5-5", 256)]),
    ("batches", """
        import anthropic
        client = anthropic.Anthropic()
        client.messages.batches.create(requests=[])
     """, [(3, "anthropic", "anthropic.messages.batches.create", None, None)]),
]

LOOKALIKES = [
    ("twilio", """
        from twilio.rest import Client
        client = Client("sid", "token")
        client.messages.create(to="+15550100", from_="+15550101", body="hi")
     """),
    ("project-class-named-like-sdk", """
        class OpenAI:
            def __init__(self):
                self.chat = None
        client = OpenAI()
        client.chat.completions.create(model="gpt-4o", messages=[])
     """),
    ("token-count-and-list", """
        import anthropic
        from openai import OpenAI
        a = anthropic.Anthropic()
        a.messages.count_tokens(model="claude-haiku-5-5", messages=[])
        OpenAI().models.list()
        OpenAI().files.create(file=open("x.jsonl", "rb"), purpose="batch")
     """),
    ("unimported-name", """
        client.chat.completions.create(model="gpt-4o", messages=[])
        anthropic.Anthropic().messages.create(model="claude", max_tokens=1, messages=[])
     """),
    ("mock-client", """
        from unittest.mock import MagicMock
        client = MagicMock()
        client.chat.completions.create(model="gpt-4o", messages=[])
     """),
]


@pytest.mark.parametrize(("source", "expected"), [pytest.param(s, e, id=i) for i, s, e in ROWS])
def test_call_sites(source: str, expected: list[tuple[int, str, str, str | None, int | None]]) -> None:
    found = [(s.line, s.provider, s.api, s.model.value if s.model else None,
              s.max_output_tokens.value if s.max_output_tokens else None) for s in sites(source)]
    assert found == [(line + 1, *rest) for line, *rest in expected]  # +1: the dedented source starts with a newline


@pytest.mark.parametrize("source", [pytest.param(s, id=i) for i, s in LOOKALIKES])
def test_lookalikes_are_not_call_sites(source: str) -> None:
    assert sites(source) == ()


def test_unresolved_model_keeps_its_source_text() -> None:
    (site,) = sites("""
        from openai import OpenAI
        def ask(client: OpenAI, model_name: str):
            client.chat.completions.create(model=model_name, messages=[])
    """)
    assert site.model is not None and not site.model.known and site.model.expression == "model_name"


def test_attribution_carriers_and_layers() -> None:
    (site,) = sites("""
        from openai import OpenAI
        client = OpenAI(default_headers={"X-Oberhahn-Team": "search"})
        def ask(req):
            client.chat.completions.create(
                model="gpt-6-luna", messages=[],
                metadata={"use_case": "kb-answer"},
                extra_headers={"X-Oberhahn-Prompt-Version": "v2"},
                extra_body={"metadata": {"feature": "faq"}},
                user=req.user_id,
            )
    """)
    found = {(a.key, a.value.value, a.layer) for a in site.attribution}
    assert found == {("use_case", "kb-answer", "body"), ("X-Oberhahn-Prompt-Version", "v2", "header"),
                     ("feature", "faq", "body"), ("user", None, "body"), ("X-Oberhahn-Team", "search", "client")}


def test_dynamic_metadata_is_an_opaque_carrier() -> None:
    (site,) = sites("""
        from openai import OpenAI
        client = OpenAI()
        def ask(meta):
            client.chat.completions.create(model="gpt-6-luna", messages=[], metadata=meta)
    """)
    assert [(c.carrier, c.expression) for c in site.opaque_carriers] == [("metadata", "meta")]


def test_positions_are_one_based_and_cover_the_call() -> None:
    (site,) = sites("from openai import OpenAI\nx = OpenAI().embeddings.create(model='m', input='a')\n")
    assert (site.line, site.column, site.end_line) == (2, 5, 2)
    assert site.end_column == len("x = OpenAI().embeddings.create(model='m', input='a')") + 1


def test_enclosing_function_is_qualified() -> None:
    (site,) = sites("""
        import anthropic
        class Summariser:
            def run(self):
                anthropic.Anthropic().messages.create(model="claude-haiku-5-5", max_tokens=5, messages=[])
    """)
    assert site.function == "Summariser.run"
