"""schemas/ is generated: every published JSON Schema (policy, outputs, data files) matches what the code generates.

Regenerate with `oberhahn-policy schema --output-dir schemas` (or `UPDATE_GOLDEN=1 pytest tests/test_schemas.py`).
"""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from golden import assert_generated
from helpers import REPO

from oberhahn_policy.api import json_schemas

SCHEMAS = REPO / "schemas"


@pytest.mark.parametrize("stem", sorted(json_schemas()))
def test_published_schema_is_current(stem: str) -> None:
    assert_generated(SCHEMAS / f"{stem}.schema.json", json.dumps(json_schemas()[stem], indent=2, sort_keys=True) + "\n")


def test_no_schema_file_is_left_over() -> None:
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(f"{stem}.schema.json" for stem in json_schemas())


@pytest.mark.parametrize(("data", "stem"), [("sdk-surface.yaml", "sdk-surface"), ("providers.yaml", "providers"),
                                            ("retirements.yaml", "retirements"), ("prices-extra.yaml", "prices-extra")])
def test_data_files_validate_against_their_schema(data: str, stem: str) -> None:
    document = yaml.safe_load((REPO / "oberhahn_policy" / "data" / data).read_text(encoding="utf-8"))
    jsonschema.validate(document, json.loads((SCHEMAS / f"{stem}.schema.json").read_text(encoding="utf-8")))
