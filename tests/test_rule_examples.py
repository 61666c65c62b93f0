"""Every rule's documented examples are its tests: valid ones pass, invalid ones are flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import check_project, commit_project, write_project
from oberhahn_policy.rules import ALL_RULES, Example, Rule

CASES = [
    pytest.param(rule, example, kind, id=f"{rule.code}-{kind}-{index}")
    for rule in ALL_RULES
    for kind, examples in (("valid", rule.valid), ("invalid", rule.invalid))
    for index, example in enumerate(examples)
]


def _findings(tmp_path: Path, rule: type[Rule], example: Example) -> list[str]:
    options: dict[str, object] = {}
    if example.base:
        # the base files are committed; the example's files are the uncommitted change on top
        commit_project(tmp_path / "project", dict(example.base), example.policy)
        options["base"] = "HEAD"
    root = write_project(tmp_path / "project", {example.path: example.source, **dict(example.others)}, example.policy)
    report = check_project(root, **options)
    return [f.message for f in report.findings if f.code == rule.code]


@pytest.mark.parametrize(("rule", "example", "kind"), CASES)
def test_rule_example(tmp_path: Path, rule: type[Rule], example: Example, kind: str) -> None:
    messages = _findings(tmp_path, rule, example)
    if kind == "valid":
        assert messages == [], f"{rule.code} flagged its own passing example: {messages}"
    else:
        assert messages, f"{rule.code} missed its own failing example"
        if example.message is not None:
            assert all(example.message in m for m in messages), messages


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_metadata(rule: type[Rule]) -> None:
    assert rule.code.startswith("OBH") and len(rule.code) == 6
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert rule.summary and rule.what and rule.why and rule.fix
    assert rule.valid and rule.invalid, "a rule needs a passing and a failing example"
    documentation = rule.documentation()
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in documentation


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)


def test_rules_are_registered_in_code_order() -> None:
    codes = [r.code for r in ALL_RULES]
    assert codes == sorted(codes)
