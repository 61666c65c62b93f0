"""`evidence` and `savings`: golden files on the example application, every lever on a small project, one saving
recomputed by hand, and the rules (OBH206, OBH207, OBH306, OBH307) agreeing with the report.

Golden files live in tests/golden/evidence/ and tests/golden/savings/ (see tests/golden.py).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from golden import assert_golden, golden_name
from helpers import REPO, check_project, run_cli, write_project

from oberhahn_policy import api
from oberhahn_policy.prompts import estimate_tokens
from oberhahn_policy.rules._examples import LONG_PROMPT
from oberhahn_policy.savings import SavingsReport

TODAY = "2026-11-28"
FORMATS = ("text", "json", "markdown")
SCHEMAS = REPO / "schemas"


def _run(command: str, fmt: str, *args: str, cwd: Path = REPO) -> str:
    result = run_cli(command, *args, "--no-cache", "--today", TODAY, "--format", fmt, cwd=cwd)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout.replace(api.__version__, "<version>")


# --- the example application -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_evidence_on_the_example_is_golden(fmt: str) -> None:
    output = _run("evidence", fmt, "examples")
    if fmt == "json":
        jsonschema.validate(json.loads(output), json.loads((SCHEMAS / "evidence.schema.json").read_text()))
    assert_golden(golden_name("evidence", "examples", fmt), output)


@pytest.mark.parametrize("fmt", FORMATS)
def test_savings_on_the_example_is_golden(fmt: str) -> None:
    output = _run("savings", fmt, "examples")
    if fmt == "json":
        jsonschema.validate(json.loads(output), json.loads((SCHEMAS / "savings.schema.json").read_text()))
    assert_golden(golden_name("savings", "examples", fmt), output)


def _example_savings() -> SavingsReport:
    return api.savings(["examples"], None, api.CheckOptions(cwd=REPO, today=date(2026, 11, 28), use_cache=False))


def test_example_savings_recomputed_by_hand() -> None:
    """The two priced levers of the example, from the list prices (catalog 2026-11-28; see
    /work/shared/reference/prices-2026-11.md: gpt-6-sol 2/10, gpt-6-luna 0.10/0.50, gpt-6.1-sol 2/10 and batch -50%)."""
    report = _example_savings()
    routing, batch = report.levers[:2]
    # routing: escalation_note (triage.py:52) on gpt-6-sol; gpt-6-luna meets the bar (accuracy 111/119 = 0.933 >= 0.9).
    # 1,200 input and 150 output tokens a call (the limit, 400, is above the average), 1 call a task, 300,000 tasks.
    now = (1_200 * 2.00 + 150 * 10.00) / 1_000_000 * 300_000  # 0.0039 a call -> $1,170.00
    after = (1_200 * 0.10 + 150 * 0.50) / 1_000_000 * 300_000  # 0.000195 a call -> $58.50
    assert (routing.kind, routing.monthly_now_usd, routing.monthly_after_usd) == ("routing", pytest.approx(now),
                                                                                 pytest.approx(after))
    assert routing.saving_usd == pytest.approx(now - after) == pytest.approx(1_111.50)
    # batch tier: the nightly digest (offline), 40,000 input and 1,500 output tokens, 600 digests a month,
    # gpt-6.1-sol at $2/$10 a million now and $1/$5 at the batch price
    now = (40_000 * 2.00 + 1_500 * 10.00) / 1_000_000 * 600  # 0.095 a call -> $57.00
    after = (40_000 * 1.00 + 1_500 * 5.00) / 1_000_000 * 600  # 0.0475 a call -> $28.50
    assert batch.kind == "batch-tier" and batch.saving_usd == pytest.approx(now - after) == pytest.approx(28.50)
    assert report.expected_saving_usd == pytest.approx(1_111.50 + 28.50)
    # the digest has no output limit and the catalog gives no maximum output for gpt-6.1-sol: unbounded now
    cap = report.levers[2]
    assert (cap.kind, cap.monthly_now_usd, cap.saving_usd) == ("output-cap", None, None)
    assert cap.monthly_after_usd == pytest.approx((40_000 * 2.00 + 3_000 * 10.00) / 1_000_000 * 600)  # cap 2 x 1,500


def test_rules_report_the_levers_at_their_call_sites() -> None:
    found = run_cli("check", "examples", "--no-cache", "--today", TODAY, "--select", "OBH206,OBH207,OBH306,OBH307",
                    "--format", "json", cwd=REPO)
    findings = sorted((f["code"], f["path"], f["line"]) for f in json.loads(found.stdout)["findings"])
    assert findings == [("OBH207", "examples/helpdesk/triage.py", 52),
                        ("OBH306", "examples/helpdesk/jobs/nightly_digest.py", 15)]


# --- every lever on a small project ----------------------------------------------------------------------------

POLICY = """\
version: 1
attribution:
  required: []
use_cases:
  triage:
    paths: ["app/triage.py"]
    budget: {tasks_per_month: 300000, avg_input_tokens: 1200, avg_output_tokens: 150}
    quality: {metric: pass_rate, min: 0.9, evidence: ["evals/**"], max_age_days: 90}
  reports:
    paths: ["app/reports.py"]
    latency: offline
    budget: {tasks_per_month: 30000, avg_input_tokens: 4000, avg_output_tokens: 500}
  drafts:
    paths: ["app/drafts.py"]
    budget: {avg_input_tokens: 3000, avg_output_tokens: 300}
instrumentation:
  max_static_prompt_tokens: 1000
"""

FILES = {
    # promptfoo 0.123.1 output (results.version 3), only the fields the reader needs
    "evals/triage.json": json.dumps({"evalId": None, "config": {}, "metadata": {"promptfooVersion": "0.123.1"}, "results": {
        "version": 3, "timestamp": "2026-11-20T10:00:00Z", "results": [], "prompts": [
            {"label": "t", "provider": f"openai:chat:{model}", "metrics": {
                "score": passed, "testPassCount": passed, "testFailCount": 100 - passed, "testErrorCount": 0}}
            for model, passed in (("gpt-6-luna", 93), ("gpt-6-sol", 97))]}}),
    "app/triage.py": """\
        from openai import OpenAI

        client = OpenAI()


        def triage(ticket: str) -> str:
            reply = client.chat.completions.create(
                model="gpt-6-sol", max_completion_tokens=256, messages=[{"role": "user", "content": ticket}])
            return reply.choices[0].message.content or ""
    """,
    "app/reports.py": """\
        from pathlib import Path

        import anthropic

        claude = anthropic.Anthropic()
        SYSTEM = (Path(__file__).parent / "prompts" / "long.md").read_text()


        def report(week: str) -> str:
            reply = claude.messages.create(
                model="claude-sonnet-5-5", max_tokens=4000, system=SYSTEM, messages=[{"role": "user", "content": week}])
            return reply.content[0].text
    """,
    "app/drafts.py": """\
        from pathlib import Path

        from openai import OpenAI

        client = OpenAI()
        SYSTEM = (Path(__file__).parent / "prompts" / "long.md").read_text()


        def draft(ticket: str) -> str:
            reply = client.chat.completions.create(
                model="gpt-6-luna", max_completion_tokens=600,
                messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": ticket}])
            return reply.choices[0].message.content or ""
    """,
    "app/prompts/long.md": LONG_PROMPT,
}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "levers", FILES, POLICY)


def _savings(root: Path) -> SavingsReport:
    return api.savings(["."], None, api.CheckOptions(cwd=root, root=root, today=date(2026, 11, 28), use_cache=False))


def test_every_lever_is_found_sorted_by_saving(project: Path) -> None:
    report = _savings(project)
    summary = [(lever.kind, lever.use_case, [e.site.path for e in lever.sites], lever.saving_usd is not None)
               for lever in report.levers]
    assert summary == [
        ("routing", "triage", ["app/triage.py"], True),  # $1,111.50
        ("batch-tier", "reports", ["app/reports.py"], True),  # $195.00
        ("prompt-caching", "reports", ["app/reports.py"], True),  # $64.80
        ("prompt-trim", "reports", ["app/reports.py"], True),  # $47.22
        ("prompt-caching", "drafts", ["app/drafts.py"], False),  # no tasks_per_month: no figure per month
        ("prompt-trim", "drafts", ["app/drafts.py"], False),
        ("output-cap", "reports", ["app/reports.py"], True),  # worst case: 4,000 >= 4 x 500, cap at 1,000
    ]
    expected = [lever.saving_usd for lever in report.measured("expected") if lever.saving_usd is not None]
    assert expected == sorted(expected, reverse=True)
    assert report.expected_saving_usd == pytest.approx(sum(expected))
    # three levers on one call overlap: the report says so rather than pretending they add up
    assert [(site.path, kinds) for site, kinds in report.overlaps] == [
        ("app/reports.py", ("batch-tier", "prompt-caching", "prompt-trim"))]
    drafts = report.levers[5]
    assert drafts.unpriced == "the use case's budget declares no tasks_per_month"
    assert drafts.sites[0].per_call_now_usd is not None and drafts.sites[0].monthly_now_usd is None


def test_prompt_caching_saving_recomputed_by_hand(project: Path) -> None:
    """reports.py: claude-sonnet-5-5 at $2/M input, $10/M output, $0.10/M cached input, $2.50/M cache writes
    (catalog 2026-11-28); 4,000 input tokens a call of which the static prefix is the prompt file, 500 output tokens
    (under the 4,000 limit), 30,000 reports a month."""
    prefix = estimate_tokens(LONG_PROMPT)
    assert prefix == 1_787
    calls = 30_000
    writes = 30 * 24 * 60 // 5 / calls  # one write per 5-minute cache lifetime: 8,640 of 30,000 calls, 28.8%
    prefix_rate = writes * 2.50 + (1 - writes) * 0.10  # $0.7912/M
    now = (4_000 * 2.00 + 500 * 10.00) / 1_000_000 * calls  # $0.013 a call -> $390.00
    after = ((4_000 - prefix) * 2.00 + prefix * prefix_rate + 500 * 10.00) / 1_000_000 * calls  # -> $325.20
    caching = next(lever for lever in _savings(project).levers if lever.kind == "prompt-caching" and lever.use_case == "reports")
    assert caching.monthly_now_usd == pytest.approx(now) == pytest.approx(390.0)
    assert caching.monthly_after_usd == pytest.approx(after) == pytest.approx(325.20, abs=0.01)
    assert caching.saving_usd == pytest.approx(now - after)
    assert "1,787 cached-prefix tokens x $0.7912/M (8,640 of 30,000 calls a month write the cache at $2.5/M" in \
        caching.sites[0].arithmetic[1]


def test_no_caching_lever_when_the_cache_would_not_stay_warm(project: Path) -> None:
    """At 3,000 calls a month (one per 14 minutes) every call writes the 5-minute cache at $2.50/M, more than $2/M input."""
    policy = (project / "oberhahn-policy.yaml")
    policy.write_text(policy.read_text().replace("tasks_per_month: 30000", "tasks_per_month: 3000"))
    kinds = [lever.kind for lever in _savings(project).levers if lever.use_case == "reports"]
    assert "prompt-caching" not in kinds and "batch-tier" in kinds
    assert [f for f in check_project(project).findings if f.code == "OBH307" and f.path == "app/reports.py"] == []


@pytest.mark.parametrize("fmt", ["text"])
def test_every_lever_text_is_golden(project: Path, fmt: str) -> None:
    assert_golden(golden_name("savings", "levers", fmt), _run("savings", fmt, cwd=project))
