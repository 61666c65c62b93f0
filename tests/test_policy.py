"""Policy files: validation errors a user can act on, extends, discovery, and the published schema."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import REPO, run_cli

from oberhahn_policy.evaluate import policy_problems
from oberhahn_policy.policy import (
    PolicyLoadError,
    find_policy,
    load_policy,
    load_policy_text,
)

MISSPELT = """\
version: 1
attribution:
  required: [team, use_case]
usecases:
  triage:
    team: support
use_cases:
  triage:
    team: support
    limits:
      max_output_tokens: lots
models:
  default: alow
"""


def _errors(text: str) -> list[str]:
    with pytest.raises(PolicyLoadError) as raised:
        load_policy_text(text, "policy.yaml")
    return [str(e) for e in raised.value.errors]


def test_each_error_has_file_line_column_and_a_suggestion() -> None:
    assert _errors(MISSPELT) == [
        "policy.yaml:4:1: usecases: unknown key 'usecases'; did you mean 'use_cases'?",
        "policy.yaml:11:26: use_cases.triage.limits.max_output_tokens: expected integer or null, got string 'lots'",
        "policy.yaml:13:12: models.default: string 'alow' is not one of: allow, deny; did you mean 'allow'?",
    ]


def test_cli_reports_policy_errors_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "oberhahn-policy.yaml").write_text(MISSPELT)
    (tmp_path / "app.py").write_text("x = 1\n")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("oberhahn-policy.yaml:")]
    assert len(lines) == 3
    assert sum("did you mean" in line for line in lines) == 2
    assert any("expected integer or null, got string 'lots'" in line for line in lines)


@pytest.mark.parametrize(("text", "fragment"), [
    ("version: 1\nteams: [a, b]\n", "teams: expected a mapping, got a list"),
    ("version: 2\n", "version: number 2 is not one of: 1"),
    ("version: 1\nrules:\n  OBH101: {enabled: maybe}\n", "rules.OBH101.enabled: expected boolean"),
    ("version: 1\nattribution:\n  required: [team\n", "invalid YAML"),
    ("version: 1\nteams:\n  a: {}\nteams:\n  b: {}\n", "duplicate key 'teams'"),
    ("version: 1\nattribution:\n  values:\n    team: {pattern: '[a-'}\n", "not a valid regular expression"),
    ("version: 1\nmodels:\n  discounts: {openai: 1.5}\n", "must be a fraction"),
    ("- just\n- a list\n", "must be a mapping"),
])
def test_bad_values_are_explained(text: str, fragment: str) -> None:
    errors = _errors(text)
    assert any(fragment in e for e in errors), errors
    assert all(e.startswith("policy.yaml:") for e in errors)


def test_extends_merges_and_overrides(tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text(textwrap.dedent("""\
        version: 1
        attribution: {required: [team, use_case, cost_center]}
        models: {denied: ["*-preview"], default: deny}
        teams: {platform: {owner: p@example.com}}
    """))
    (tmp_path / "oberhahn-policy.yaml").write_text(textwrap.dedent("""\
        version: 1
        extends: [org.yaml]
        models: {default: allow}
        teams: {support: {owner: s@example.com}}
    """))
    loaded = load_policy(tmp_path / "oberhahn-policy.yaml")
    policy = loaded.policy
    assert policy.attribution.required == ("team", "use_case", "cost_center")
    assert policy.models.default == "allow" and policy.models.denied == ("*-preview",)
    assert set(policy.teams) == {"platform", "support"}


def test_extends_errors_point_into_the_extended_file(tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text("version: 1\nmodels:\n  defualt: deny\n")
    (tmp_path / "p.yaml").write_text("version: 1\nextends: [org.yaml]\n")
    with pytest.raises(PolicyLoadError) as raised:
        load_policy(tmp_path / "p.yaml")
    (error,) = raised.value.errors
    assert error.file.endswith("org.yaml") and (error.line, error.column) == (3, 3)
    assert "did you mean 'default'" in error.message


def test_missing_extended_file_and_cycles(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("version: 1\nextends: [b.yaml]\n")
    (tmp_path / "b.yaml").write_text("version: 1\nextends: [a.yaml]\n")
    (tmp_path / "c.yaml").write_text("version: 1\nextends: [nowhere.yaml]\n")
    with pytest.raises(PolicyLoadError, match="circular extends"):
        load_policy(tmp_path / "a.yaml")
    with pytest.raises(PolicyLoadError, match="'nowhere.yaml' not found"):
        load_policy(tmp_path / "c.yaml")


def test_discovery_prefers_pyproject_then_policy_files(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    sub = tmp_path / "services" / "api"
    sub.mkdir(parents=True)
    assert find_policy(sub) is None
    (tmp_path / ".oberhahn-policy.yaml").write_text("version: 1\n")
    assert find_policy(sub) == tmp_path / ".oberhahn-policy.yaml"
    (tmp_path / "pyproject.toml").write_text('[tool.oberhahn-policy]\npolicy = "policy/llm.yaml"\n')
    assert find_policy(sub) == tmp_path / "policy" / "llm.yaml"


def test_semantic_checks(tmp_path: Path) -> None:
    loaded = load_policy_text(textwrap.dedent("""\
        version: 1
        teams: {support: {}}
        use_cases:
          triage: {team: suport}
          orphan: {}
        rules:
          OBH999: {enabled: false}
    """), "p.yaml")
    problems = [str(p) for p in policy_problems(loaded)]
    assert "p.yaml:4:18: OBH901 use_cases.triage.team: team 'suport' is not declared under teams; did you mean 'support'?" in problems
    assert any("OBH903" in p and "orphan" in p for p in problems)
    assert any("OBH902" in p and "OBH999" in p for p in problems)


@pytest.mark.parametrize("path", sorted((REPO / "policies").glob("*.yaml")) + [REPO / "examples" / "oberhahn-policy.yaml"],
                         ids=lambda p: p.name)
def test_example_policies_are_valid(path: Path) -> None:
    loaded = load_policy(path)
    assert policy_problems(loaded) == []


def test_validate_command(tmp_path: Path) -> None:
    good = run_cli("validate", str(REPO / "examples" / "oberhahn-policy.yaml"))
    assert good.exit_code == 0 and "valid" in good.stdout
    (tmp_path / "bad.yaml").write_text(MISSPELT)
    bad = run_cli("validate", str(tmp_path / "bad.yaml"))
    assert bad.exit_code == 2 and "did you mean 'use_cases'" in bad.stderr


def test_the_packaged_default_policy_passes_its_schema() -> None:
    """Runs without a policy file load the default without the schema pass; this is where it is checked."""
    from oberhahn_policy.packaged import packaged_text
    from oberhahn_policy.policy.load import DEFAULT_POLICY_NAME, default_policy, load_policy_text

    checked = load_policy_text(packaged_text("default-policy.yaml"), DEFAULT_POLICY_NAME)
    assert checked.policy == default_policy().policy
