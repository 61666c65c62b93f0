"""The SDK surface is data validated by a schema of its own, checked in and kept from drifting."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from helpers import REPO
from pydantic import ValidationError

from oberhahn_policy.surface import Surface, load_surface

SCHEMA_FILE = REPO / "schemas" / "sdk-surface.schema.json"
DATA_FILE = REPO / "oberhahn_policy" / "data" / "sdk-surface.yaml"


def test_data_file_validates_against_the_checked_in_schema() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert load_surface().families  # and the package loads it


def test_schema_rejects_an_unknown_provider_id() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    bad = {"version": 1, "functions": [{"name": "acme.llm.complete", "provider": "acme", "operation": "chat"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_a_factory_must_name_a_defined_family() -> None:
    with pytest.raises(ValidationError, match="not defined"):
        Surface.model_validate({"families": [{"name": "sessions", "provider": "aws-bedrock",
                                              "factories": [{"chain": "client", "family": "bedrock"}]}]})


def test_every_function_and_client_is_reachable_from_an_import_root() -> None:
    surface = load_surface()
    roots = surface.roots()
    names = [f.name for f in surface.functions] + [c.name for fam in surface.families for c in fam.clients]
    assert all(name.split(".")[0] in roots for name in names)
    assert len(names) == len(set(names)), "a qualified name is declared twice"


def test_surface_covers_the_issue_3_sdks() -> None:
    surface = load_surface()
    families = {f.name for f in surface.families}
    functions = {f.name for f in surface.functions}
    assert {"openai", "anthropic", "google-genai", "bedrock-runtime", "litellm-router", "cohere", "mistral",
            "mistral-legacy", "groq", "together", "ollama"} <= families
    assert {"litellm.completion", "langchain_openai.ChatOpenAI", "langchain_openai.AzureChatOpenAI",
            "langchain_anthropic.ChatAnthropic", "langchain_google_genai.ChatGoogleGenerativeAI",
            "langchain_aws.ChatBedrock", "langchain_aws.ChatBedrockConverse", "langchain_openai.OpenAIEmbeddings",
            "langchain.chat_models.init_chat_model", "llama_index.llms.openai.OpenAI", "dspy.LM",
            "google.generativeai.GenerativeModel", "vertexai.generative_models.GenerativeModel"} <= functions


def test_yaml_anchor_merges_keep_each_entry_explicit() -> None:
    """Merged entries (`<<: *lc_openai`) override what they change and inherit the rest."""
    by_name = {f.name: f for f in load_surface().functions}
    azure = by_name["langchain_openai.AzureChatOpenAI"]
    assert azure.provider == "azure-openai" and azure.model_is_deployment and azure.provider_inference is None
    assert by_name["langchain_community.chat_models.ChatOpenAI"].carriers == by_name["langchain_openai.ChatOpenAI"].carriers


def test_every_operation_used_is_declared_once_with_its_unit() -> None:
    surface = load_surface()
    declared = [o.name for o in surface.operations]
    assert len(declared) == len(set(declared))
    used = {f.operation for f in surface.functions} | {m.operation for fam in surface.families for m in fam.methods}
    assert used <= set(declared)
    # `binding` is what the rules call a framework constructor; policy wrappers default to `chat`
    assert {"binding", "chat"} <= set(declared)


@pytest.mark.parametrize(("name", "output_tokens", "unit"), [
    ("chat", True, "token"),
    ("completion", True, "token"),
    ("binding", True, "token"),
    ("batch", True, "token"),
    ("realtime", True, "token"),
    ("embedding", False, "token"),
    ("rerank", False, "search"),
    ("moderation", False, "token"),
    ("classification", False, "token"),
    ("image", False, "image"),
    ("audio", False, "second"),
    ("ocr", False, "page"),
    ("video", False, "second"),
])
def test_operations_say_whether_an_output_limit_applies(name: str, output_tokens: bool, unit: str) -> None:
    operation = load_surface().operation(name)
    assert operation is not None and (operation.output_tokens, operation.unit) == (output_tokens, unit)


def test_an_unknown_operation_is_none() -> None:
    assert load_surface().operation("summarise-in-haiku") is None


def test_an_undeclared_operation_is_rejected_with_the_fix() -> None:
    with pytest.raises(ValidationError, match="names operation 'chat', which operations: does not declare"):
        Surface.model_validate({"functions": [{"name": "acme.llm.complete", "provider": "other", "operation": "chat"}]})
    with pytest.raises(ValidationError, match="families: bedrock.invoke_model names operation 'embeding'"):
        Surface.model_validate({
            "operations": [{"name": "chat", "output_tokens": True, "unit": "token"}],
            "families": [{"name": "bedrock", "provider": "aws-bedrock", "methods": [
                {"chain": "invoke_model", "operation": "chat",
                 "operation_by_model": [{"models": ["amazon.titan-embed"], "operation": "embeding"}]}]}]})
    with pytest.raises(ValidationError, match="declared more than once"):
        Surface.model_validate({"operations": [{"name": "chat", "output_tokens": True, "unit": "token"},
                                               {"name": "chat", "output_tokens": False, "unit": "token"}]})


def test_bedrock_invoke_model_embeds_draws_or_reranks_by_model_family() -> None:
    invoke = next(m for m in load_surface().family("bedrock-runtime").methods if m.chain == "invoke_model")
    by_prefix = {prefix: rule.operation for rule in invoke.operation_by_model for prefix in rule.models}
    assert invoke.operation == "chat"
    assert by_prefix["amazon.titan-embed"] == by_prefix["cohere.embed"] == "embedding"
    assert by_prefix["amazon.nova-canvas"] == by_prefix["stability."] == "image"
    assert by_prefix["cohere.rerank"] == "rerank"
