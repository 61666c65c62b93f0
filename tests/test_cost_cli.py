"""`cost` and `check --base` on a git repository the test builds: two commits, one model switch.

Golden files live in tests/golden/cost/ (see tests/golden.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from golden import GOLDEN, assert_golden, golden_name
from helpers import REPO, commit_project, git, run_cli

from oberhahn_policy.evaluate import policy_problems
from oberhahn_policy.policy import load_policy_text

FIXTURE = REPO / "tests" / "fixtures" / "support-desk"
TODAY = "2026-11-28"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """The example application committed twice: first with gpt-6-luna for triage, then with gpt-6-sol."""
    root = tmp_path / "support-desk"
    shutil.copytree(FIXTURE, root)
    commit_project(root, {}, message="support desk")
    triage = root / "services" / "support" / "triage.py"
    triage.write_text(triage.read_text(encoding="utf-8").replace('"gpt-6-luna"', '"gpt-6-sol"'), encoding="utf-8")
    git(root, "commit", "-q", "-am", "triage on gpt-6-sol")
    return root


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_cost_golden(fmt: str) -> None:
    result = run_cli("cost", "--today", TODAY, "--no-cache", "--format", fmt, cwd=FIXTURE)
    assert result.exit_code == 0, result.stderr
    assert_golden(golden_name("cost", "support-desk", fmt), result.stdout)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_cost_base_golden(repo: Path, fmt: str) -> None:
    result = run_cli("cost", "--base", "HEAD~1", "--today", TODAY, "--no-cache", "--format", fmt, cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert_golden(golden_name("cost", "support-desk-base", fmt), result.stdout)


def test_cost_base_arithmetic(repo: Path) -> None:
    status_before = git(repo, "status", "--porcelain")
    result = run_cli("cost", "--base", "HEAD~1", "--today", TODAY, "--no-cache", "--format", "json", cwd=repo)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    triage = next(u for u in document["use_cases"] if u["name"] == "ticket-triage")
    # gpt-6-luna 0.10/0.50 and gpt-6-sol 2.00/10.00 per M, 15% openai discount; 1200 in, 150 out, 300,000 tickets
    before = (1200 * 0.10 + 150 * 0.50) * 0.85 / 1e6 * 300000
    after = (1200 * 2.00 + 150 * 10.00) * 0.85 / 1e6 * 300000
    assert triage["base_monthly_usd"] == pytest.approx(before) == pytest.approx(49.725)
    assert triage["projected_monthly_usd"] == pytest.approx(after) == pytest.approx(994.5)
    assert triage["delta_usd"] == pytest.approx(after - before)
    assert triage["delta_pct"] == pytest.approx((after - before) / before * 100)
    assert triage["over_increase_limit"] is True
    (change,) = triage["changes"]
    assert change["path"] == "services/support/triage.py" and change["model_before"] == "gpt-6-luna"
    others = [u for u in document["use_cases"] if u["name"] != "ticket-triage"]
    assert all(u["delta_usd"] == 0 and u["changes"] == [] for u in others)
    assert git(repo, "status", "--porcelain") == status_before, "--base must not touch the working tree"


@pytest.mark.parametrize(("limit", "code"), [(20, 1), (10000, 0)])
def test_check_base_gates_the_increase(repo: Path, limit: int, code: int) -> None:
    policy = repo / "oberhahn-policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("max_increase_pct: 20", f"max_increase_pct: {limit}"), encoding="utf-8")
    result = run_cli("check", "--base", "HEAD~1", "--today", TODAY, "--no-cache", "--select", "OBH305", cwd=repo)
    assert result.exit_code == code, result.stdout + result.stderr
    if code:
        assert ("services/support/triage.py:10:13: OBH305 projected monthly spend of use case 'ticket-triage' rises from "
                "$49.73 to $994.50 (+$944.78, +1900.0%), above its max_increase_pct of 20%") in result.stdout


def test_check_reports_retired_and_unpriced_models() -> None:
    result = run_cli("check", "--today", TODAY, "--no-cache", "--select", "OBH204,OBH205", cwd=FIXTURE)
    assert result.exit_code == 1
    assert ("scripts/backfill.py:9:13: OBH204 model 'gpt-3.5-turbo' was retired on 2026-10-23: calls to it fail; "
            "move to its successor 'gpt-5.6-terra'") in result.stdout
    assert "scripts/backfill.py:18:13: OBH205 model 'acme-distilled-v2' is not in the price catalog" in result.stdout
    cost = json.loads(run_cli("cost", "--today", TODAY, "--format", "json", "--no-cache", cwd=FIXTURE).stdout)
    unpriced = [s for s in cost["unattributed"]["call_sites"] if s["model"] == "acme-distilled-v2"]
    assert unpriced[0]["cost_per_call_usd"] is None and cost["unattributed"]["complete"] is False


def test_bad_base_ref_is_a_usage_error(repo: Path) -> None:
    result = run_cli("cost", "--base", "no-such-branch", cwd=repo)
    assert result.exit_code == 2 and "no such commit" in result.stderr and "Traceback" not in result.stderr


def test_base_outside_git_is_a_usage_error(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "plain")
    result = run_cli("check", "--base", "HEAD", cwd=tmp_path / "plain")
    assert result.exit_code == 2 and "needs a git repository" in result.stderr


def test_policy_checks_budgets_and_unknown_approved_models() -> None:
    loaded = load_policy_text(
        "version: 1\nteams:\n  support: {monthly_budget_usd: 100}\nuse_cases:\n"
        "  a: {team: support, budget: {monthly_usd: 80}, models: {approved: [gpt-6-luna, 'claude-haiku-5-5*', gpt-6-lunar, 'acme-*']}}\n"
        "  b: {team: support, budget: {monthly_usd: 30}}\nmodels:\n  prices:\n    acme-7: {input_per_mtok: 1}\n"
        "  discounts: {opnai: 0.1, anthropic: 0.05}\n", "p.yaml")
    problems = [str(p) for p in policy_problems(loaded)]
    assert problems == [
        "p.yaml:3:33: OBH905 teams.support.monthly_budget_usd: the use-case budgets of team 'support' add up to $110.00 a "
        "month (a, b), more than the team's $100.00; lower the use-case budgets or raise the team's",
        "p.yaml:5:102: OBH906 use_cases.a.models.approved[2]: approved model 'gpt-6-lunar' is not in the price catalog "
        "(as of 2026-11-28), so its spend can't be projected; check the spelling (`oberhahn-policy models` lists the "
        "catalog) or price it under models.prices",
        "p.yaml:10:22: OBH907 models.discounts.opnai: no provider is called 'opnai', so this discount applies to "
        "nothing; did you mean 'openai'?",
    ]


def test_example_policy_is_valid() -> None:
    result = run_cli("validate", str(FIXTURE / "oberhahn-policy.yaml"))
    assert result.exit_code == 0, result.stderr


def test_code_added_after_base_counts_as_new_spend(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    commit_project(root, {"README.md": "empty at first\n"}, (FIXTURE / "oberhahn-policy.yaml").read_text(encoding="utf-8"))
    shutil.copytree(FIXTURE / "services", root / "services")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "services")
    result = run_cli("cost", "services", "--base", "HEAD~1", "--today", TODAY, "--format", "json", cwd=root)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    triage = next(u for u in document["use_cases"] if u["name"] == "ticket-triage")
    assert triage["base_monthly_usd"] == 0 and triage["projected_monthly_usd"] == pytest.approx(49.725)
    assert triage["delta_pct"] is None and triage["changes"][0]["kind"] == "added"
    gate = run_cli("check", "services", "--base", "HEAD~1", "--today", TODAY, "--select", "OBH305", cwd=root)
    assert gate.exit_code == 0, gate.stdout  # new spend has no percentage; OBH304 guards its budget


@pytest.mark.parametrize("golden", ["support-desk.json.json", "support-desk-base.json.json"])
def test_cost_json_matches_its_schema(golden: str) -> None:
    import jsonschema

    from oberhahn_policy.report.cost import cost_json_schema

    jsonschema.validate(json.loads((GOLDEN / "cost" / golden).read_text(encoding="utf-8")), cost_json_schema())
