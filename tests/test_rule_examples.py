"""Every rule's documented examples and options are its tests (no rule needs a test of its own to be covered).

- a passing example yields no finding of the rule;
- a failing example yields exactly one finding per entry of `lines`, at those lines, each with `message`;
- usage rules (OBH6xx) run through `api.usage`, as `oberhahn-policy usage` runs them: the example's project, its
  policy and its usage files written to disk, the projection computed from the project's code;
- each declared option arrives: its example judged under the changed policy gives other findings.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import check_project, commit_project, write_project

from oberhahn_policy import api
from oberhahn_policy.findings import Finding
from oberhahn_policy.policy import load_policy, load_policy_text
from oberhahn_policy.rules import ALL_RULES, Example, Rule

#: The day examples are judged on (retirements and prices depend on it): the catalog's date, not the clock's.
TODAY = date(2026, 11, 28)

CASES = [
    pytest.param(rule, example, kind, id=f"{rule.code}-{kind}-{index}")
    for rule in ALL_RULES
    for kind, examples in (("valid", rule.valid), ("invalid", rule.invalid))
    for index, example in enumerate(examples)
]
OPTIONS = [pytest.param(rule, option, id=f"{rule.code}-{option.key}") for rule in ALL_RULES for option in rule.options]


def findings_of(tmp_path: Path, rule: type[Rule], example: Example) -> list[Finding]:
    """The rule's findings on the example: its file (and other files, and a base commit) under its policy."""
    if rule.phase == "policy":
        return sorted(rule().check_policy(load_policy_text(example.policy, "oberhahn-policy.yaml")), key=lambda f: f.sort_key)
    options: dict[str, object] = {}
    if example.base:
        # the base files are committed; the example's files are the uncommitted change on top
        commit_project(tmp_path / "project", dict(example.base), example.policy)
        options["base"] = "HEAD"
    root = write_project(tmp_path / "project", {example.path: example.source, **dict(example.others)}, example.policy)
    if rule.phase == "usage":
        write_project(root, dict(example.usage))
        run = api.CheckOptions(cwd=root, root=root, today=TODAY, use_cache=False)
        observed = api.usage([name for name, _ in example.usage], load_policy(root / "oberhahn-policy.yaml"), run)
        assert not observed.problems, [str(p) for p in observed.problems]
        return [f for f in observed.findings if f.code == rule.code]
    report = check_project(root, today=TODAY, **options)
    return [f for f in report.findings if f.code == rule.code]


@pytest.mark.parametrize(("rule", "example", "kind"), CASES)
def test_rule_example(tmp_path: Path, rule: type[Rule], example: Example, kind: str) -> None:
    found = findings_of(tmp_path, rule, example)
    if kind == "valid":
        assert found == [], f"{rule.code} flagged its own passing example: {[f.message for f in found]}"
        return
    where = example.located or ("oberhahn-policy.yaml" if rule.phase in ("policy", "usage") else example.path)
    assert example.lines, f"{rule.code}: a failing example must say at which lines it is flagged"
    assert [(f.path, f.line) for f in found] == [(where, line) for line in example.lines], [f.message for f in found]
    if example.message is not None:
        assert all(example.message in f.message for f in found), [f.message for f in found]


@pytest.mark.parametrize(("rule", "option"), OPTIONS)
def test_option_arrives(tmp_path: Path, rule: type[Rule], option: object) -> None:
    from oberhahn_policy.rules import Option

    assert isinstance(option, Option)
    before = [(f.line, f.message) for f in findings_of(tmp_path / "before", rule, option.example)]
    changed = Example(**{**option.example.__dict__, "policy": option.changed})
    after = [(f.line, f.message) for f in findings_of(tmp_path / "after", rule, changed)]
    assert before != after, f"changing {option.key} changed nothing for {rule.code}"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_metadata(rule: type[Rule]) -> None:
    assert rule.code.startswith("OBH") and len(rule.code) == 6
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert rule.summary and rule.what and rule.why and rule.fix
    assert rule.valid and rule.invalid, "a rule needs a passing and a failing example"
    documentation = rule.documentation()
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in documentation
    assert ("## Options" in documentation) == bool(rule.options)


def test_codes_and_names_are_unique_and_in_order() -> None:
    codes = [r.code for r in ALL_RULES]
    assert len(set(codes)) == len(codes) and codes == sorted(codes)
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)
