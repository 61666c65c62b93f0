"""`oberhahn-policy usage` end to end on the example application and its traces (examples/usage/), in process.

Golden files live in tests/golden/usage/ (see tests/golden.py); the HTML charts are read back with
html.parser and checked against the JSON document they are drawn from.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
import yaml
from golden import GOLDEN, assert_golden, golden_name
from helpers import REPO, run_cli

from oberhahn_policy.api import json_schemas

EXAMPLES = REPO / "examples"
TRACES = "examples/usage/traces.jsonl"
EXAMPLE = ("--policy", "examples/oberhahn-policy.yaml", "--today", "2026-11-28", "--no-cache")
FORMATS = ["text", "json", "markdown", "sarif", "github", "html"]


def usage(*args: str, cwd: Path = REPO) -> tuple[int, str, str]:
    result = run_cli("usage", *args, cwd=cwd)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def example_json() -> dict[str, object]:
    code, out, err = usage(TRACES, *EXAMPLE, "--format", "json")
    assert code == 1, err
    return json.loads(out)  # type: ignore[no-any-return]


@pytest.mark.parametrize("fmt", FORMATS)
def test_usage_golden(fmt: str) -> None:
    code, out, err = usage(TRACES, *EXAMPLE, "--format", fmt)
    assert (code, err) == (1, ""), err  # OBH605: gpt-6-sol in ticket-triage's traffic
    assert_golden(golden_name("usage", "examples", fmt), out)


def test_usage_json_matches_its_schema(example_json: dict[str, object]) -> None:
    jsonschema.validate(example_json, json_schemas()["usage"])


def _row(document: dict[str, object], name: str | None) -> dict[str, object]:
    rows = [*document["use_cases"], *document["undeclared"], document["unattributed"]]  # type: ignore[misc]
    return next(r for r in rows if r["name"] == name)


def test_drift_on_the_example_worked_by_hand(example_json: dict[str, object]) -> None:
    """kb-answer in examples/usage/traces.jsonl: ten questions over five days, each an embedding and an answer.

    Embedding: 60 tokens x $0.02/M = $0.0000012. Answer on gpt-6.1-terra ($1/M in, $5/M out): on the 23rd and
    24th 3,000 in and 300 out = $0.0045 (4 tasks), from the 25th 9,000 in and 450 out = $0.01125 (6 tasks).
    Spend: 4 x $0.0045012 + 6 x $0.0112512 = $0.085512 over 10 tasks = $0.0085512 per task.
    Projected from the code: gpt-6.1-terra 3,000 x $1/M + 300 x $5/M = $0.0045, the embedding 3,000 x $0.02/M =
    $0.00006: $0.00456. Drift: (0.0085512 - 0.00456) / 0.00456 x 100 = 87.526%.
    """
    kb = _row(example_json, "kb-answer")
    assert (kb["calls"], kb["tasks"], kb["input_tokens"], kb["output_tokens"]) == (20, 10, 66_600, 3_900)
    assert kb["spend_usd"] == pytest.approx(0.085512)
    assert kb["cost_per_task_usd"] == pytest.approx(0.0085512)
    assert kb["projected_cost_per_task_usd"] == pytest.approx(0.00456)
    assert kb["drift_pct"] == pytest.approx((0.0085512 - 0.00456) / 0.00456 * 100) == pytest.approx(87.526, abs=1e-3)
    # the embedding spans carry no use case: their file is under kb-answer's paths
    assert [m["model"] for m in kb["models"]] == ["gpt-6.1-terra", "text-embedding-3-small"]  # type: ignore[index]
    days = [(d["day"], d["tasks"], d["cost_per_task_usd"]) for d in kb["days"]]  # type: ignore[index]
    assert days == [("2026-11-23", 2, pytest.approx(0.0045012)), ("2026-11-24", 2, pytest.approx(0.0045012)),
                    ("2026-11-25", 2, pytest.approx(0.0112512)), ("2026-11-26", 2, pytest.approx(0.0112512)),
                    ("2026-11-27", 2, pytest.approx(0.0112512))]


def test_unattributed_spend_on_the_example(example_json: dict[str, object]) -> None:
    """Three backlog escalations without baggage (gpt-6-sol, 1,400 in and 380 out: $0.0066 each): $0.0198. (The nightly
    digests carry no baggage either, but they name their call site, which the policy maps to ticket-digest.)"""
    rest = _row(example_json, None)
    assert (rest["calls"], rest["unpriced_calls"], rest["complete"]) == (3, 0, True)
    assert rest["spend_usd"] == pytest.approx(3 * (1400 * 2 + 380 * 10) / 1e6)
    summary = example_json["summary"]
    assert summary["unattributed_share_pct"] == pytest.approx(  # type: ignore[index]
        rest["spend_usd"] / summary["spend_usd"] * 100, abs=1e-4)  # type: ignore[index, operator]
    assert summary["unpriced_models"] == []  # type: ignore[index]


def test_findings_point_at_the_call_the_records_name(example_json: dict[str, object]) -> None:
    (finding,) = [f for f in example_json["findings"] if f["code"] == "OBH605"]  # type: ignore[attr-defined, index]
    assert (finding["code"], finding["path"], finding["line"], finding["column"]) == (
        "OBH605", "examples/helpdesk/triage.py", 52, 16)  # the escalation note's call, as `check` finds it
    assert finding["fingerprint"]
    # the others are about the policy: its thresholds are where they point
    assert sorted((f["code"], f["path"]) for f in example_json["findings"] if f["code"] != "OBH605") == [  # type: ignore[attr-defined, index]
        ("OBH601", "examples/oberhahn-policy.yaml"), ("OBH603", "examples/oberhahn-policy.yaml")]


# --- exit codes, read problems, windows ---------------------------------------------------------------


def _project(tmp_path: Path, policy: str) -> str:
    """A copy of the example application under `policy`; returns the policy file's path."""
    shutil.copytree(EXAMPLES / "helpdesk", tmp_path / "helpdesk")
    (tmp_path / "oberhahn-policy.yaml").write_text(policy, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    return str(tmp_path / "oberhahn-policy.yaml")


#: The example policy: a drift tolerance for kb-answer and a ceiling on unattributed spend.
THRESHOLDS = (EXAMPLES / "oberhahn-policy.yaml").read_text(encoding="utf-8")
#: The same without the two thresholds: observed usage then gates only on what the policy approves.
NO_THRESHOLDS = "\n".join(line for line in THRESHOLDS.splitlines()
                          if "max_drift_pct" not in line and "max_unattributed_pct" not in line) + "\n"


def test_thresholds_gate_the_run(tmp_path: Path) -> None:
    """With the example's use cases given a drift tolerance and an unattributed share, OBH601 and OBH603 fire."""
    assert "max_drift_pct: 25" in THRESHOLDS and "max_unattributed_pct: 5" in THRESHOLDS
    policy = _project(tmp_path, THRESHOLDS)
    code, out, err = usage(str(REPO / TRACES), "--policy", policy, "--today", "2026-11-28", "--no-cache",
                           "--format", "json", cwd=tmp_path)
    assert code == 1, err
    found = {(f["code"], f["path"], f["line"]) for f in json.loads(out)["findings"]}
    lines = THRESHOLDS.splitlines()
    assert found == {("OBH601", "oberhahn-policy.yaml", lines.index("      max_drift_pct: 25") + 1),
                     ("OBH603", "oberhahn-policy.yaml", lines.index("  max_unattributed_pct: 5") + 1),
                     ("OBH605", "helpdesk/triage.py", 52)}


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1)])
def test_severities_from_the_policy_and_fail_on(tmp_path: Path, fail_on: str, code: int) -> None:
    policy = _project(tmp_path, THRESHOLDS + "".join(f"  {c}: {{severity: warning}}\n" for c in ("OBH601", "OBH603",
                                                                                                     "OBH605")))
    result = usage(str(REPO / TRACES), "--policy", policy, "--no-cache", "--fail-on", fail_on, cwd=tmp_path)
    assert result[0] == code, result[2]
    assert "Found 3 findings (0 error, 3 warning, 0 info" in result[1]


def test_clean_run_exits_0(tmp_path: Path) -> None:
    traces = tmp_path / "t.jsonl"
    kept = [line for line in (REPO / TRACES).read_text(encoding="utf-8").splitlines() if "gpt-6-sol\"" not in line]
    traces.write_text("\n".join(kept) + "\n", encoding="utf-8")
    policy = _project(tmp_path / "project", NO_THRESHOLDS)
    code, out, err = usage(str(traces), "--policy", policy, "--today", "2026-11-28", "--no-cache", cwd=tmp_path)
    assert (code, err) == (0, ""), out
    assert out.endswith("No findings.\n")


def test_bad_lines_are_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    lines = (REPO / TRACES).read_text(encoding="utf-8").splitlines()
    broken = [lines[0], lines[1][:200], "not json at all", *lines[2:]]
    traces = tmp_path / "traces.jsonl.gz"
    traces.write_bytes(gzip.compress(("\n".join(broken) + "\n").encode()))
    code, out, err = usage(str(traces), *EXAMPLE, "--format", "json", cwd=REPO)
    assert code == 1
    assert re.findall(r"^(.*traces\.jsonl\.gz):(\d+): ", err, re.MULTILINE) == [(str(traces), "2"), (str(traces), "3")]
    document = json.loads(out)
    assert document["summary"]["records_read"] == 45 - 1  # the truncated line held one span
    assert [(p["line"]) for p in document["problems"]] == [2, 3]


def test_a_missing_file_is_exit_2_before_anything_is_read(tmp_path: Path) -> None:
    code, out, err = usage(TRACES, str(tmp_path / "absent.jsonl"), *EXAMPLE)
    assert (code, out) == (2, "")
    assert err == f"oberhahn-policy: no such file or directory: {tmp_path / 'absent.jsonl'}\n"


def test_an_unreadable_file_is_exit_2_and_the_rest_is_reported(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("these are not usage records\n", encoding="utf-8")
    code, out, err = usage(TRACES, str(other), *EXAMPLE)
    assert code == 2
    assert f"{other}: not a recognised usage file" in err
    assert err.rstrip().endswith(f"oberhahn-policy: {other}: could not be read at all (see above); the report "
                                 "covers the rest")
    assert "45 records from 2 files" in out


def test_a_directory_is_read_whole_and_its_other_files_do_not_fail_the_run() -> None:
    """examples/usage/ holds the traces and a README: the README is reported, not fatal (it was not named)."""
    code, out, err = usage("examples/usage", *EXAMPLE, "--format", "json")
    assert code == 1  # OBH605, as for the file alone
    assert err.startswith("examples/usage/README.md: not a recognised usage file")
    document = json.loads(out)
    assert [(f["file"], f["source"], f["records"]) for f in document["files"]] == [
        ("examples/usage/README.md", None, 0), ("examples/usage/traces.jsonl", "otlp", 45)]


@pytest.mark.parametrize(("since", "until", "calls"), [
    ("2026-11-25", None, 28),
    (None, "2026-11-24", 17),
    ("2026-11-26", "2026-11-26", 12),
    ("2026-11-26T12:00:00Z", "2026-11-26T23:59:59", 5),  # 14:40 triage and escalation, 16:21 kb, 17:05 summary
])
def test_window(since: str | None, until: str | None, calls: int) -> None:
    args = [*(("--since", since) if since else ()), *(("--until", until) if until else ())]
    code, out, _ = usage(TRACES, *EXAMPLE, "--format", "json", *args)
    document = json.loads(out)
    assert code == (1 if document["findings"] else 0)
    assert document["summary"]["calls"] == calls
    assert document["summary"]["records_outside_window"] == 45 - calls


def test_a_bad_date_is_exit_2() -> None:
    code, out, err = usage(TRACES, *EXAMPLE, "--since", "last tuesday")
    assert (code, out) == (2, "")
    assert "--since expects a date as YYYY-MM-DD" in err


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "usage.html"
    code, out, _ = usage(TRACES, *EXAMPLE, "--format", "html", "--output", str(target))
    assert (code, out) == (1, "")
    assert target.read_text(encoding="utf-8") == (GOLDEN / "usage" / "examples.html.html").read_text(encoding="utf-8")


# --- the charts hold the JSON's numbers ---------------------------------------------------------------


class _Charts(HTMLParser):
    """Every SVG chart of a page: its attributes, and the attributes of the elements inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[tuple[dict[str, str | None], list[tuple[str, dict[str, str | None]]]]] = []
        self.inside = False
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        self.links += [v or "" for k, v in attrs if k in ("src", "href")]
        if tag == "svg":
            self.charts.append((values, []))
            self.inside = True
        elif self.inside:
            self.charts[-1][1].append((tag, values))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.inside = False


def _parse(page: str) -> _Charts:
    parser = _Charts()
    parser.feed(page)
    parser.close()
    assert "script" not in parser.tags and parser.links == [], "a self-contained page loads nothing"
    return parser


def _chart(parser: _Charts, name: str, subject: str | None = None) -> list[tuple[str, dict[str, str | None]]]:
    (elements,) = [e for a, e in parser.charts if a.get("data-chart") == name
                   and (subject is None or a.get("data-subject") == subject)]
    return elements


def _values(elements: list[tuple[str, dict[str, str | None]]], key: str, tag: str = "rect") -> dict[str, object]:
    return {str(a[key]): json.loads(str(a["data-value"])) for t, a in elements if t == tag and key in a}


def test_usage_html_charts_hold_the_json_figures(example_json: dict[str, object]) -> None:
    parser = _parse((GOLDEN / "usage" / "examples.html.html").read_text(encoding="utf-8"))
    rows = [*example_json["use_cases"], *example_json["undeclared"]]  # type: ignore[misc]
    charted = {a.get("data-subject") for a, _ in parser.charts if a.get("data-chart") == "cost-per-task"}
    assert charted == {r["name"] for r in rows if any(d["cost_per_task_usd"] is not None for d in r["days"])}
    for row in rows:
        if row["name"] not in charted:
            continue
        elements = _chart(parser, "cost-per-task", row["name"])
        assert _values(elements, "data-day", "circle") == {d["day"]: d["cost_per_task_usd"] for d in row["days"]
                                                           if d["cost_per_task_usd"] is not None}
        references = {str(a["data-reference"]): json.loads(str(a["data-value"])) for t, a in elements
                      if t == "line" and "data-reference" in a}
        expected = {"projected": row["projected_cost_per_task_usd"], "limit": row["max_cost_per_task_usd"]}
        assert references == {k: v for k, v in expected.items() if v is not None}
    teams = _values(_chart(parser, "spend-by-team"), "data-label")
    assert teams == {t["name"] or "(none)": t["spend_usd"] for t in example_json["teams"]}  # type: ignore[attr-defined]
    share = _values(_chart(parser, "unattributed-share"), "data-label")
    summary = example_json["summary"]
    assert share["unattributed"] == summary["unattributed_usd"]  # type: ignore[index]
    assert share["attributed"] == pytest.approx(summary["spend_usd"] - summary["unattributed_usd"])  # type: ignore[index, operator]


def test_cost_html_charts_hold_the_json_figures() -> None:
    code, page, err = usage_cost("html")
    assert code == 0, err
    _, document_text, _ = usage_cost("json")
    document = json.loads(document_text)
    parser = _parse(page)
    monthly = _chart(parser, "projected-monthly")
    expected = {u["name"]: u["projected_monthly_usd"] for u in document["use_cases"] if u["projected_monthly_usd"] is not None}
    assert _values(monthly, "data-label") == expected
    budgets = {str(a["data-label"]): json.loads(str(a["data-marker"])) for t, a in monthly if "data-marker" in a}
    assert budgets == {u["name"]: u["budget_monthly_usd"] for u in document["use_cases"]
                       if u["projected_monthly_usd"] is not None and u["budget_monthly_usd"] is not None}
    assert _values(_chart(parser, "cost-per-task"), "data-label") == {
        u["name"]: u["cost_per_task_usd"] for u in document["use_cases"] if u["call_sites"]}
    assert _values(_chart(parser, "team-monthly"), "data-label") == {
        t["name"]: t["projected_monthly_usd"] for t in document["teams"]}


def usage_cost(fmt: str) -> tuple[int, str, str]:
    result = run_cli("cost", "examples", "--today", "2026-11-28", "--no-cache", "--format", fmt, cwd=REPO)
    return result.exit_code, result.stdout, result.stderr


# --- the README's scheduled jobs ----------------------------------------------------------------------


def _readme_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("### Reconcile with observed usage")
    end = text.index("\n### ", start + 1)
    return text[start:end]


def test_readme_scheduled_jobs_run_usage_on_a_schedule() -> None:
    blocks = [yaml.safe_load(b) for b in re.findall(r"^```yaml\n(.*?)^```", _readme_section(), re.MULTILINE | re.DOTALL)]
    github = next(b for b in blocks if "jobs" in b)
    assert github[True]["schedule"][0]["cron"]  # YAML 1.1 reads the key `on` as True
    (job,) = github["jobs"].values()
    runs = [s.get("run", "") for s in job["steps"]]
    gate = runs[-1]
    assert gate.startswith("oberhahn-policy usage ") and "||" not in gate, "the last step gates"
    assert all(r.rstrip().endswith("|| [ $? -eq 1 ]") for r in runs[:-1] if "oberhahn-policy usage" in r)
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    sarif = next(r for r in runs if "--format sarif" in r)
    assert upload["with"]["sarif_file"] in sarif
    gitlab = next(b for b in blocks if "jobs" not in b)
    (gitlab_job,) = gitlab.values()
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in gitlab_job["rules"]
    assert gitlab_job["script"][-1].startswith("oberhahn-policy usage ")
