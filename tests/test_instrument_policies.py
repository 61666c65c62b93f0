"""The scenario policies this feature adds to policies/: each is valid and each runs on a fixture application."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from golden import assert_golden, golden_name
from helpers import REPO, check_project, run_cli, write_project

from oberhahn_policy.evaluate import policy_problems
from oberhahn_policy.policy import load_policy

POLICIES = REPO / "policies"
FIXTURES = REPO / "tests" / "fixtures"
SCENARIOS = ("gateway-and-tracing.yaml", "prompt-hygiene.yaml", "strict-attribution.yaml")


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_policy_is_valid(name: str) -> None:
    result = run_cli("validate", str(POLICIES / name))
    assert result.exit_code == 0, result.stderr
    assert list(policy_problems(load_policy(POLICIES / name))) == []


def _app(tmp_path: Path, fixture: str, policy: str) -> Path:
    root = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, root)
    shutil.copy(POLICIES / policy, root / "oberhahn-policy.yaml")
    (root / ".git").mkdir()
    return root


def test_prompt_hygiene_on_the_agent_app(tmp_path: Path) -> None:
    root = _app(tmp_path, "agent_app", "prompt-hygiene.yaml")
    result = run_cli("check", "--no-cache", cwd=root)
    assert_golden(golden_name("check", "agent-app", "text"), result.stdout)
    assert result.exit_code == 1
    found = sorted((f.path, f.line, f.code) for f in check_project(root).findings)
    assert found == [
        ("agent/research.py", 22, "OBH307"),  # long prompt, no cache marker (info)
        ("agent/research.py", 22, "OBH401"),  # above the policy's limit
        ("agent/research.py", 22, "OBH402"),  # while not done
        ("agent/research.py", 38, "OBH401"),  # same prompt, cached, bounded: still above the limit
    ]


def test_prompt_hygiene_lock_round_trip(tmp_path: Path) -> None:
    root = _app(tmp_path, "agent_app", "prompt-hygiene.yaml")
    assert run_cli("lock", cwd=root).stdout == "wrote oberhahn.lock (3 prompts)\n"
    prompt = root / "agent" / "prompts" / "researcher.md"
    prompt.write_text(prompt.read_text().replace("at most five", "at most three"))
    drift = [f for f in check_project(root).findings if f.code == "OBH403"]
    assert [(f.path, f.line) for f in drift] == [("agent/research.py", 22), ("agent/research.py", 38)]


def test_strict_attribution_passes_the_instrumented_app(tmp_path: Path) -> None:
    root = _app(tmp_path, "instrumented_app", "strict-attribution.yaml")
    assert check_project(root).findings == ()


def test_strict_attribution_rejects_run_time_values(tmp_path: Path) -> None:
    source = ("from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef triage(ticket: str, team: str) -> str:\n"
              "    response = client.chat.completions.create(model=\"gpt-6-luna\", max_completion_tokens=5, messages=[],\n"
              "        metadata={\"team\": team, \"use_case\": \"ticket-triage\", \"feature\": \"mobile\"})\n"
              "    return response.choices[0].message.content or \"\"\n")
    root = write_project(tmp_path / "p", {"app/service.py": source}, (POLICIES / "strict-attribution.yaml").read_text())
    codes = sorted(f.code for f in check_project(root).findings)
    assert codes == ["OBH102", "OBH104"]
