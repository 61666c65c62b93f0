"""Evaluation result readers: promptfoo outputs and Inspect AI logs in the shapes the tools write.

Fixtures (tests/fixtures/evidence/, README there cites the versions): promptfoo 0.123.1 (`results.version` 3,
`.jsonl`) and 0.70.1 (version 2, `table`); inspect-ai 0.3.285 (EvalLog version 2, `.json` and `.eval`) and
inspect-ai before 0.3.18 (version 1).
"""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from datetime import datetime, timezone
from pathlib import Path

import pytest

from oberhahn_policy.catalog import load_catalog
from oberhahn_policy.evidence import (
    EvidenceFile,
    PassCounts,
    _inspect,
    _read,
    model_ref,
    read_evidence_file,
)

FIXTURES = Path(__file__).parent / "fixtures" / "evidence"


def _read_fixture(name: str) -> EvidenceFile:
    return read_evidence_file(FIXTURES / name, name)


def _scores(evidence: EvidenceFile) -> dict[tuple[str | None, str], float]:
    return {(r.model.model, r.metric): round(r.score, 4) for r in evidence.results}


# --- provider ids -> catalog model ids --------------------------------------------------------------------------

@pytest.mark.parametrize(("tool", "raw", "provider", "name", "catalog_id", "deployment"), [
    # promptfoo 0.123.1 provider ids: PREFIX[API:]MODEL
    ("promptfoo", "openai:gpt-6-luna", "openai", "gpt-6-luna", "gpt-6-luna", False),
    ("promptfoo", "openai:chat:gpt-6-luna", "openai", "gpt-6-luna", "gpt-6-luna", False),
    ("promptfoo", "openai:responses:gpt-6-sol", "openai", "gpt-6-sol", "gpt-6-sol", False),
    ("promptfoo", "openai:chat:gpt-6-luna-2026-09-22", "openai", "gpt-6-luna-2026-09-22", "gpt-6-luna", False),
    ("promptfoo", "openai:chat", "openai", None, None, False),  # promptfoo's default model: not in the file
    ("promptfoo", "openai:chat:gpt-7-nova", "openai", "gpt-7-nova", None, False),  # not in the catalog: kept as written
    ("promptfoo", "anthropic:messages:claude-haiku-5-5", "anthropic", "claude-haiku-5-5", "claude-haiku-5-5", False),
    ("promptfoo", "anthropic:claude-haiku-5-5", "anthropic", "claude-haiku-5-5", "claude-haiku-5-5", False),
    ("promptfoo", "bedrock:converse:anthropic.claude-sonnet-5-5", "aws-bedrock", "anthropic.claude-sonnet-5-5",
     "regional.anthropic.claude-sonnet-5-5", False),
    ("promptfoo", "bedrock:meta.llama4-scout-17b-instruct-v1:0", "aws-bedrock", "meta.llama4-scout-17b-instruct-v1:0",
     "meta.llama4-scout-17b-instruct-v1:0", False),
    ("promptfoo", "vertex:gemini-3.8-flash", "google", "gemini-3.8-flash", "gemini-3.8-flash", False),
    ("promptfoo", "vertex:chat:gemini-3.8-flash", "google", "gemini-3.8-flash", "gemini-3.8-flash", False),
    ("promptfoo", "vertex:claude-sonnet-5-5@20260101", "google", "claude-sonnet-5-5@20260101", "claude-sonnet-5-5", False),
    ("promptfoo", "google:gemini-3.8-flash", "google", "gemini-3.8-flash", "gemini-3.8-flash", False),
    ("promptfoo", "azure:chat:triage-prod", "azure-openai", "triage-prod", None, True),
    ("promptfoo", "azureopenai:chat:triage-prod", "azure-openai", "triage-prod", None, True),
    ("promptfoo", "litellm:anthropic/claude-haiku-5-5", "anthropic", "anthropic/claude-haiku-5-5", "claude-haiku-5-5", False),
    ("promptfoo", "litellm:chat:gpt-6-luna", "openai", "gpt-6-luna", "gpt-6-luna", False),
    ("promptfoo", "litellm:team-alias", "litellm", "team-alias", None, False),
    ("promptfoo", "python:providers/triage.py", None, None, None, False),
    ("promptfoo", "echo", None, None, None, False),
    # Inspect AI 0.3.285 model names: PROVIDER/[SERVICE/]MODEL
    ("inspect", "openai/gpt-6-luna", "openai", "gpt-6-luna", "gpt-6-luna", False),
    ("inspect", "anthropic/claude-haiku-5-5", "anthropic", "claude-haiku-5-5", "claude-haiku-5-5", False),
    ("inspect", "google/gemini-3.8-flash", "google", "gemini-3.8-flash", "gemini-3.8-flash", False),
    ("inspect", "google/vertex/gemini-3.8-flash", "google", "gemini-3.8-flash", "gemini-3.8-flash", False),
    ("inspect", "anthropic/bedrock/anthropic.claude-sonnet-5-5", "aws-bedrock", "anthropic.claude-sonnet-5-5",
     "regional.anthropic.claude-sonnet-5-5", False),
    ("inspect", "openai/azure/triage-prod", "azure-openai", "triage-prod", None, True),
    ("inspect", "openrouter/anthropic/claude-haiku-5-5", "other", "anthropic/claude-haiku-5-5", "claude-haiku-5-5", False),
    ("inspect", "litellm-proxy/gpt-6-luna", "openai", "gpt-6-luna", "gpt-6-luna", False),
    ("inspect", "mockllm/model", None, None, None, False),
])
def test_provider_ids_map_to_catalog_models(tool: str, raw: str, provider: str | None, name: str | None,
                                            catalog_id: str | None, deployment: bool) -> None:
    ref = model_ref(raw, tool, load_catalog())  # type: ignore[arg-type]
    assert (ref.provider, ref.name, ref.catalog_id, ref.deployment) == (provider, name, catalog_id, deployment)
    assert ref.raw == raw


# --- promptfoo -------------------------------------------------------------------------------------------------

def test_promptfoo_v3_output_gives_pass_rate_score_and_named_scores_per_provider() -> None:
    evidence = _read_fixture("promptfoo-v3.json")
    assert evidence.tool == "promptfoo" and evidence.problems == ()
    assert _scores(evidence) == {
        ("gpt-6-luna", "pass_rate"): 0.75, ("gpt-6-luna", "score"): 0.75, ("gpt-6-luna", "accuracy"): 0.75,
        # one error: pass / (pass + fail + error) = 2 / 4; accuracy averages the 3 graded tests
        ("claude-haiku-5-5", "pass_rate"): 0.5, ("claude-haiku-5-5", "score"): 0.5, ("claude-haiku-5-5", "accuracy"): 0.6667,
        # named by its label `sol-large` in results.prompts; config.providers gives the id openai:gpt-6-sol
        ("gpt-6-sol", "pass_rate"): 1.0, ("gpt-6-sol", "score"): 1.0, ("gpt-6-sol", "accuracy"): 1.0,
    }
    haiku = next(r for r in evidence.results if r.model.model == "claude-haiku-5-5" and r.metric == "pass_rate")
    assert haiku.counts == PassCounts(passed=2, failed=1, errors=1)
    assert (haiku.file, haiku.tool_version, haiku.format_version, haiku.samples, haiku.prompt, haiku.task) == (
        "promptfoo-v3.json", "0.123.1", 3, 4, "route-v2", "routing fixture")
    assert (haiku.created, haiku.created_from) == (datetime(2026, 11, 2, 8, tzinfo=timezone.utc), "results.timestamp")
    assert haiku.model.raw == "anthropic:messages:claude-haiku-5-5"
    sol = next(r for r in evidence.results if r.model.model == "gpt-6-sol")
    assert sol.model.raw == "openai:gpt-6-sol"


def test_promptfoo_jsonl_rows_give_the_same_rates_as_the_summary() -> None:
    rows = _read_fixture("promptfoo.jsonl")
    summary = _read_fixture("promptfoo-v3.json")
    assert rows.problems == ()
    wanted = {k: v for k, v in _scores(summary).items() if k[1] != "score"}
    assert _scores(rows) == wanted
    assert all(r.created is None and r.tool_version is None for r in rows.results)  # rows carry no date or version


def test_promptfoo_v2_output_reads_the_table_and_names_what_it_cannot_average() -> None:
    evidence = _read_fixture("promptfoo-v2.json")
    assert _scores(evidence) == {
        ("gpt-4o-mini", "pass_rate"): 0.7, ("gpt-4o-mini", "score"): 0.7,  # no testErrorCount before ~0.9x
        ("triage-prod", "pass_rate"): 0.9, ("triage-prod", "score"): 0.9,
    }
    deployment = next(r for r in evidence.results if r.model.name == "triage-prod")
    assert deployment.model.deployment and deployment.model.catalog_id is None
    assert {r.format_version for r in evidence.results} == {2}
    assert {r.created_from for r in evidence.results} == {"results.timestamp"}
    assert [str(p) for p in evidence.problems] == [
        "promptfoo-v2.json: results.table.head.prompts[0].metrics.namedScoresCount.accuracy is missing, so named score "
        "'accuracy' (a sum over tests) can't be averaged; promptfoo versions before namedScoresCount don't write it; "
        "re-run the eval with a current promptfoo",
    ]


@pytest.mark.parametrize(("drop", "created", "source"), [
    ((), datetime(2024, 6, 12, 10, 15, tzinfo=timezone.utc), "results.timestamp"),
    (("results.timestamp",), datetime(2024, 6, 12, 10, 15, tzinfo=timezone.utc), "evalId"),  # `eval-<ISO>` (0.70.1)
    (("results.timestamp", "evalId"), None, None),  # 0.43.1 wrote neither
])
def test_promptfoo_date_comes_from_the_file_or_is_unknown(tmp_path: Path, drop: tuple[str, ...],
                                                          created: datetime | None, source: str | None) -> None:
    document = json.loads((FIXTURES / "promptfoo-v2.json").read_text())
    for key in drop:
        if key == "evalId":
            del document["evalId"]
        else:
            del document["results"]["timestamp"]
    (tmp_path / "old.json").write_text(json.dumps(document))
    results = read_evidence_file(tmp_path / "old.json", "old.json").results
    assert {(r.created, r.created_from) for r in results} == {(created, source)}


def test_partial_promptfoo_file_names_the_missing_field_and_keeps_the_rest() -> None:
    evidence = _read_fixture("promptfoo-partial.json")
    assert [str(p) for p in evidence.problems] == [
        "promptfoo-partial.json: results.prompts[1].metrics.testPassCount is missing; write it with "
        "`promptfoo eval --output results.json` or `promptfoo export eval EVAL_ID -o results.json`",
    ]
    assert {r.model.model for r in evidence.results} == {"gpt-6-luna", "gpt-6-sol"}


def test_truncated_promptfoo_file_is_a_problem_at_its_line_and_column() -> None:
    evidence = _read_fixture("promptfoo-truncated.json")
    assert evidence.results == ()
    (problem,) = evidence.problems
    assert problem.file == "promptfoo-truncated.json" and problem.line is not None and problem.column is not None
    assert str(problem).startswith(f"promptfoo-truncated.json:{problem.line}:{problem.column}: not valid JSON (")


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d["results"].pop("prompts"),
     "results.prompts is missing (and there is no version 2 `results.table` either)"),
    (lambda d: d["results"]["prompts"][0]["metrics"].update(testFailCount="3"),
     "results.prompts[0].metrics.testFailCount should be a number, not string '3'"),
    (lambda d: d["results"]["prompts"][2].pop("metrics"), "results.prompts[2].metrics is missing"),
    (lambda d: d["results"].update(timestamp="yesterday"),
     "results.timestamp should be an ISO 8601 timestamp, not string 'yesterday'"),
])
def test_promptfoo_shape_errors_name_the_field(tmp_path: Path, edit: object, message: str) -> None:
    document = json.loads((FIXTURES / "promptfoo-v3.json").read_text())
    edit(document)  # type: ignore[operator]
    (tmp_path / "r.json").write_text(json.dumps(document))
    problems = [str(p) for p in read_evidence_file(tmp_path / "r.json", "r.json").problems]
    assert problems == [f"r.json: {message}; write it with `promptfoo eval --output results.json` or "
                        "`promptfoo export eval EVAL_ID -o results.json`"]


def test_bad_jsonl_lines_are_reported_by_line_and_the_rest_read(tmp_path: Path) -> None:
    lines = (FIXTURES / "promptfoo.jsonl").read_text().splitlines()
    lines.insert(2, '{"provider": {"id": "openai:chat:gpt-6-luna"}, "success": tru')
    lines.insert(5, '{"provider": {"id": "openai:chat:gpt-6-luna"}}')
    (tmp_path / "r.jsonl").write_text("\n".join(lines) + "\n")
    evidence = read_evidence_file(tmp_path / "r.jsonl", "r.jsonl")
    assert [(p.line, p.message.split(";")[0]) for p in evidence.problems] == [
        (3, "not valid JSON (Expecting value)"),
        (6, "success is missing"),
    ]
    assert _scores(evidence) == {k: v for k, v in _scores(_read_fixture("promptfoo-v3.json")).items() if k[1] != "score"}


# --- Inspect AI ------------------------------------------------------------------------------------------------

def test_inspect_v2_log_gives_each_scorer_metric() -> None:
    evidence = _read_fixture("inspect-v2.json")
    assert evidence.tool == "inspect" and evidence.problems == ()
    assert _scores(evidence) == {("gpt-6-luna", "accuracy"): 0.944, ("gpt-6-luna", "stderr"): 0.0146}
    accuracy = evidence.results[0]
    assert (accuracy.scorer, accuracy.samples, accuracy.task, accuracy.tool_version, accuracy.format_version) == (
        "match", 248, "ticket_routing", "0.3.285", 2)  # scored_samples wins over completed_samples
    assert (accuracy.created, accuracy.created_from) == (datetime(2026, 10, 20, 16, 42, 7, tzinfo=timezone.utc), "eval.created")


def test_inspect_v1_log_reads_its_single_scorer() -> None:
    evidence = _read_fixture("inspect-v1.json")
    assert evidence.problems == ()
    # the catalog (genai-prices) knows the dated snapshot as `claude-3-haiku`
    assert _scores(evidence) == {("claude-3-haiku", "accuracy"): 0.6667,
                                 ("claude-3-haiku", "bootstrap_std"): 0.27}
    accuracy = evidence.results[0]
    assert (accuracy.scorer, accuracy.samples, accuracy.format_version) == ("match", 3, 1)  # samples counted in the log
    assert accuracy.created == datetime(2024, 5, 2, 9, 30, 12, tzinfo=timezone.utc)  # naive times are UTC


def test_unfinished_inspect_logs_are_not_evidence() -> None:
    evidence = _read_fixture("inspect-cancelled.json")
    assert evidence.results == ()
    assert [str(p) for p in evidence.problems] == [
        "inspect-cancelled.json: status is 'cancelled' (96 of 250 samples completed): scores of an eval that did not "
        "finish are not evidence; finish it with `inspect eval-retry FILE` and use the new log",
    ]


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d["eval"].pop("model"), None),  # no eval.model: not recognisably an Inspect log
    (lambda d: d["eval"].pop("created"), "eval.created is missing"),
    (lambda d: d.pop("results"), "results is missing"),
    (lambda d: d["results"]["scores"][0]["metrics"]["accuracy"].update(value=None),
     "results.scores[0].metrics.accuracy.value is missing"),
])
def test_inspect_shape_errors_name_the_field(tmp_path: Path, edit: object, message: str | None) -> None:
    document = json.loads((FIXTURES / "inspect-v2.json").read_text())
    edit(document)  # type: ignore[operator]
    (tmp_path / "log.json").write_text(json.dumps(document))
    (problem,) = read_evidence_file(tmp_path / "log.json", "log.json").problems
    if message is None:
        assert "neither a promptfoo output" in problem.message
    else:
        assert str(problem) == (f"log.json: {message}; write the log with a current inspect-ai, or convert it with "
                                "`inspect log convert FILE --to json --output-dir DIR`")


def _deflated_eval(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _zstd_eval(path: Path, members: dict[str, bytes]) -> None:
    """A zip whose members use method 93 (zstd), each as two frames without a content size, as inspect-ai
    writes them through a streaming compressor; written by hand because `zipfile` before 3.14 can't."""
    zstandard = pytest.importorskip("zstandard")
    body, central = bytearray(), bytearray()
    for name, data in members.items():
        frames = b""
        for part in (data[: len(data) // 2], data[len(data) // 2:]):
            compressor = zstandard.ZstdCompressor().compressobj()
            frames += compressor.compress(part) + compressor.flush()
        encoded, crc, offset = name.encode(), zlib.crc32(data), len(body)
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 63, 0, 93, 0, 0x5B21, crc, len(frames), len(data),
                            len(encoded), 0) + encoded + frames
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 63, 63, 0, 93, 0, 0x5B21, crc, len(frames), len(data),
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(body), 0)
    path.write_bytes(bytes(body + central + end))


def _eval_members() -> dict[str, bytes]:
    header = (FIXTURES / "inspect-v2.json").read_bytes()
    start = json.dumps({"version": 2, "eval": json.loads(header)["eval"], "plan": {}}).encode()
    return {"_journal/start.json": start, "samples/1_epoch_1.json": b"{}", "header.json": header}


@pytest.mark.parametrize("write", [_deflated_eval, _zstd_eval], ids=["deflate", "zstd"])
def test_eval_archives_read_like_json_logs(tmp_path: Path, write: object) -> None:
    write(tmp_path / "run.eval", _eval_members())  # type: ignore[operator]
    evidence = read_evidence_file(tmp_path / "run.eval", "run.eval")
    assert evidence.problems == ()
    assert _scores(evidence) == _scores(_read_fixture("inspect-v2.json"))


def test_zstd_eval_without_zstandard_says_how_to_fix_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _zstd_eval(tmp_path / "run.eval", _eval_members())
    monkeypatch.setattr(_inspect, "zstandard", None)
    assert [str(p) for p in read_evidence_file(tmp_path / "run.eval", "evals/run.eval").problems] == [
        "evals/run.eval: header.json is zstd-compressed (ZIP method 93), which Python before 3.14 can't read without "
        "the `zstandard` package; `pip install zstandard`, or convert the log with "
        "`inspect log convert FILE --to json --output-dir DIR` and point quality.evidence at the .json",
    ]


@pytest.mark.parametrize(("content", "fragment"), [
    ({"_journal/start.json": b"{}"}, "no header.json, only _journal/start.json: the eval has not finished"),
    ({"notes.txt": b"hello"}, "no header.json: not an Inspect .eval log"),
    ({"header.json": b'{"version": 2, "eval": '}, "header.json:1:24: not valid JSON"),
    (b"not a zip at all", "not a readable .eval archive"),
])
def test_broken_eval_archives_are_problems(tmp_path: Path, content: object, fragment: str) -> None:
    if isinstance(content, bytes):
        (tmp_path / "run.eval").write_bytes(content)
    else:
        _deflated_eval(tmp_path / "run.eval", content)  # type: ignore[arg-type]
    (problem,) = read_evidence_file(tmp_path / "run.eval", "run.eval").problems
    assert problem.message.startswith(fragment)


# --- any file --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "fragment"), [
    ("package.json", '{"name": "web", "version": "1.0.0"}', "neither a promptfoo output"),
    ("results.json", "[1, 2]", "neither a promptfoo output"),
    ("results.json", b"\xff\xfe{", "not UTF-8 text"),
    ("results.yaml", "results: {}", "not an evaluation result file"),
])
def test_files_that_are_not_results_are_problems(tmp_path: Path, name: str, content: str | bytes, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    (problem,) = read_evidence_file(path, name).problems
    assert problem.message.startswith(fragment)


def test_an_internal_error_is_a_problem_naming_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_: object) -> EvidenceFile:
        raise RuntimeError("boom")

    monkeypatch.setattr(_read, "read_promptfoo_output", explode)
    (problem,) = _read_fixture("promptfoo-v3.json").problems
    assert str(problem).startswith("promptfoo-v3.json: internal error while reading it (RuntimeError: boom)")
    assert read_evidence_file(FIXTURES / "missing.json", "missing.json").problems[0].message.startswith("cannot be read")


def test_readers_never_raise_on_arbitrary_json_shapes(tmp_path: Path) -> None:
    shapes = [{"results": {"version": 3}}, {"results": {"prompts": [1]}}, {"results": {"table": []}},
              {"eval": {"model": 5}}, {"eval": {"model": "openai/x", "created": 3}, "status": "success"},
              {"results": {"prompts": [{"provider": "openai:x", "metrics": {"testPassCount": -1, "testFailCount": 0}}]}}]
    for index, shape in enumerate(shapes):
        path = tmp_path / f"{index}.json"
        path.write_text(json.dumps(shape))
        evidence = read_evidence_file(path, path.name)
        assert evidence.problems and not any("internal error" in p.message for p in evidence.problems), shape


def test_example_application_results_read_cleanly() -> None:
    examples = Path(__file__).resolve().parent.parent / "examples" / "evals" / "triage"
    promptfoo = read_evidence_file(examples / "promptfoo-results.json", "promptfoo-results.json")
    inspect = read_evidence_file(examples / "inspect-haiku-log.json", "inspect-haiku-log.json")
    assert promptfoo.problems == () and inspect.problems == ()
    rates = {r.model.model: r.counts for r in promptfoo.results if r.metric == "pass_rate"}
    assert rates == {"gpt-6-luna": PassCounts(111, 8, 1), "claude-haiku-5-5": PassCounts(106, 14, 0),
                     "gpt-6-sol": PassCounts(116, 3, 1)}
    assert _scores(inspect)[("claude-haiku-5-5", "accuracy")] == 0.9125

