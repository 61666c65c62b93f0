"""`evidence`, `validate` and OBH206 on projects the tests write: bad result files, approvals nobody evaluated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from helpers import check_project, run_cli, write_project

FIXTURES = Path(__file__).parent / "fixtures" / "evidence"

POLICY = """\
version: 1
attribution:
  required: []
use_cases:
  triage:
    paths: ["app/**"]
    models:
      approved:
        - gpt-6-luna
        - claude-haiku-5-5*
    budget: {tasks_per_month: 1000, avg_input_tokens: 1000, avg_output_tokens: 100}
    quality: {metric: pass_rate, min: 0.9, evidence: ["evals/**"]}
"""

APP = {"app/triage.py": """\
    from openai import OpenAI

    client = OpenAI()
    client.chat.completions.create(model="gpt-6-luna", max_completion_tokens=50, messages=[])
"""}


def _project(tmp_path: Path, *evals: str) -> Path:
    """The app, its policy, and result files copied from tests/fixtures/evidence (see the README there)."""
    root = write_project(tmp_path / "p", APP, POLICY)
    (root / "evals").mkdir()
    for name in evals:
        shutil.copy(FIXTURES / name, root / "evals" / name)
    return root


def test_validate_prints_result_file_problems_and_exits_2(tmp_path: Path) -> None:
    root = _project(tmp_path, "promptfoo-v3.json", "promptfoo-partial.json", "promptfoo-truncated.json")
    result = run_cli("validate", cwd=root)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == ["evals/promptfoo-partial.json", "evals/promptfoo-truncated.json"]
    assert lines[0].startswith("evals/promptfoo-partial.json: results.prompts[1].metrics.testPassCount is missing")
    assert "Traceback" not in result.stderr
    # from elsewhere, the files are named from the working directory
    outside = run_cli("validate", str(root / "oberhahn-policy.yaml"), cwd=tmp_path)
    assert outside.exit_code == 2 and outside.stderr.startswith("p/evals/promptfoo-partial.json: ")


def test_validate_is_clean_with_good_result_files(tmp_path: Path) -> None:
    result = run_cli("validate", cwd=_project(tmp_path, "promptfoo-v3.json"))
    assert result.exit_code == 0, result.stderr


def test_evidence_reads_on_past_a_bad_file_and_lists_it(tmp_path: Path) -> None:
    root = _project(tmp_path, "promptfoo-v3.json", "promptfoo-truncated.json")
    result = run_cli("evidence", "--no-cache", "--today", "2026-11-28", "--format", "json", cwd=root)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [p["file"] for p in document["problems"]] == ["evals/promptfoo-truncated.json"]
    (triage,) = document["use_cases"]
    assert triage["files"] == ["evals/promptfoo-truncated.json", "evals/promptfoo-v3.json"]
    assert any(m["verdict"] == "meets" for m in triage["models"])
    text = run_cli("evidence", "--no-cache", "--today", "2026-11-28", cwd=root).stdout
    assert "Result files that could not be (fully) read:\n  evals/promptfoo-truncated.json:" in text


def test_evidence_without_quality_bars_says_so(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", APP, "version: 1\n")
    result = run_cli("evidence", "--no-cache", cwd=root)
    assert result.exit_code == 0 and "No use case declares a quality bar" in result.stdout


def test_an_approved_model_nobody_evaluated_is_reported_at_its_approval(tmp_path: Path) -> None:
    """gpt-6-luna is used and meets the bar; claude-haiku-5-5 is approved, unused and has no result."""
    root = write_project(tmp_path / "p", {**APP, "evals/run.json": json.dumps({
        "evalId": None, "config": {}, "metadata": {"promptfooVersion": "0.123.1"},
        "results": {"version": 3, "timestamp": "2026-11-20T10:00:00Z", "results": [], "prompts": [
            {"label": "t", "provider": "openai:chat:gpt-6-luna",
             "metrics": {"score": 95, "testPassCount": 95, "testFailCount": 5, "testErrorCount": 0}}]}})}, POLICY)
    found = [f for f in check_project(root).findings if f.code == "OBH206"]
    assert [(f.path, f.line, f.column) for f in found] == [("oberhahn-policy.yaml", 10, 11)]
    assert found[0].message.startswith("use_cases.triage.models.approved[1] ('claude-haiku-5-5*') approves "
                                       "'claude-haiku-5-5', but model 'claude-haiku-5-5' has no evaluation result")
    # the same finding in every format that locates findings, from a subdirectory too
    sarif = json.loads(run_cli("check", "--no-cache", "--select", "OBH206", "--format", "sarif", cwd=root / "app").stdout)
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "oberhahn-policy.yaml"


def test_a_used_model_with_unreadable_evidence_says_the_verdict_may_be_wrong(tmp_path: Path) -> None:
    root = _project(tmp_path, "promptfoo-truncated.json")
    messages = [f.message for f in check_project(root).findings if f.code == "OBH206" and f.path == "app/triage.py"]
    assert len(messages) == 1
    assert messages[0].endswith("(1 of its result files could not be fully read: evals/promptfoo-truncated.json; "
                                "`oberhahn-policy validate` says why)")
