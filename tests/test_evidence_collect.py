"""Evidence per use case: finding result files, verdicts against the quality bar, cheapest model, OBH206/OBH207 facts."""

from __future__ import annotations

import json
import shutil
import textwrap
from datetime import date
from pathlib import Path
from typing import Any, Mapping

import pytest
import yaml

from oberhahn_policy.evidence import (
    EvidenceReport,
    UseCaseEvidence,
    canonical_model,
    cheaper_model,
    cheaper_models,
    collect_evidence,
    unevaluated_model,
    unevaluated_models,
)
from oberhahn_policy.policy import PolicyLoadError, load_policy_text
from oberhahn_policy.policy.model import Policy

FIXTURES = Path(__file__).parent / "fixtures" / "evidence"
REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 28)


def promptfoo_output(outcomes: Mapping[str, tuple[int, int, int]], timestamp: str | None = "2026-11-20T10:00:00Z",
                     named: Mapping[str, Mapping[str, float]] | None = None) -> dict[str, Any]:
    """A promptfoo 0.123.1 output (results.version 3) with `(pass, fail, error)` per provider id."""
    prompts = []
    for provider, (passed, failed, errors) in outcomes.items():
        scores = dict((named or {}).get(provider, {}))
        graded = passed + failed
        prompts.append({"raw": "{{ticket}}", "label": "triage", "provider": provider, "metrics": {
            "score": float(passed), "testPassCount": passed, "testFailCount": failed, "testErrorCount": errors,
            "assertPassCount": passed, "assertFailCount": failed, "totalLatencyMs": 0,
            "tokenUsage": {"total": 0, "prompt": 0, "completion": 0, "cached": 0, "numRequests": graded + errors},
            "namedScores": {k: v * graded for k, v in scores.items()},
            "namedScoresCount": {k: graded for k in scores}, "cost": 0.0}})
    summary: dict[str, Any] = {"version": 3, "prompts": prompts, "results": [],
                               "stats": {"successes": 0, "failures": 0, "errors": 0, "tokenUsage": {}}}
    if timestamp is not None:
        summary["timestamp"] = timestamp
    return {"evalId": None, "results": summary, "config": {}, "shareableUrl": None,
            "metadata": {"promptfooVersion": "0.123.1"}}


def project(root: Path, files: Mapping[str, object]) -> Path:
    """Write result files (dicts as JSON, strings as text, Paths copied) under `root`."""
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copy(content, target)
        elif isinstance(content, str):
            target.write_text(content)
        else:
            target.write_text(json.dumps(content))
    return root


def policy(quality: Mapping[str, Any] | None, approved: tuple[str, ...] = ("gpt-6-luna", "claude-haiku-5-5*"),
           tasks_per_month: float | None = 300_000) -> Policy:
    use_case: dict[str, Any] = {"team": "support", "models": {"approved": list(approved)},
                                "budget": {"tasks_per_month": tasks_per_month}}
    if quality is not None:
        use_case["quality"] = dict(quality)
    return Policy.model_validate({"teams": {"support": {}}, "use_cases": {"triage": use_case, "other": {"team": "support"}}})


BAR = {"metric": "pass_rate", "min": 0.9, "evidence": ["evals/**"], "max_age_days": 90}


def verdicts(report: EvidenceReport) -> dict[str, tuple[str, float | None, int | None]]:
    (use_case,) = report.use_cases
    return {m.model: (m.verdict, None if m.score is None else round(m.score, 4), m.age_days) for m in use_case.models}


# --- verdicts ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("files", "bar", "expected"), [
    pytest.param(
        {"evals/a.json": promptfoo_output({"openai:chat:gpt-6-luna": (95, 4, 1), "anthropic:messages:claude-haiku-5-5": (85, 15, 0)})},
        BAR, {"gpt-6-luna": ("meets", 0.95, 8), "claude-haiku-5-5": ("below", 0.85, 8)},
        id="meets-and-below"),
    pytest.param(
        {"evals/a.json": promptfoo_output({"openai:gpt-6-luna": (95, 5, 0)}, "2026-05-01T00:00:00Z")},
        BAR, {"gpt-6-luna": ("stale", 0.95, 211), "claude-haiku-5-5": ("missing", None, None)},
        id="stale-and-missing"),
    pytest.param(
        {"evals/old.json": promptfoo_output({"openai:gpt-6-luna": (95, 5, 0)}, "2026-05-01T00:00:00Z"),
         "evals/new.json": promptfoo_output({"openai:gpt-6-luna": (80, 20, 0)})},
        BAR, {"gpt-6-luna": ("stale", 0.95, 211), "claude-haiku-5-5": ("missing", None, None)},
        id="only-an-old-result-meets"),
    pytest.param(
        {"evals/a.json": promptfoo_output({"openai:gpt-6-luna": (91, 9, 0)}),
         "evals/b.json": promptfoo_output({"openai:gpt-6-luna": (96, 4, 0)}, "2026-11-01T00:00:00Z")},
        BAR, {"gpt-6-luna": ("meets", 0.96, 27), "claude-haiku-5-5": ("missing", None, None)},
        id="best-current-result"),
    pytest.param(
        {"evals/a.json": promptfoo_output({"openai:gpt-6-luna": (95, 5, 0)}, timestamp=None)},
        BAR, {"gpt-6-luna": ("undated", 0.95, None), "claude-haiku-5-5": ("missing", None, None)},
        id="undated-with-max-age"),
    pytest.param(
        {"evals/a.json": promptfoo_output({"openai:gpt-6-luna": (95, 5, 0)}, timestamp=None)},
        {**BAR, "max_age_days": None}, {"gpt-6-luna": ("meets", 0.95, None), "claude-haiku-5-5": ("missing", None, None)},
        id="undated-without-max-age"),
    pytest.param(
        {"evals/a.json": promptfoo_output({"openai:gpt-6-luna": (90, 10, 0)})},
        BAR, {"gpt-6-luna": ("meets", 0.9, 8), "claude-haiku-5-5": ("missing", None, None)},
        id="at-the-bar-meets"),
    pytest.param(
        {"evals/a.json": promptfoo_output({"openai:gpt-6-luna": (50, 50, 0)}, named={"openai:gpt-6-luna": {"accuracy": 0.93}}),
         "evals/run.json": FIXTURES / "inspect-v2.json"},
        {**BAR, "metric": "accuracy"}, {"gpt-6-luna": ("meets", 0.944, 39), "claude-haiku-5-5": ("missing", None, None)},
        id="named-score-and-inspect-metric-by-name"),
    pytest.param(
        {"evals/run.json": FIXTURES / "inspect-v2.json"},
        {**BAR, "metric": "match/accuracy"}, {"gpt-6-luna": ("meets", 0.944, 39), "claude-haiku-5-5": ("missing", None, None)},
        id="scorer-qualified-metric"),
])
def test_verdicts(tmp_path: Path, files: Mapping[str, object], bar: Mapping[str, Any],
                  expected: Mapping[str, tuple[str, float | None, int | None]]) -> None:
    report = collect_evidence(project(tmp_path, files), policy(bar, approved=("claude-haiku-5-5*",)), TODAY)
    assert verdicts(report) == expected


def test_models_are_evaluated_approved_or_used(tmp_path: Path) -> None:
    root = project(tmp_path, {"evals/a.json": promptfoo_output({"openai:gpt-6-sol": (97, 3, 0), "openai:gpt-7-nova": (99, 1, 0)})})
    report = collect_evidence(root, policy(BAR, approved=("gpt-6-luna", "claude-haiku-5-5*", "acme-ft-*")), TODAY,
                              used_models={"triage": ["openai/gpt-6-luna-2026-09-22"]})
    (use_case,) = report.use_cases
    assert {m.model: (m.approved, m.used, m.verdict) for m in use_case.models} == {
        "acme-ft-*": (True, False, "missing"),  # an approved pattern naming no catalog model stands for itself
        "claude-haiku-5-5": (True, False, "missing"),  # `claude-haiku-5-5*` expands to catalog ids
        "gpt-6-luna": (True, True, "missing"),  # a used spelling is canonicalised through the catalog
        "gpt-6-sol": (False, False, "meets"),
        "gpt-7-nova": (False, False, "meets"),  # not in the catalog: its own name
    }
    assert [u.use_case for u in report.use_cases] == ["triage"]  # use cases without `quality` are not listed
    assert canonical_model("openai/gpt-6-luna-2026-09-22") == "gpt-6-luna"


def test_cheapest_model_meeting_the_bar_is_marked_and_ties_are_all_marked(tmp_path: Path) -> None:
    root = project(tmp_path, {"evals/a.json": promptfoo_output({
        "openai:gpt-6-luna": (93, 7, 0), "anthropic:claude-haiku-5-5": (91, 9, 0), "openai:gpt-6-sol": (97, 3, 0),
        "openai:gpt-5.6-luna": (80, 20, 0)})})
    costs = {"gpt-6-luna": 0.000195, "claude-haiku-5-5": 0.000195, "gpt-6-sol": 0.0039, "gpt-5.6-luna": 0.0001}
    report = collect_evidence(root, policy(BAR), TODAY, cost_per_task=lambda uc, m: costs.get(m))
    (use_case,) = report.use_cases
    assert use_case.cheapest == ("claude-haiku-5-5", "gpt-6-luna")  # gpt-5.6-luna is cheaper but below the bar
    assert use_case.get("gpt-6-sol") is not None and use_case.get("gpt-6-sol").cost_per_task_usd == 0.0039  # type: ignore[union-attr]


# --- finding files ---------------------------------------------------------------------------------------------

def test_evidence_patterns_use_gitignore_semantics_and_skip_non_result_files(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "evals/triage/a.json": promptfoo_output({"openai:gpt-6-luna": (95, 5, 0)}),
        "evals/triage/old/b.json": promptfoo_output({"openai:gpt-6-luna": (99, 1, 0)}),
        "evals/triage/README.md": "# notes",
        "evals/summary/c.json": promptfoo_output({"openai:gpt-6-luna": (99, 1, 0)}),
        "node_modules/x/evals/triage/d.json": promptfoo_output({"openai:gpt-6-luna": (99, 1, 0)}),
    })
    report = collect_evidence(root, policy({**BAR, "evidence": ["evals/triage/", "!evals/triage/old/"]}), TODAY)
    (use_case,) = report.use_cases
    assert use_case.files == ("evals/triage/a.json",)
    assert [f.file for f in report.files] == ["evals/triage/a.json"]


def test_a_bad_file_is_a_problem_and_the_others_still_count(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "evals/good.json": promptfoo_output({"openai:gpt-6-luna": (95, 5, 0)}),
        "evals/partial.json": FIXTURES / "promptfoo-partial.json",
        "evals/broken.json": FIXTURES / "promptfoo-truncated.json",
    })
    report = collect_evidence(root, policy(BAR), TODAY)
    assert [p.file for p in report.problems] == ["evals/broken.json", "evals/partial.json"]
    assert str(report.problems[1]).startswith("evals/partial.json: results.prompts[1].metrics.testPassCount is missing")
    assert verdicts(report)["gpt-6-luna"][0] == "meets"


@pytest.mark.parametrize(("files", "bar", "note"), [
    ({}, BAR, "no result file (.json, .jsonl, .eval) matches quality.evidence (evals/**)"),
    ({"evals/a.json": promptfoo_output({"openai:gpt-6-luna": (95, 5, 0)})}, {**BAR, "metric": "acuracy"},
     "no result in evals/** reports metric 'acuracy'; they report: pass_rate, score"),
    ({"evals/run.json": "two-scorers"}, {**BAR, "metric": "accuracy"},
     "evals/run.json: metric 'accuracy' of openai/gpt-6-luna comes from scorers match, model_graded; name one in "
     "quality.metric, e.g. 'match/accuracy'"),
    ({"evals/run.json": "out-of-range"}, {**BAR, "metric": "accuracy"},
     "evals/run.json: accuracy of openai/gpt-6-luna is 7.5, not a fraction in 0..1, so it can't be compared with "
     "quality.min; use a metric on a 0..1 scale"),
])
def test_notes_say_why_evidence_was_not_used(tmp_path: Path, files: dict[str, object], bar: Mapping[str, Any],
                                             note: str) -> None:
    log = json.loads((FIXTURES / "inspect-v2.json").read_text())
    for name, content in list(files.items()):
        if content == "two-scorers":
            second = json.loads(json.dumps(log["results"]["scores"][0]))
            second["name"] = second["scorer"] = "model_graded"
            log["results"]["scores"].append(second)
            files[name] = log
        elif content == "out-of-range":
            log["results"]["scores"][0]["metrics"]["accuracy"]["value"] = 7.5
            files[name] = log
    report = collect_evidence(project(tmp_path, files), policy(bar), TODAY)
    assert report.use_cases[0].notes == (note,)
    assert verdicts(report)["gpt-6-luna"][0] == "missing"


def test_results_naming_no_model_are_kept_aside(tmp_path: Path) -> None:
    root = project(tmp_path, {"evals/a.json": promptfoo_output({"python:providers/triage.py": (95, 5, 0),
                                                                "openai:gpt-6-luna": (95, 5, 0)})})
    (use_case,) = collect_evidence(root, policy(BAR), TODAY).use_cases
    assert {r.model.raw for r in use_case.unidentified} == {"python:providers/triage.py"}


# --- OBH206 and OBH207 facts -----------------------------------------------------------------------------------

def _triage(tmp_path: Path, **kwargs: Any) -> UseCaseEvidence:
    root = project(tmp_path, {
        "evals/a.json": promptfoo_output({"openai:chat:gpt-6-luna": (93, 6, 1), "anthropic:messages:claude-haiku-5-5": (85, 15, 0),
                                          "openai:chat:gpt-6-sol": (97, 3, 0)}),
        "evals/old.json": promptfoo_output({"openai:gpt-6.1-terra": (95, 5, 0)}, "2026-03-01T00:00:00Z"),
    })
    costs = {"gpt-6-luna": 0.000195, "claude-haiku-5-5": 0.000195, "gpt-6-sol": 0.0039, "gpt-6.1-terra": 0.00195}
    report = collect_evidence(root, policy(BAR, approved=("gpt-6-luna", "claude-haiku-5-5*", "gpt-6.1-terra", "gpt-5.6-luna"),
                                           **kwargs),
                              TODAY, cost_per_task=lambda uc, m: costs.get(m),
                              used_models={"triage": ["gpt-6-sol", "gpt-6-luna"]})
    return report.use_cases[0]


def test_unevaluated_model_facts(tmp_path: Path) -> None:
    use_case = _triage(tmp_path)
    report = EvidenceReport(TODAY, (use_case,), ())
    facts = {f.model: f for f in unevaluated_models(report)}
    assert sorted(facts) == ["claude-haiku-5-5", "gpt-5.6-luna", "gpt-6.1-terra"]  # gpt-6-sol is used and meets the bar
    assert facts["claude-haiku-5-5"].message == (
        "model 'claude-haiku-5-5' scores 0.85 pass_rate in evals/a.json (promptfoo, 100 samples, 2026-11-20), below the "
        "bar of 0.9 of use case 'triage'; use a model that meets it, or improve the prompt and re-evaluate")
    assert facts["gpt-5.6-luna"].message == (
        "model 'gpt-5.6-luna' has no evaluation result for use case 'triage', which requires pass_rate >= 0.9 "
        "(quality.evidence: evals/**); evaluate it and commit the result file")
    assert facts["gpt-6.1-terra"].message == (
        "the newest result of model 'gpt-6.1-terra' that meets the bar (pass_rate 0.95; evals/old.json, promptfoo, "
        "100 samples, 2026-03-01) is 272 days old; use case 'triage' accepts results up to 90 days old; re-run the evaluation")
    assert facts["gpt-6.1-terra"].verdict == "stale" and facts["gpt-5.6-luna"].evidence is None
    assert unevaluated_model(use_case, "gpt-6-luna") is None
    unknown = unevaluated_model(use_case, "gpt-4.1")  # used, but the collector was not told: no evidence
    assert unknown is not None and unknown.verdict == "missing"


def test_cheaper_model_fact_gives_dollars_per_month_and_the_evidence(tmp_path: Path) -> None:
    use_case = _triage(tmp_path)
    fact = cheaper_model(use_case, "gpt-6-sol")
    assert fact is not None
    assert (fact.cheaper_model, fact.used_cost_per_task_usd, fact.cheaper_cost_per_task_usd) == ("gpt-6-luna", 0.0039, 0.000195)
    assert fact.monthly_difference_usd == pytest.approx((0.0039 - 0.000195) * 300_000)
    assert fact.message == (
        "'gpt-6-luna' meets the quality bar of use case 'triage' (pass_rate 0.93 >= 0.9; evidence: evals/a.json, "
        "promptfoo, 100 samples, 2026-11-20) at $0.000195 per task, against $0.0039 for 'gpt-6-sol': "
        "$1,111.50/month less at 300,000 tasks/month")
    assert fact.evidence.file == "evals/a.json"
    assert cheaper_model(use_case, "gpt-6-luna") is None  # already the cheapest meeting the bar
    assert cheaper_model(use_case, "gpt-4.1") is None  # not priced: no comparison
    assert [f.used_model for f in cheaper_models(EvidenceReport(TODAY, (use_case,), ()))] == ["gpt-6-sol"]


def test_cheaper_model_without_volume_says_what_is_missing(tmp_path: Path) -> None:
    fact = cheaper_model(_triage(tmp_path, tasks_per_month=None), "gpt-6-sol")
    assert fact is not None and fact.monthly_difference_usd is None
    assert fact.message.endswith("against $0.0039 for 'gpt-6-sol': set budget.tasks_per_month to see the difference per month")


# --- the policy model and the example application ---------------------------------------------------------------

def test_quality_bar_is_validated_with_positions() -> None:
    text = textwrap.dedent("""\
        version: 1
        use_cases:
          triage:
            latency: batch
            quality:
              metric: accuracy
              min: 92
              evidence: []
    """)
    with pytest.raises(PolicyLoadError) as raised:
        load_policy_text(text, "p.yaml")
    assert [str(e) for e in raised.value.errors] == [
        "p.yaml:4:14: use_cases.triage.latency: expected \"interactive\" | \"offline\" or null, got string 'batch'",
        "p.yaml:7:12: use_cases.triage.quality.min: 92 is greater than the maximum of 1",
        "p.yaml:8:17: use_cases.triage.quality.evidence: [] should be non-empty",
    ]


def test_example_application_evidence(tmp_path: Path) -> None:
    document = yaml.safe_load((REPO / "examples" / "oberhahn-policy.yaml").read_text())
    document["use_cases"]["ticket-triage"]["quality"] = {"metric": "accuracy", "min": 0.9,
                                                         "evidence": ["evals/triage/**"], "max_age_days": 90}
    costs = {"gpt-6-luna": 0.000195, "claude-haiku-5-5": 0.000195, "gpt-6-sol": 0.0039}
    report = collect_evidence(REPO / "examples", Policy.model_validate(document), TODAY,
                              cost_per_task=lambda uc, m: costs.get(m),
                              used_models={"ticket-triage": ["gpt-6-luna", "gpt-6-sol"]})
    assert report.problems == ()
    (triage,) = report.use_cases
    assert {m.model: (m.verdict, round(m.score or 0, 4), m.samples, m.file, m.age_days) for m in triage.models} == {
        "claude-haiku-5-5": ("meets", 0.9125, 400, "evals/triage/inspect-haiku-log.json", 4),
        "gpt-6-luna": ("meets", 0.9328, 120, "evals/triage/promptfoo-results.json", 10),
        "gpt-6-sol": ("meets", 0.9748, 120, "evals/triage/promptfoo-results.json", 10),
    }
    assert triage.get("claude-haiku-5-5").results[1].score == pytest.approx(106 / 120)  # type: ignore[union-attr]
    (saving,) = cheaper_models(report)
    assert (saving.used_model, saving.cheaper_model) == ("gpt-6-sol", "gpt-6-luna")
    assert saving.monthly_difference_usd == pytest.approx(1111.5)
