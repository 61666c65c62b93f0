"""The model price catalog: every reference row present with its figures, lookups by any spelling, schemas in sync."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml

from helpers import REPO, run_cli
from oberhahn_policy.catalog import CatalogFile, catalog_json_schema, load_catalog, parse_catalog
from oberhahn_policy.report.cost import cost_json_schema

REFERENCE = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "prices-2026-11.md"

#: (id, input, output, cached) in force on 2026-11-28, from shared/reference/prices-2026-11.md.
ROWS = [
    ("gpt-6.1-sol", 2.00, 10.00, 0.10), ("gpt-6-luna", 0.10, 0.50, 0.01), ("gpt-5.6-sol", 4.00, 20.00, 0.40),
    ("gpt-5.6-luna", 0.20, 1.20, 0.02), ("gpt-5", 1.25, 10.00, 0.125), ("gpt-4o-mini", 0.15, 0.60, 0.075),
    ("claude-opus-5-5", 4.00, 20.00, 0.20), ("claude-sonnet-5-5", 2.00, 10.00, 0.10), ("claude-haiku-5-5", 0.10, 0.50, 0.01),
    ("gemini-4-argon", 2.00, 10.00, 0.10), ("gemini-3.8-flash", 0.75, 3.75, 0.075), ("mistral-large-4", 0.70, 2.10, 0.07),
    ("command-r7b-12-2024", 0.0375, 0.15, None), ("embed-v4.0", 0.12, 0.0, None),
    ("meta.llama3-3-70b-instruct-v1:0", 0.72, 0.72, None), ("global.anthropic.claude-sonnet-5-5", 2.00, 10.00, 0.10),
    ("grok-4.7", 2.00, 6.00, 0.50), ("text-embedding-3-small", 0.02, 0.0, None),
]


@pytest.mark.parametrize(("model", "inp", "out", "cached"), ROWS)
def test_reference_prices(model: str, inp: float, out: float, cached: float | None) -> None:
    entry = load_catalog().lookup(model)
    assert entry is not None and entry.id == model
    price = entry.price_on(date(2026, 11, 28))
    assert (price.input_per_mtok, price.output_per_mtok, price.cached_input_per_mtok) == (inp, out, cached)
    assert entry.source


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference prices not available")
def test_every_reference_row_is_catalogued() -> None:
    ids = re.findall(r"^\| \d+ \| [^|]+ \| `([^`]+)`", REFERENCE.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(ids) == 38
    missing = [i for i in ids if load_catalog().lookup(i) is None]
    assert missing == []


@pytest.mark.parametrize(("day", "inp"), [(date(2026, 11, 30), 2.0), (date(2026, 12, 1), 4.0)])
def test_scheduled_change(day: date, inp: float) -> None:
    entry = load_catalog().lookup("gemini-4-argon")
    assert entry is not None and entry.price_on(day).input_per_mtok == inp


@pytest.mark.parametrize(("spelling", "entry_id"), [
    ("openai/gpt-4o", "gpt-4o"),
    ("azure/gpt-4o-2024-08-06", "gpt-4o"),
    ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"),
    ("claude-sonnet-4-5@20250929", "claude-sonnet-4-5"),
    ("claude-haiku-4-5-20251001", "claude-haiku-4-5"),
    ("us.anthropic.claude-sonnet-5-5", "anthropic.claude-sonnet-5-5"),  # regional Bedrock: +10%
    ("global.anthropic.claude-sonnet-5-5", "global.anthropic.claude-sonnet-5-5"),
    ("models/gemini-1.5-pro-002", "gemini-1.5-pro"),
    ("gemini/gemini-3.8-flash", "gemini-3.8-flash"),
    ("GPT-4O-MINI", "gpt-4o-mini"),
])
def test_lookup_by_any_spelling(spelling: str, entry_id: str) -> None:
    entry = load_catalog().lookup(spelling)
    assert entry is not None and entry.id == entry_id


@pytest.mark.parametrize(("provider", "entry_id", "retires"), [
    ("openai", "gpt-4o", date(2027, 1, 14)), ("azure-openai", "azure/gpt-4o", date(2027, 4, 14)), (None, "gpt-4o", date(2027, 1, 14)),
])
def test_azure_sells_on_its_own_schedule(provider: str | None, entry_id: str, retires: date) -> None:
    entry = load_catalog().lookup("gpt-4o", provider)
    assert entry is not None and (entry.id, entry.retires) == (entry_id, retires)


def test_azure_spelling_of_gpt_35() -> None:
    entry = load_catalog().lookup("gpt-35-turbo", "azure-openai")
    assert entry is not None and entry.id == "azure/gpt-35-turbo" and entry.provider == "azure-openai"


def test_unknown_model_has_no_entry() -> None:
    assert load_catalog().lookup("gpt-6-lunar") is None


def test_openai_retirements_of_2026_10_23() -> None:
    retired = [m for m in load_catalog().models if m.provider == "openai" and m.retires == date(2026, 10, 23)]
    assert {"gpt-3.5-turbo", "gpt-4", "gpt-4-turbo", "o1"} <= {m.id for m in retired}
    assert all(m.successor for m in retired if m.id != "gpt-3.5-turbo-16k")


def test_catalog_rejects_duplicate_names_and_unordered_prices() -> None:
    entry = {"id": "a", "provider": "x", "prices": [{"input_per_mtok": 1}], "source": "s"}
    with pytest.raises(ValueError, match="names both"):
        parse_catalog({"as_of": "2026-11-28", "models": [entry, {**entry, "id": "b", "aliases": ["A"]}]})
    unordered = {**entry, "prices": [{"input_per_mtok": 1}, {"from": "2026-12-01", "input_per_mtok": 2},
                                     {"from": "2026-11-01", "input_per_mtok": 3}]}
    with pytest.raises(ValueError, match="increasing"):
        parse_catalog({"as_of": "2026-11-28", "models": [unordered]})


def test_bundled_catalog_matches_its_schema() -> None:
    data = yaml.safe_load((REPO / "oberhahn_policy" / "data" / "models.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(data, default=str)), catalog_json_schema())
    assert CatalogFile.model_validate(data).as_of == date(2026, 11, 28)


@pytest.mark.parametrize(("stem", "generate"), [("catalog", catalog_json_schema), ("cost", cost_json_schema)])
def test_checked_in_schemas_do_not_drift(stem: str, generate: object) -> None:
    checked_in = json.loads((REPO / "schemas" / f"{stem}.schema.json").read_text(encoding="utf-8"))
    assert callable(generate)
    assert checked_in == generate(), f"schemas/{stem}.schema.json is stale: run `oberhahn-policy schema {stem} > schemas/{stem}.schema.json`"


def test_models_command_lists_the_catalog() -> None:
    result = run_cli("models", "--today", "2026-11-28")
    assert result.exit_code == 0, result.stderr
    assert "catalog as of 2026-11-28" in result.stdout
    assert re.search(r"^gpt-3\.5-turbo +openai +chat .*retired 2026-10-23 -> gpt-5\.6-terra$", result.stdout, re.MULTILINE)
    listed = json.loads(run_cli("models", "--format", "json").stdout)
    assert listed["as_of"] == "2026-11-28" and len(listed["models"]) == len(load_catalog().models)
