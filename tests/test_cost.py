"""Cost arithmetic against figures computed by hand (SPEC §5)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from helpers import check_project, write_project
from oberhahn_policy.catalog import load_catalog
from oberhahn_policy.cost import billing_provider, diff, project, usd
from oberhahn_policy.policy import load_policy

DAY = date(2026, 11, 28)

POLICY = """\
version: 1
teams:
  support: {monthly_budget_usd: 1000}
use_cases:
  triage:
    team: support
    paths: ["triage.py"]
    budget: {monthly_usd: 100, tasks_per_month: 300000, avg_input_tokens: 1200, avg_output_tokens: 150, calls_per_task: 2}
models:
  discounts: {openai: 0.15}
  prices:
    acme-*: {input_per_mtok: 1.0, output_per_mtok: 4.0}
"""


def call(model: str, limit: int | None) -> str:
    limit_text = f", max_completion_tokens={limit}" if limit is not None else ""
    return (f"from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef run(text: str) -> None:\n"
            f"    client.chat.completions.create(model=\"{model}\", messages=[]{limit_text})\n")


def projection(tmp_path: Path, source: str, policy: str = POLICY, day: date = DAY):  # type: ignore[no-untyped-def]
    root = write_project(tmp_path / "p", {"triage.py": source}, policy)
    report = check_project(root)
    return project(report.call_sites, load_policy(root / "oberhahn-policy.yaml").policy, load_catalog(), day)


@pytest.mark.parametrize(("model", "limit", "expected", "worst", "monthly"), [
    # gpt-6-luna list 0.10/0.50, 15% off -> 0.085/0.425: 1200*0.085e-6 + 150*0.425e-6; worst with 512 output tokens
    ("gpt-6-luna", 512, 0.000102 + 0.00006375, 0.000102 + 512 * 0.425e-6, (0.000102 + 0.00006375) * 2 * 300000),
    # the limit caps the expected output: 100 < 150 average
    ("gpt-6-luna", 100, 0.000102 + 100 * 0.425e-6, 0.000102 + 100 * 0.425e-6, (0.000102 + 0.0000425) * 2 * 300000),
    # a policy price is the negotiated price: no discount on top
    ("acme-7b", 256, 1200 * 1e-6 + 150 * 4e-6, 1200 * 1e-6 + 256 * 4e-6, (0.0012 + 0.0006) * 600000),
    # no limit: expected uses the average, the worst case is unbounded
    ("gpt-6-sol", None, 1200 * 1.7e-6 + 150 * 8.5e-6, None, (0.00204 + 0.001275) * 600000),
])
def test_cost_per_call_and_projection(tmp_path: Path, model: str, limit: int | None, expected: float,
                                      worst: float | None, monthly: float) -> None:
    costs = projection(tmp_path, call(model, limit))
    row = costs.use_case("triage")
    assert row is not None and row.complete
    (site,) = row.sites
    assert site.expected_usd == pytest.approx(expected)
    assert (site.worst_case_usd is None) == (worst is None) and site.unbounded == (worst is None)
    if worst is not None:
        assert site.worst_case_usd == pytest.approx(worst)
    assert row.cost_per_task_usd == pytest.approx(expected * 2)
    assert row.projected_monthly_usd == pytest.approx(monthly)
    assert row.headroom_usd == pytest.approx(100 - monthly)
    assert costs.teams[0].projected_monthly_usd == pytest.approx(monthly)


def test_scheduled_price_change_follows_today(tmp_path: Path) -> None:
    # gemini-4-argon: 2/10 through 2026-11-30, 4/20 from 2026-12-01
    source = call("gemini-4-argon", 512)
    before = projection(tmp_path / "a", source, day=date(2026, 11, 30)).use_case("triage")
    after = projection(tmp_path / "b", source, day=date(2026, 12, 1)).use_case("triage")
    assert before is not None and after is not None
    # the OpenAI SDK only carries Google's model here: Google bills, so the openai discount does not apply
    assert before.sites[0].expected_usd == pytest.approx(1200 * 2e-6 + 150 * 10e-6)
    assert after.sites[0].expected_usd == pytest.approx(1200 * 4e-6 + 150 * 20e-6)


@pytest.mark.parametrize(("avg_input", "price_in", "price_out"), [(100000, 0.10, 0.50), (100001, 0.50, 2.50)])
def test_long_context_tier(tmp_path: Path, avg_input: int, price_in: float, price_out: float) -> None:
    # claude-haiku-5-5: 0.10/0.50, prompts above 100K tokens 0.50/2.50 (reference row 15)
    source = ("import anthropic\n\nclient = anthropic.Anthropic()\n"
              "client.messages.create(model=\"claude-haiku-5-5\", max_tokens=200, messages=[])\n")
    policy = POLICY.replace("avg_input_tokens: 1200", f"avg_input_tokens: {avg_input}")
    row = projection(tmp_path, source, policy).use_case("triage")
    assert row is not None
    assert row.sites[0].expected_usd == pytest.approx((avg_input * price_in + 150 * price_out) / 1e6)


def test_unknown_model_is_never_zero(tmp_path: Path) -> None:
    costs = projection(tmp_path, call("gpt-6-lunar", 256))
    row = costs.use_case("triage")
    assert row is not None
    assert not row.complete and row.sites[0].expected_usd is None and row.cost_per_call_usd is None
    assert "not in the price catalog" in row.gaps[0]
    assert not costs.complete


def test_embedding_has_no_output(tmp_path: Path) -> None:
    source = ("from openai import OpenAI\n\nclient = OpenAI()\n"
              "client.embeddings.create(model=\"text-embedding-3-small\", input=\"hello\")\n")
    row = projection(tmp_path, source).use_case("triage")
    assert row is not None and row.complete
    assert row.sites[0].expected_usd == pytest.approx(1200 * 0.02e-6 * 0.85)
    assert row.sites[0].worst_case_usd == row.sites[0].expected_usd and not row.unbounded


def test_unattributed_calls_are_a_row_of_their_own(tmp_path: Path) -> None:
    policy = POLICY + "unattributed:\n  budget: {tasks_per_month: 1000, avg_input_tokens: 800, avg_output_tokens: 200}\n"
    root = write_project(tmp_path / "p", {"triage.py": call("gpt-6-luna", 256), "other.py": call("gpt-4o-mini", 300)}, policy)
    report = check_project(root)
    costs = project(report.call_sites, load_policy(root / "oberhahn-policy.yaml").policy, load_catalog(), DAY)
    rest = costs.unattributed
    assert [s.site.path for s in rest.sites] == ["other.py"]
    # gpt-4o-mini 0.15/0.60 less 15%: 800*0.1275e-6 + 200*0.51e-6 = 0.000204; x1000
    assert rest.projected_monthly_usd == pytest.approx(0.204)
    assert costs.total_monthly_usd == pytest.approx(0.204 + (0.000102 + 0.00006375) * 600000)


def test_diff_names_the_call_that_changed(tmp_path: Path) -> None:
    base = projection(tmp_path / "a", call("gpt-6-luna", 256))
    head = projection(tmp_path / "b", call("gpt-6-sol", 256))
    policy = load_policy(tmp_path / "b" / "p" / "oberhahn-policy.yaml").policy
    (row, rest) = diff(base, head, policy)
    assert row.name == "triage" and rest.name is None
    before = (0.000102 + 0.00006375) * 600000
    after = (1200 * 1.7e-6 + 150 * 8.5e-6) * 600000
    assert row.before_usd == pytest.approx(before) and row.after_usd == pytest.approx(after)
    assert row.delta_usd == pytest.approx(after - before)
    assert row.delta_pct == pytest.approx((after - before) / before * 100)
    (change,) = row.changes
    assert (change.kind, change.model_before, change.model_after) == ("changed", "gpt-6-luna", "gpt-6-sol")


@pytest.mark.parametrize(("provider", "model", "billed_by"), [
    ("openai", "gpt-6-luna", "openai"), ("azure-openai", "gpt-6-luna", "azure-openai"),
    ("aws-bedrock", "claude-haiku-5-5", "aws-bedrock"), ("litellm", "claude-haiku-5-5", "anthropic"),
    ("openai", "gemini-4-argon", "google"),
])
def test_billing_provider(provider: str, model: str, billed_by: str) -> None:
    entry = load_catalog().lookup(model)
    assert entry is not None and billing_provider(provider, entry) == billed_by


@pytest.mark.parametrize(("value", "text"), [
    (0, "$0.00"), (1476.48, "$1,476.48"), (0.012, "$0.012"), (0.00016575, "$0.0001657"), (6.8e-7, "$0.00000068"),
    (-22.5, "-$22.50"), (None, "n/a"),
])
def test_usd(value: float | None, text: str) -> None:
    assert usd(value) == text
