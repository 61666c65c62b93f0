"""Usage readers against samples in each source's documented shape (tests/fixtures/usage/README.md)."""

from __future__ import annotations

import gzip
import io
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from oberhahn_policy.policy import load_policy_text
from oberhahn_policy.policy.model import Policy
from oberhahn_policy.usage import FileSummary, ReadProblem, UsageRecord, load_alias_table, read_usage
from oberhahn_policy.usage._stream import JsonStream, StreamError
from oberhahn_policy.usage._values import ValueProblem, parse_timestamp
from oberhahn_policy.usage.aliases import parse_alias_table
from oberhahn_policy.usage.readers import MAX_PROBLEMS_PER_FILE

FIXTURES = Path(__file__).parent / "fixtures" / "usage"

POLICY = """\
version: 1
attribution:
  required: [team, use_case]
  optional: [prompt_version]
  header_prefix: "X-Oberhahn-"
use_cases:
  ticket-triage: {team: support}
  kb-answer: {team: search}
"""


def policy(text: str = POLICY) -> Policy:
    return load_policy_text(text).policy


def read(path: Path | str, text: str = POLICY) -> tuple[list[UsageRecord], list[ReadProblem], list[FileSummary]]:
    records, problems, files = [], [], []
    for item in read_usage([path], policy(text)):
        if isinstance(item, UsageRecord):
            records.append(item)
        elif isinstance(item, ReadProblem):
            problems.append(item)
        else:
            files.append(item)
    return records, problems, files


def summary(record: UsageRecord) -> tuple[Any, ...]:
    """(line, provider, model, input, cached, cache write, output, use_case, team, task)."""
    return (record.line, record.provider, record.model, record.input_tokens, record.cached_input_tokens,
            record.cache_write_tokens, record.output_tokens, record.use_case, record.team, record.task_id)


# Each row: fixture, the records it holds, and the lines of its problems (with a word the message must contain).
CASES = [
    pytest.param("otlp-openai-v2-legacy.jsonl", [
        # gen_ai.system + prompt/completion_tokens; the response model (a dated snapshot) wins over the request
        # model; `use-case` as a plain attribute; team from the resource
        (1, "openai", "gpt-6-luna-2026-09-22", 1200, 0, 0, 150, "ticket-triage", "support",
         "4bf92f3577b34da6a3ce929d0e0e4736"),
        (1, "openai", "gpt-6-luna-2026-09-22", 800, 0, 0, 60, "ticket-triage", "support",
         "4bf92f3577b34da6a3ce929d0e0e4736"),
        (2, "openai", "gpt-6-luna", 1000, 0, 0, 100, None, "support", "5b8efff798038103d269b633813fc60c"),
    ], [], id="otel-semconv-legacy-names"),
    pytest.param("otlp-genai-current.jsonl", [
        # the invoke_agent span (usage summed over its children) is left out
        (1, "anthropic", "claude-haiku-5-5", 5000, 3000, 1000, 400, "ticket-summary", "support",
         "0af7651916cd43dd8448eb211c80319c"),
        # Anthropic-style count: 200 input beside 4000 cache reads -> 4200 input in all
        (1, "anthropic", "claude-haiku-5-5", 4200, 4000, 0, 300, "ticket-summary", "support",
         "0af7651916cd43dd8448eb211c80319c"),
        (2, "azure-openai", "gpt-6.1-terra", 3000, 1000, 0, 500, "kb-answer", "search",
         "b7ad6b7169203331b7ad6b7169203331"),
        (3, "google", "gemini-4-argon", 1000, 0, 0, 100, "refund-bot", "support", "c3f1e2d4a5b6c7d8e9f0a1b2c3d4e5f6"),
        (3, "google", "gemini-4-argon", 1000, 0, 0, 100, "refund-bot", "support", "d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9"),
    ], [], id="otel-semconv-current-names-with-cache"),
    pytest.param("otlp-traceloop.jsonl", [
        # the workflow span (traceloop.span.kind) carries tokens too and is left out
        (1, "openai", "text-embedding-3-small", 500, 0, 0, None, "kb-answer", "search",
         "e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0"),
        (1, "openai", "gpt-6-luna", 3000, 1024, 0, 300, "kb-answer", "search", "e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0"),
        (2, "openai", "gpt-6-sol", 3000, 0, 0, 300, "kb-answer", "search", "f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1"),
    ], [], id="openllmetry-association-properties"),
    pytest.param("otlp-langfuse-sdk.jsonl", [
        # usage_details JSON: input 900 excludes the 300 cached -> 1200
        (1, "anthropic", "claude-haiku-5-5", 1200, 300, 0, 80, "ticket-triage", "support",
         "0123456789abcdef0123456789abcdef"),
    ], [], id="langfuse-otel-attributes"),
    pytest.param("otlp-pretty.json", [
        (3, "openai", "gpt-6-luna", 400, 0, 0, 40, "ticket-triage", None, "66666666666666666666666666666666"),
        (68, "openai", "gpt-6-luna", 500, 0, 0, 50, "kb-answer", None, "77777777777777777777777777777777"),
    ], [], id="otlp-pretty-printed-document"),
    pytest.param("otlp-malformed.jsonl", [
        (1, "openai", "gpt-6-luna", 100, 0, 0, 10, "ticket-triage", None, "44444444444444444444444444444444"),
        (10, "openai", "gpt-6-luna", 100, 0, 0, 10, "ticket-triage", None, "55555555555555555555555555555555"),
    ], [(2, "not valid JSON"), (3, "gen_ai.usage.prompt_tokens is '12x'"), (4, "startTimeUnixNano"),
        (7, "expected a JSON object"), (8, "no resourceSpans"), (9, "attributes must be a list")],
        id="otlp-malformed-lines"),
    pytest.param("litellm-spend-logs.json", [
        # team from the key's team alias; task = the LiteLLM session; cached from additional_usage_values
        (2, "openai", "gpt-6-luna", 1200, 1024, 0, 150, "ticket-triage", "support", "ticket-1001"),
        # `use_case:`/`team:` request tags; custom_llm_provider bedrock
        (39, "aws-bedrock", "anthropic.claude-haiku-5-5", 900, 500, 200, 80, "ticket-triage", "support",
         "ticket-1001"),
        # a row stripped of most columns is still a call
        (60, "openai", "gpt-6-sol", 100, 0, 0, 20, None, None, "chatcmpl-7f3a2c1e-0003"),
    ], [], id="litellm-json-array"),
    pytest.param("litellm-spend-logs.jsonl", [
        (1, "openai", "gpt-6-luna", 3000, 0, 0, 300, "kb-answer", "search", "chatcmpl-9d01-0001"),
        (2, "openai", "text-embedding-3-small", 500, 0, 0, 0, "kb-answer", "search", "chatcmpl-9d01-0002"),
        # x-oberhahn-* request headers, read with the policy's header_prefix
        (6, "azure-openai", "azure/helpdesk-gpt", 1500, 0, 0, 100, "kb-answer", "search", "chatcmpl-9d01-0006"),
    ], [(3, "not valid JSON"), (4, "no timestamp"), (5, "reported cost 'free'")], id="litellm-json-lines"),
    pytest.param("litellm-standard-logging.jsonl", [
        (1, "anthropic", "claude-sonnet-5-5", 6000, 2000, 0, 400, "ticket-summary", "support",
         "3f0c2a9e-11d4-4e55-9c61-2f4f1d1b7a01"),
        (2, "anthropic", "claude-sonnet-5-5", 3000, 0, 0, 300, "ticket-summary", "support",
         "3f0c2a9e-11d4-4e55-9c61-2f4f1d1b7a01"),
    ], [], id="litellm-standard-logging-payload"),
    pytest.param("litellm-spend-logs.csv", [
        (2, "openai", "gpt-6-luna", 1200, 0, 0, 160, "ticket-triage", "support", "ticket-2002"),
        (3, "anthropic", "claude-haiku-5-5", 900, 500, 200, 80, "ticket-triage", "support", "ticket-2002"),
        # a row with a line break inside a quoted field starts on line 5
        (5, "openai", "gpt-6-sol", 100, 0, 0, 20, "ticket-triage", None, "chatcmpl-csv-0004"),
    ], [(4, "reported cost 'n/a'")], id="litellm-postgres-csv"),
    pytest.param("langfuse-observations.jsonl", [
        # spans and events are not calls; `input` 700 excludes the 300 cached -> 1000
        (1, "anthropic", "claude-haiku-5-5", 1000, 300, 0, 90, "ticket-triage", "support", "lf-trace-0001"),
        (4, "openai", "gpt-6-luna", 2000, 0, 0, 150, "kb-answer", "search", "lf-trace-0002"),
    ], [(5, "'lots' is not a number"), (6, "no timestamp")], id="langfuse-enriched-jsonl"),
    pytest.param("langfuse-observations.csv", [
        (2, "anthropic", "claude-haiku-5-5", 1000, 300, 0, 90, "ticket-triage", "support", "lf-trace-0001"),
        (4, "openai", "gpt-6-luna", 2000, 0, 0, 150, "kb-answer", "search", "lf-trace-0002"),
    ], [], id="langfuse-enriched-csv"),
    pytest.param("langfuse-api-observations.json", [
        (3, "anthropic", "claude-sonnet-5-5", 6000, 2000, 0, 380, "ticket-summary", None, "lf-trace-0101"),
    ], [], id="langfuse-public-api-camelcase"),
]


@pytest.mark.parametrize(("fixture", "expected", "problems"), CASES)
def test_fixture(fixture: str, expected: list[tuple[Any, ...]], problems: list[tuple[int, str]]) -> None:
    records, found, files = read(FIXTURES / fixture)
    assert [summary(r) for r in records] == expected
    assert [p.line for p in found] == [line for line, _ in problems]
    assert all(p.file.endswith(f"fixtures/usage/{fixture}") for p in found)  # as given, relative to the cwd
    for problem, (_, words) in zip(found, problems):
        assert words in problem.message, str(problem)
    assert [(f.records, f.problems) for f in files] == [(len(expected), len(problems))]


def test_record_details_of_one_span() -> None:
    records, _, _ = read(FIXTURES / "otlp-genai-current.jsonl")
    first, _, terra, argon, _ = records
    assert first.timestamp == datetime(2026, 11, 20, 10, 0, 0, 500000, tzinfo=timezone.utc)
    assert first.code is not None and (first.code.path, first.code.line) == ("/srv/app/helpdesk/support/summary.py", 42)
    assert first.operation == "chat" and first.record_id == "4d5e6f7081920314" and first.source == "otlp"
    assert (terra.reasoning_tokens, terra.service_tier) == (120, "flex")
    assert argon.code is not None and (argon.code.path, argon.code.line) == ("helpdesk/refunds.py", 7)


def test_reported_costs_tags_and_optional_keys() -> None:
    langfuse, _, _ = read(FIXTURES / "otlp-langfuse-sdk.jsonl")
    assert langfuse[0].reported_cost_usd == pytest.approx(0.000133)
    assert langfuse[0].tags == ("beta",)
    litellm, _, _ = read(FIXTURES / "litellm-spend-logs.json")
    assert [r.reported_cost_usd for r in litellm] == [0.000182, 0.0000715, 0.0004]
    # spend_logs_metadata carries the optional key too; non-attribution tags are kept as tags
    assert litellm[0].attribute("prompt_version") == "v2" and litellm[0].tags == ("feature:triage",)
    standard, _, _ = read(FIXTURES / "litellm-standard-logging.jsonl")
    assert standard[0].timestamp == datetime(2026, 11, 22, 9, 0, 0, 125000, tzinfo=timezone.utc)
    assert standard[1].service_tier == "batch"
    rows, _, _ = read(FIXTURES / "langfuse-observations.jsonl")
    assert [r.reported_cost_usd for r in rows] == [0.000118, pytest.approx(0.000275)]  # the second sums cost_details


def test_gzip_is_recognised_by_its_magic_bytes_not_its_name(tmp_path: Path) -> None:
    plain, _, _ = read(FIXTURES / "otlp-traceloop.jsonl")
    zipped, _, _ = read(FIXTURES / "otlp-traceloop.jsonl.gz")
    renamed = tmp_path / "traces"
    shutil.copy(FIXTURES / "otlp-traceloop.jsonl.gz", renamed)
    nameless, _, _ = read(renamed)
    assert [summary(r) for r in zipped] == [summary(r) for r in plain] == [summary(r) for r in nameless]
    assert len(plain) == 3


def test_format_comes_from_content_and_directories_are_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes((FIXTURES / "litellm-spend-logs.csv").read_bytes())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.log").write_bytes((FIXTURES / "langfuse-observations.jsonl").read_bytes())
    (tmp_path / ".hidden").write_text("not read")
    records, problems, files = read(tmp_path)
    assert [(f.file.rsplit("/", 2)[-2:], f.source) for f in files] == [
        ([tmp_path.name, "a.txt"], "litellm"), (["sub", "b.log"], "langfuse")]
    assert len(records) == 5 and len(problems) == 3


@pytest.mark.parametrize("content", [b"hello, world\nno,usage\n", b"\x00\x01\x02binary", b"{\"just\": \"json\"}\n"])
def test_unrecognised_files_are_a_problem_not_a_crash(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x"
    path.write_bytes(content)
    records, problems, files = read(path)
    assert records == [] and len(problems) == 1 and problems[0].line == 0
    assert "not a recognised usage file" in problems[0].message
    assert files[0].source is None


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_an_empty_file_holds_no_records_and_no_problem(tmp_path: Path, content: bytes) -> None:
    """An exporter's file for a quiet hour is empty; that is no traffic, not an unreadable file."""
    path = tmp_path / "x.jsonl"
    path.write_bytes(content)
    records, problems, files = read(path)
    assert (records, problems) == ([], []) and (files[0].records, files[0].problems) == (0, 0)


def test_a_pretty_printed_document_whose_inner_line_is_json_is_still_a_document(tmp_path: Path) -> None:
    """Only the first line tells JSON Lines from a pretty-printed document: an inner line may be a whole object."""
    path = tmp_path / "traces.json"
    path.write_text('{"resourceSpans": [{"scopeSpans": [{"spans": [{\n'
                    '  "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174",\n'
                    '  "startTimeUnixNano": "1795165200000000000",\n  "attributes": [\n'
                    '    {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-6-luna"}},\n'
                    '    {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "900"}}\n'
                    '  ]\n}]}]}]}\n', encoding="utf-8")
    records, problems, files = read(path)
    assert problems == [] and files[0].source == "otlp"
    assert [(r.model, r.input_tokens) for r in records] == [("gpt-6-luna", 900)]


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    records, problems, _ = read(tmp_path / "absent.jsonl")
    assert records == [] and "cannot read" in problems[0].message


def test_problems_per_file_are_capped_and_counted(tmp_path: Path) -> None:
    good = (FIXTURES / "otlp-malformed.jsonl").read_text().splitlines()[0]
    path = tmp_path / "many.jsonl"
    path.write_text(good + "\n" + "{broken\n" * 150 + good + "\n")
    records, problems, files = read(path)
    assert len(records) == 2
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 1
    assert problems[-1].message.startswith("50 more unreadable lines") and files[0].problems == 150


def test_policy_usage_settings_choose_keys_prefixes_and_task(tmp_path: Path) -> None:
    span = {"traceId": "ab" * 16, "spanId": "cd" * 8, "startTimeUnixNano": "1795165200000000000", "attributes": [
        {"key": "gen_ai.system", "value": {"stringValue": "openai"}},
        {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-6-luna"}},
        {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "10"}},
        {"key": "app.use-case", "value": {"stringValue": "kb-answer"}},
        {"key": "use_case", "value": {"stringValue": "ticket-triage"}},
        {"key": "app.ticket", "value": {"stringValue": "T-42"}},
        {"key": "http.request.header.x-oberhahn-team", "value": {"arrayValue": {"values": [{"stringValue": "search"}]}}},
    ]}
    line = {"resourceSpans": [{"resource": {"attributes": [{"key": "service.namespace", "value": {"stringValue": "ops"}}]},
                               "scopeSpans": [{"spans": [span]}]}]}
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(line) + "\n")
    default, _, _ = read(path)
    # built-in sources: the plain attribute, the header (policy header_prefix); the trace is the task
    assert (default[0].use_case, default[0].team, default[0].task_id) == ("ticket-triage", "search", "ab" * 16)
    configured, _, _ = read(path, POLICY + "usage:\n  attribute_prefixes: [app.]\n"
                                           "  attribute_keys: {team: [service.namespace]}\n  task_key: ticket\n")
    # usage.attribute_prefixes win over the plain name, attribute_keys over everything; task from app.ticket
    assert (configured[0].use_case, configured[0].team, configured[0].task_id) == ("kb-answer", "ops", "T-42")
    only_mine, _, _ = read(path, POLICY + "usage:\n  default_sources: false\n  attribute_prefixes: [app.]\n")
    assert (only_mine[0].use_case, only_mine[0].team) == ("kb-answer", None)


def test_readers_use_only_the_alias_table(tmp_path: Path) -> None:
    """A spelling the bundled table lacks is read once a table lists it: no attribute name is built into a reader."""
    data = json.loads(json.dumps(load_alias_table().model_dump(mode="json")))
    data["otlp"]["input_tokens"].insert(0, {"name": "vendor.tokens.in", "counts_cached": True})
    data["otlp"]["output_tokens"].insert(0, "vendor.tokens.out")
    table = parse_alias_table(data)
    span = {"traceId": "ef" * 16, "spanId": "01" * 8, "startTimeUnixNano": 1795165200000000000, "attributes": [
        {"key": "gen_ai.system", "value": {"stringValue": "openai"}},
        {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-6-luna"}},
        {"key": "vendor.tokens.in", "value": {"intValue": 77}},
        {"key": "vendor.tokens.out", "value": {"intValue": "7"}}]}
    path = tmp_path / "v.jsonl"
    path.write_text(json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": [span]}]}]}) + "\n")
    bundled = [r for r in read_usage([path], policy()) if isinstance(r, UsageRecord)]
    custom = [r for r in read_usage([path], policy(), table) if isinstance(r, UsageRecord)]
    assert (bundled[0].input_tokens, bundled[0].output_tokens) == (None, None)
    assert (custom[0].input_tokens, custom[0].output_tokens) == (77, 7)


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["providers"].update({"acme.ai": "acme"}), "is not a provider id"),
    (lambda d: d["providers"].update({"Acme": "other"}), "lower case"),
    (lambda d: d["otlp"].update({"input_tokenz": []}), "input_tokenz"),
    (lambda d: d["otlp"].pop("provider"), "provider"),
])
def test_alias_table_is_validated(change: Any, words: str) -> None:
    data = json.loads(json.dumps(load_alias_table().model_dump(mode="json")))
    change(data)
    with pytest.raises(ValueError, match=words):
        parse_alias_table(data)


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-11-23 14:05:09.123000", datetime(2026, 11, 23, 14, 5, 9, 123000, tzinfo=timezone.utc)),  # Langfuse
    ("2026-11-22 08:30:00.5", datetime(2026, 11, 22, 8, 30, 0, 500000, tzinfo=timezone.utc)),  # Postgres
    ("2026-11-21T10:00:00.123Z", datetime(2026, 11, 21, 10, 0, 0, 123000, tzinfo=timezone.utc)),
    ("2026-11-21T11:00:00.123456789+01:00", datetime(2026, 11, 21, 10, 0, 0, 123456, tzinfo=timezone.utc)),
    (1795338000.125, datetime(2026, 11, 22, 9, 0, 0, 125000, tzinfo=timezone.utc)),  # LiteLLM float seconds
    (1795338000125, datetime(2026, 11, 22, 9, 0, 0, 125000, tzinfo=timezone.utc)),  # milliseconds
    ("1795338000125000000", datetime(2026, 11, 22, 9, 0, 0, 125000, tzinfo=timezone.utc)),  # nanoseconds
])
def test_timestamps(value: Any, expected: datetime) -> None:
    assert parse_timestamp(value) == expected


@pytest.mark.parametrize("value", ["", None, "yesterday", True, [1]])
def test_bad_timestamps(value: Any) -> None:
    with pytest.raises(ValueProblem):
        parse_timestamp(value)


def test_json_stream_reads_element_by_element_with_line_numbers() -> None:
    rows = [{"id": i, "text": "x" * (i * 7)} for i in range(40)]
    text = "{\n  \"meta\": {\"page\": 1},\n  \"data\": [\n" + ",\n".join(json.dumps(r) for r in rows) + "\n  ]\n}\n"
    elements = list(JsonStream(io.StringIO(text), chunk_size=7).elements())  # refills mid-element, constantly
    assert [e[2] for e in elements] == rows
    assert [e[1] for e in elements] == list(range(4, 44)) and {e[0] for e in elements} == {"data"}


@pytest.mark.parametrize(("text", "line"), [("[{\"a\": 1},\n{\"a\": }\n]", 2), ("[1, 2", 1), ("[1] trailing", 1)])
def test_json_stream_stops_at_a_malformed_element(text: str, line: int) -> None:
    stream = JsonStream(io.StringIO(text), chunk_size=4)
    with pytest.raises(StreamError) as raised:
        list(stream.elements())
    assert raised.value.line == line


def test_malformed_json_document_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "logs.json"
    good = json.loads((FIXTURES / "litellm-spend-logs.json").read_text())[0]
    path.write_text("[\n" + json.dumps(good) + ",\n{\"request_id\": oops}\n]\n")
    records, problems, _ = read(path)
    assert len(records) == 1 and [(p.line, "reading of the file stopped" in p.message) for p in problems] == [(3, True)]


def test_large_gzipped_jsonl_streams(tmp_path: Path) -> None:
    """A file is read a line at a time: 2,000 lines through gzip, every record numbered by its line."""
    template = (FIXTURES / "otlp-malformed.jsonl").read_text().splitlines()[0]
    path = tmp_path / "big.jsonl.gz"
    with gzip.open(path, "wt") as out:
        for _ in range(2000):
            out.write(template + "\n")
    records, problems, _ = read(path)
    assert len(records) == 2000 and not problems and records[-1].line == 2000


def test_standard_library_decoder_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """orjson is optional: without it the standard library's decoder gives the same records."""
    from oberhahn_policy.usage import _values

    fast, _, _ = read(FIXTURES / "otlp-genai-current.jsonl")
    monkeypatch.setattr(_values, "loads", json.loads)
    monkeypatch.setattr(_values, "DECODE_ERRORS", (ValueError,))
    plain, problems, _ = read(FIXTURES / "otlp-malformed.jsonl")
    standard, _, _ = read(FIXTURES / "otlp-genai-current.jsonl")
    assert standard == fast and len(plain) == 2 and [p.line for p in problems] == [2, 3, 4, 7, 8, 9]
