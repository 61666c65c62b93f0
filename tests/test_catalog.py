"""The price catalog: genai-prices' snapshot plus our data; every reference row, spellings, retirements, schemas."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import REPO, run_cli

from oberhahn_policy.catalog import PriceCatalog, load_catalog
from oberhahn_policy.report.catalog import catalog_document_schema
from oberhahn_policy.pricing.library import installed_version, library_provider
from oberhahn_policy.pricing.owndata import (
    load_prices_extra,
    load_retirements,
    prices_extra_json_schema,
    retirements_json_schema,
)
from oberhahn_policy.report.catalog import catalog_document, select_models

#: The reference price table the catalog was checked against (a copy of the team's shared reference, kept with the tests).
REFERENCE = Path(__file__).resolve().parent / "fixtures" / "reference" / "prices-2026-11.md"
DAY = date(2026, 11, 28)

#: Every row of the reference table: (#, provider that sells it, id, input, output, cached) on 2026-11-28.
#: All 38 are in the genai-prices 0.2.5 snapshot at these figures; the ids in brackets are the library's.
ROWS = [
    (1, "openai", "gpt-6.1-sol", 2.00, 10.00, 0.10), (2, "openai", "gpt-6.1-terra", 1.00, 5.00, 0.05),
    (3, "openai", "gpt-6-sol", 2.00, 10.00, 0.20), (4, "openai", "gpt-6-luna", 0.10, 0.50, 0.01),
    (5, "openai", "gpt-5.6-sol", 4.00, 20.00, 0.40), (6, "openai", "gpt-5.6-terra", 2.00, 12.00, 0.20),
    (7, "openai", "gpt-5.6-luna", 0.20, 1.20, 0.02), (8, "openai", "gpt-5.5", 5.00, 30.00, 0.50),
    (9, "openai", "gpt-5.4-mini", 0.75, 4.50, 0.075), (10, "openai", "gpt-5", 1.25, 10.00, 0.125),
    (11, "openai", "gpt-4.1", 2.00, 8.00, 0.50), (12, "openai", "gpt-4o-mini", 0.15, 0.60, 0.075),
    (13, "anthropic", "claude-opus-5-5", 4.00, 20.00, 0.20), (14, "anthropic", "claude-sonnet-5-5", 2.00, 10.00, 0.10),
    (15, "anthropic", "claude-haiku-5-5", 0.10, 0.50, 0.01), (16, "anthropic", "claude-opus-5", 5.00, 25.00, 0.50),
    (17, "anthropic", "claude-sonnet-4-5", 3.00, 15.00, 0.30), (18, "anthropic", "claude-haiku-4-5", 1.00, 5.00, 0.10),
    (19, "google", "gemini-4-argon", 2.00, 10.00, 0.10), (20, "google", "gemini-4-hydrogen", 1.50, 7.50, 0.075),
    (21, "google", "gemini-3.8-flash", 0.75, 3.75, 0.075), (22, "google", "gemini-3.1-pro-preview", 2.00, 12.00, 0.20),
    (23, "google", "gemini-3.1-flash-lite", 0.25, 1.50, 0.025), (24, "google", "gemini-2.5-flash", 0.30, 2.50, 0.03),
    (25, "mistral", "mistral-large-4", 0.70, 2.10, 0.07), (26, "mistral", "mistral-medium-3-5", 1.50, 7.50, 0.15),
    (27, "mistral", "mistral-small-2603", 0.15, 0.60, 0.015), (28, "mistral", "codestral-2508", 0.30, 0.90, 0.03),
    (29, "cohere", "command-r-08-2024", 0.15, 0.60, None),  # [command-r]
    (30, "cohere", "command-r7b-12-2024", 0.0375, 0.15, None),  # [command-r7b]
    (31, "cohere", "command-a-03-2025", 2.50, 10.00, None),  # [command-a]
    (32, "cohere", "embed-v4.0", 0.12, None, None),
    (33, "aws-bedrock", "meta.llama4-maverick-17b-instruct-v1:0", 0.24, 0.97, None),
    (34, "aws-bedrock", "meta.llama4-scout-17b-instruct-v1:0", 0.17, 0.66, None),
    (35, "aws-bedrock", "meta.llama3-3-70b-instruct-v1:0", 0.72, 0.72, None),
    (36, "aws-bedrock", "global.anthropic.claude-sonnet-5-5", 2.00, 10.00, 0.10),
    (37, "xai", "grok-4.7", 2.00, 6.00, 0.50), (38, "openai", "text-embedding-3-small", 0.02, None, None),
]


@pytest.mark.parametrize(("row", "provider", "model", "inp", "out", "cached"), ROWS)
def test_reference_prices_come_from_the_library(row: int, provider: str, model: str, inp: float, out: float | None,
                                                cached: float | None) -> None:
    for seller in (provider, None):  # as its provider sells it, and found by name alone
        entry = load_catalog().lookup(model, seller)
        assert entry is not None and entry.provider == provider, (row, seller)
        base = entry.price_on(DAY).standard.base
        assert (base.input_per_mtok, base.output_per_mtok, base.cached_input_per_mtok) == (inp, out, cached), row
        assert entry.origin.startswith("genai-prices "), row


def test_the_table_above_is_the_whole_reference() -> None:
    ids = re.findall(r"^\| (\d+) \| [^|]+ \| `([^`]+)`", REFERENCE.read_text(encoding="utf-8"), re.MULTILINE)
    assert [(int(n), model) for n, model in ids] == [(row[0], row[2]) for row in ROWS]


@pytest.mark.parametrize(("model", "provider", "day", "inp", "out"), [
    ("gemini-4-argon", "google", date(2026, 11, 30), 2.0, 10.0), ("gemini-4-argon", "google", date(2026, 12, 1), 4.0, 20.0),
    ("gemini-3.8-flash", "google", date(2026, 12, 31), 0.75, 3.75), ("gemini-3.8-flash", "google", date(2027, 1, 1), 1.5, 7.5),
    ("gpt-5.6-sol", "openai", date(2026, 8, 20), 5.0, 30.0), ("gpt-5.6-sol", "openai", date(2026, 8, 21), 4.0, 20.0),
    ("mistral-large-4", "mistral", date(2026, 10, 25), 1.36, 4.18), ("mistral-large-4", "mistral", date(2026, 10, 29), 0.7, 2.1),
])
def test_price_history_follows_the_day(model: str, provider: str, day: date, inp: float, out: float) -> None:
    entry = load_catalog().lookup(model, provider)
    assert entry is not None
    price = entry.price_on(day)
    assert (price.input_per_mtok, price.output_per_mtok) == (inp, out)
    assert price.from_ is None or price.from_ <= day
    assert price.until is None or day < price.until


def test_validity_dates_chain() -> None:
    entry = load_catalog().lookup("gemini-4-argon")
    assert entry is not None
    assert entry.prices[0].from_ is None and entry.prices[-1].until is None
    assert all(a.until == b.from_ for a, b in zip(entry.prices, entry.prices[1:]))
    assert entry.prices[-1].from_ == date(2026, 12, 1)


@pytest.mark.parametrize(("model", "provider", "tier", "inp", "out"), [
    ("claude-sonnet-5-5", "anthropic", "batch", 1.0, 5.0),
    ("gpt-5-mini", "openai", "flex", 0.125, 1.0), ("gpt-5-mini", "openai", "priority", 0.45, 3.6),
    ("gemini-4-argon", "google", "batch", 1.0, 5.0),
])
def test_price_tiers(model: str, provider: str, tier: str, inp: float, out: float) -> None:
    entry = load_catalog().lookup(model, provider)
    assert entry is not None
    rates = entry.price_on(DAY).tier(tier)
    assert rates is not None and (rates.base.input_per_mtok, rates.base.output_per_mtok) == (inp, out)


def test_long_context_tier_and_cache_write() -> None:
    entry = load_catalog().lookup("claude-haiku-5-5")
    assert entry is not None
    price = entry.price_on(DAY)
    (tier,) = price.long_context
    assert tier.above_input_tokens == 100_000 and (tier.rates.input_per_mtok, tier.rates.output_per_mtok) == (0.5, 2.5)
    opus = load_catalog().lookup("claude-opus-5-5")
    assert opus is not None
    base = opus.price_on(DAY).standard.base
    assert (base.cache_write_per_mtok, base.cache_write_1h_per_mtok) == (5.0, 8.0)  # reference row 13


#: The models issue 11 names: each priced, in the unit it is billed in.
@pytest.mark.parametrize(("model", "provider", "unit", "rate"), [
    ("gpt-5-mini", "openai", "input_per_mtok", 0.25), ("claude-sonnet-4-6", "anthropic", "input_per_mtok", 3.0),
    ("gemini-2.0-flash", "google", "input_per_mtok", 0.1), ("llama-3.3-70b-versatile", "groq", "input_per_mtok", 0.59),
    ("deepseek-chat", "deepseek", "input_per_mtok", 0.27), ("whisper-1", "openai", "per_audio_hour", 0.36),
    ("dall-e-3", "openai", "per_image", 0.04), ("gemini-2.5-pro", "google", "input_per_mtok", 1.25),
])
def test_models_real_projects_ship_are_priced(model: str, provider: str, unit: str, rate: float) -> None:
    entry = load_catalog().lookup(model)
    assert entry is not None and entry.provider == provider
    assert getattr(entry.price_on(DAY).standard.base, unit) == rate


@pytest.mark.parametrize(("spelling", "provider", "seller", "entry_id"), [
    ("openai/gpt-4o", "litellm", "openai", "gpt-4o"),
    ("GPT-4O-MINI", None, "openai", "gpt-4o-mini"),
    ("gpt-4o-2024-08-06", "openai", "openai", "gpt-4o"),
    ("gpt-4o", "azure-openai", "azure-openai", "gpt-4o"),  # Azure sells OpenAI's models (the library's fallback)
    ("gpt-35-turbo", "azure-openai", "azure-openai", "gpt-3.5-turbo"),
    ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", None, "aws-bedrock", "regional.anthropic.claude-sonnet-4-5-20250929-v1:0"),
    ("us.anthropic.claude-sonnet-5-5", "aws-bedrock", "aws-bedrock", "regional.anthropic.claude-sonnet-5-5"),  # +10%
    ("global.anthropic.claude-sonnet-5-5", "aws-bedrock", "aws-bedrock", "global.anthropic.claude-sonnet-5-5"),
    ("meta.llama3-3-70b-instruct-v1:0", None, "aws-bedrock", "meta.llama3-3-70b-instruct-v1:0"),
    ("bedrock/anthropic.claude-haiku-4-5-20251001-v1:0", "aws-bedrock", "aws-bedrock",
     "regional.anthropic.claude-haiku-4-5-20251001-v1:0"),
    ("claude-sonnet-4-5@20250929", "google", "google", "claude-sonnet-4-5"),  # Vertex sells Anthropic's models
    ("claude-haiku-4-5-20251001", "anthropic", "anthropic", "claude-haiku-4-5"),
    ("models/gemini-1.5-pro-002", "google", "google", "gemini-1.5-pro"),
    ("gemini/gemini-3.8-flash", "google", "google", "gemini-3.8-flash"),
    ("anthropic:claude-haiku-5-5", "anthropic", "anthropic", "claude-haiku-5-5"),  # LangChain init_chat_model
    ("groq/llama-3.3-70b-versatile", "groq", "groq", "llama-3.3-70b-versatile"),
    ("gpt-5.2-20251211", None, "openai", "gpt-5.2"),  # LiteLLM's compact date, the library's fallback
    ("gemini-4-argon", "openai", "google", "gemini-4-argon"),  # the OpenAI SDK carrying Google's model
])
def test_lookup_by_any_spelling(spelling: str, provider: str | None, seller: str, entry_id: str) -> None:
    entry = load_catalog().lookup(spelling, provider)
    assert entry is not None and (entry.provider, entry.id) == (seller, entry_id)


def test_regional_bedrock_costs_ten_percent_more() -> None:
    regional = load_catalog().lookup("us.anthropic.claude-sonnet-5-5", "aws-bedrock")
    global_ = load_catalog().lookup("global.anthropic.claude-sonnet-5-5", "aws-bedrock")
    assert regional is not None and global_ is not None
    assert regional.price_on(DAY).input_per_mtok == pytest.approx(global_.price_on(DAY).input_per_mtok * 1.1)  # type: ignore[operator]


@pytest.mark.parametrize(("model", "provider"), [
    ("gpt-6-lunar", None), ("gpt-6-lunar", "openai"),
    # Bedrock's regional OpenAI models accept a bare `gpt-6.1-sol...` prefix; that is for calls known to go to
    # Bedrock, never a reason to price an unknown preview id at a reseller's price
    ("gpt-6.1-sol-preview", None), ("gpt-6.1-sol-preview", "openai"),
    ("llama3.2", "ollama"),  # local models have no per-token price
])
def test_unknown_model_has_no_entry(model: str, provider: str | None) -> None:
    assert load_catalog().lookup(model, provider) is None


@pytest.mark.parametrize(("model", "provider", "retires", "successor"), [
    ("gpt-3.5-turbo", "openai", date(2026, 10, 23), "gpt-5.6-terra"),
    ("gpt-4", "openai", date(2026, 10, 23), "gpt-5.6-sol"),
    ("gpt-4o", "openai", date(2027, 1, 14), "gpt-6-luna"),
    ("gpt-4o", "azure-openai", date(2027, 4, 14), "gpt-5.1"),  # Azure retires on its own schedule
    ("gpt-4o-2024-05-13", "openai", date(2026, 10, 23), "gpt-5.6-sol"),
    ("gpt-5", "openai", date(2026, 12, 11), "gpt-5.6-sol"),
    ("gpt-5.2-chat-latest", "openai", date(2026, 8, 10), "gpt-5.6-sol"),
    ("claude-sonnet-4-5-20250929", "anthropic", date(2026, 11, 30), "claude-sonnet-5-5"),
    ("claude-3-5-sonnet-20241022", "anthropic", date(2025, 10, 28), "claude-sonnet-4-5"),
    ("gemini-1.5-pro", "google", date(2025, 9, 24), "gemini-2.5-pro"),
    ("gemini-2.5-flash", "google", date(2026, 12, 1), "gemini-3.5-flash-lite"),
    ("meta.llama4-maverick-17b-instruct-v1:0", "aws-bedrock", date(2027, 3, 30), None),
])
def test_retirements(model: str, provider: str, retires: date, successor: str | None) -> None:
    entry = load_catalog().lookup(model, provider)
    assert entry is not None and (entry.retires, entry.successor) == (retires, successor)
    assert entry.retirement_source


def test_a_snapshot_row_does_not_retire_the_model() -> None:
    # `gpt-5.2-chat-latest` retired 2026-08-10, but the library bills it as gpt-5.2, which has no retirement row
    entry = load_catalog().lookup("gpt-5.2", "openai")
    assert entry is not None and entry.retires is None


def test_every_retirement_row_names_a_catalogued_model_and_a_priced_successor() -> None:
    retirements, problems = load_retirements()
    assert retirements is not None and problems == []
    catalog = load_catalog()
    unknown = [r.model for r in retirements.retirements if catalog.lookup(r.model, r.provider) is None]
    assert unknown == []
    unpriced = []
    for row in retirements.retirements:
        if row.successor is None:
            continue
        entry = catalog.lookup(row.successor, row.provider)
        rates = entry.price_on(retirements.as_of).standard.base if entry is not None else None
        if rates is None or not (rates.token_priced or rates.per_audio_hour or rates.per_image or rates.per_million_characters):
            unpriced.append(f"{row.provider}:{row.model} -> {row.successor}")
    assert unpriced == []


def test_extra_prices_are_only_what_the_library_lacks() -> None:
    extras, problems = load_prices_extra()
    assert extras is not None and problems == []
    snapshot = load_catalog().snapshot
    listed = [m.id for m in extras.models if snapshot.match_in(library_provider(m.provider), m.id) is not None]
    assert listed == [], "genai-prices now prices these; remove them from oberhahn_policy/data/prices-extra.yaml"
    assert extras.library.version == "0.2.5"


def test_bundled_data_is_valid_against_its_schemas() -> None:
    for name, schema in (("retirements", retirements_json_schema()), ("prices-extra", prices_extra_json_schema())):
        data = yaml.safe_load((REPO / "oberhahn_policy" / "data" / f"{name}.yaml").read_text(encoding="utf-8"))
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)
    assert load_catalog().problems == ()
    assert load_catalog().as_of == DAY


@pytest.mark.parametrize(("text", "line", "message"), [
    ("as_of: 2026-11-28\nretirements:\n- model: a\n  provider: openai\n  retires: 2026-01-01\n  source: s\n"
     "- model: b\n  provider: openai\n  retires: soon\n  source: s\n", 7, "retires"),
    ("as_of: 2026-11-28\nretirements:\n- model: a\n  provider: openai\n  retires: 2026-01-01\n", 3, "source"),
    ("as_of: 2026-11-28\nretirements: [\n", 3, "not valid YAML"),
])
def test_a_bad_row_is_reported_with_its_line_and_skipped(text: str, line: int, message: str) -> None:
    data, problems = load_retirements(text, "retirements.yaml")
    (problem,) = problems
    assert (problem.path, problem.line) == ("retirements.yaml", line) and message in problem.message
    assert str(problem).startswith(f"retirements.yaml:{line}: ")
    if data is not None and "- model: b" in text:
        assert [r.model for r in data.retirements] == ["a"]


def test_knows_pattern() -> None:
    catalog = load_catalog()
    assert catalog.knows_pattern("claude-haiku-5-5*") and catalog.knows_pattern("gpt-4.5-preview*")
    assert not catalog.knows_pattern("claude-haiku-9-*")


def test_select_models() -> None:
    catalog = load_catalog()
    bedrock = select_models(catalog, search="claude-sonnet-5-5", provider="aws")  # the library's id works too
    assert {m.id for m in bedrock} == {"global.anthropic.claude-sonnet-5-5", "regional.anthropic.claude-sonnet-5-5"}
    assert {m.provider for m in select_models(catalog, provider="x-ai")} == {"xai"}
    assert select_models(catalog, search="no-such-model-anywhere") == ()


def test_catalog_document_matches_its_schema() -> None:
    catalog = load_catalog()
    document = catalog_document(catalog, select_models(catalog, search="gemini-4"))
    jsonschema.validate(document.model_dump(mode="json", by_alias=True, exclude_none=True), catalog_document_schema())


def test_models_command_lists_the_merged_catalog() -> None:
    result = run_cli("models", "--today", "2026-11-28", "--provider", "openai", "--search", "gpt-3.5-turbo")
    assert result.exit_code == 0, result.stderr
    version = installed_version()
    assert "catalog as of 2026-11-28" in result.stdout and f"genai-prices {version}" in result.stdout
    assert re.search(r"^gpt-3\.5-turbo +openai +chat .* library +retired 2026-10-23 -> gpt-5\.6-terra$", result.stdout,
                     re.MULTILINE)
    listed = json.loads(run_cli("models", "--format", "json").stdout)
    assert listed["as_of"] == "2026-11-28" and listed["count"] == len(listed["models"]) >= 1500
    origins = {m["origin"] for m in listed["models"]}
    assert origins == {f"genai-prices {version}", "oberhahn_policy/data/prices-extra.yaml"}
    assert all(m["source"] for m in listed["models"])


def test_catalog_loads_the_library_only_on_first_lookup() -> None:
    extras, _ = load_prices_extra()
    retirements, _ = load_retirements()
    catalog = PriceCatalog(extras, retirements)
    assert catalog.as_of == DAY and catalog._snapshot is None
    assert catalog.lookup("gpt-6-luna") is not None and catalog._snapshot is not None
