"""Benchmark: reading and reconciling OTLP spans, as a ratio against plain line-by-line JSON decoding.

    python tests/benchmark_usage.py [--spans N] [--file PATH]

Writes N OTLP spans (default 1,000,000) as the Collector's file exporter does: one TracesData
per line, 8 spans a line, 4 spans a trace, one span in ten not a model call, both semantic
convention generations, association properties per trace (one trace in five has none), traces
spread over 30 days. Then measures in the same run, each in its own process so that peak memory
is its own:

- baseline: `json.loads` of every line (and `orjson.loads` when orjson is installed);
- usage: `read_usage` + `reconcile` (re-pricing every call, per use case, team and day) with the
  standard library's decoder, and with orjson when installed.

Prints wall time, CPU time and peak RSS of each, and usage / baseline. Not a test (not collected
by pytest): timings depend on the machine. Targets (issue 13): 1M spans under 30 s and 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPANS_PER_LINE = 8
CALLS_PER_TRACE = 4
START_NS = 1_793_491_200_000_000_000  # 2026-11-01T00:00:00Z
MODELS = [("openai", "gpt-6-luna"), ("anthropic", "claude-haiku-5-5"), ("openai", "gpt-6.1-terra"),
          ("gcp.vertex_ai", "gemini-4-argon"), ("openai", "gpt-6-sol")]
USE_CASES = [("ticket-triage", "support"), ("ticket-summary", "support"), ("kb-answer", "search")]


def _attr(key: str, value: object) -> dict[str, object]:
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    return {"key": key, "value": {"stringValue": value}}


def _llm_span(rng: random.Random, trace: int, index: int, start: int) -> dict[str, object]:
    provider, model = MODELS[index % len(MODELS)]
    legacy = index % 3 == 0  # a third from emitters on the older attribute names
    attributes = [
        _attr("gen_ai.operation.name", "chat"),
        _attr("gen_ai.system" if legacy else "gen_ai.provider.name", provider),
        _attr("gen_ai.request.model", model),
        _attr("gen_ai.response.model", model),
        _attr("gen_ai.usage.prompt_tokens" if legacy else "gen_ai.usage.input_tokens", rng.randint(200, 6000)),
        _attr("gen_ai.usage.completion_tokens" if legacy else "gen_ai.usage.output_tokens", rng.randint(20, 600)),
        _attr("server.address", "llm-gateway.example.com"),
        _attr("server.port", 443),
    ]
    if not legacy:
        attributes.append(_attr("gen_ai.usage.cache_read.input_tokens", rng.randint(0, 150)))
    if trace % 5:  # association properties travel with the trace's context: one trace in five carries none
        use_case, team = USE_CASES[trace % len(USE_CASES)]
        attributes.append(_attr("traceloop.association.properties.use_case", use_case))
        attributes.append(_attr("traceloop.association.properties.team", team))
    if index % 7 == 0:
        attributes.append(_attr("code.file.path", "/srv/app/helpdesk/search/answer.py"))
        attributes.append(_attr("code.line.number", 42))
    return {"traceId": f"{trace:032x}", "spanId": f"{index:016x}", "parentSpanId": "", "name": f"chat {model}",
            "kind": 3, "startTimeUnixNano": str(start), "endTimeUnixNano": str(start + 900_000_000),
            "attributes": attributes, "status": {}}


def _http_span(trace: int, index: int, start: int) -> dict[str, object]:
    return {"traceId": f"{trace:032x}", "spanId": f"{index:016x}", "parentSpanId": "", "name": "POST /tickets", "kind": 2,
            "startTimeUnixNano": str(start), "endTimeUnixNano": str(start + 3_000_000_000),
            "attributes": [_attr("http.request.method", "POST"), _attr("url.path", "/tickets"),
                           _attr("http.response.status_code", 200)], "status": {}}


def generate(path: Path, spans: int) -> int:
    """Write `spans` spans; returns the file's size in bytes."""
    try:
        import orjson

        def dumps(value: object) -> bytes:
            return orjson.dumps(value)
    except ImportError:
        def dumps(value: object) -> bytes:
            return json.dumps(value, separators=(",", ":")).encode()
    rng = random.Random(13)
    traces = max(1, spans // CALLS_PER_TRACE)
    step_ns = 30 * 86_400 * 1_000_000_000 // traces  # the traces spread evenly over 30 days
    with open(path, "wb") as out:
        written = 0
        while written < spans:
            batch = []
            for offset in range(min(SPANS_PER_LINE, spans - written)):
                index = written + offset
                trace = index // CALLS_PER_TRACE
                start = START_NS + trace * step_ns + (index % CALLS_PER_TRACE) * 1_500_000_000
                batch.append(_http_span(trace, index, start) if index % 10 == 9 else _llm_span(rng, trace, index, start))
            written += len(batch)
            line = {"resourceSpans": [{"resource": {"attributes": [_attr("service.name", "helpdesk")]},
                                       "scopeSpans": [{"scope": {"name": "opentelemetry.instrumentation.openai_v2",
                                                                 "version": "2.4b0"}, "spans": batch}]}]}
            out.write(dumps(line) + b"\n")
    return path.stat().st_size


def _phase(name: str, path: Path) -> dict[str, float | int | str]:
    """Runs in a child process: one measurement."""
    sys.path.insert(0, str(REPO))
    wall, cpu = time.perf_counter(), time.process_time()
    count = 0
    if name.startswith("baseline"):
        if name.endswith("orjson"):
            import orjson
            loads = orjson.loads
        else:
            loads = json.loads  # type: ignore[assignment]
        with open(path, "rb") as stream:
            for line in stream:
                loads(line)
                count += 1
    else:
        from oberhahn_policy.catalog import load_catalog
        from oberhahn_policy.policy import load_policy
        from oberhahn_policy.usage import CatalogPricer, read_usage, reconcile
        from oberhahn_policy.usage import _values

        if name.endswith("-json"):
            _values.loads = json.loads
            _values.DECODE_ERRORS = (ValueError,)
        policy = load_policy(REPO / "examples" / "oberhahn-policy.yaml").policy
        report = reconcile(read_usage([path], policy), policy, CatalogPricer(policy, load_catalog()),
                           {"ticket-triage": 0.0002, "kb-answer": 0.0008})
        count = report.records_read
        assert not report.problems, report.problems[:3]
    return {"phase": name, "wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "count": count}


def _run(name: str, path: Path) -> dict[str, float | int | str]:
    result = subprocess.run([sys.executable, __file__, "--phase", name, "--file", str(path)],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--file", type=Path, help="use (or, with --spans, write) this file")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.phase:
        print(json.dumps(_phase(options.phase, options.file)))
        return
    try:
        import orjson  # noqa: F401
        decoders = ["json", "orjson"]
    except ImportError:
        decoders = ["json"]
    with tempfile.TemporaryDirectory() as scratch:
        path = options.file or Path(scratch) / "traces.jsonl"
        if options.file is None or not path.exists():
            started = time.perf_counter()
            size = generate(path, options.spans)
            print(f"wrote {options.spans:,} spans, {size / 1e6:,.0f} MB, in {time.perf_counter() - started:.1f} s")
        print(f"{path}  ({path.stat().st_size / 1e6:,.0f} MB; {os.cpu_count()} cores; Python {sys.version.split()[0]})")
        results = {}
        for decoder in decoders:
            for kind in ("baseline", "usage"):
                name = f"{kind}-{decoder}"
                results[name] = _run(name, path)
                r = results[name]
                print(f"{name:16} wall {r['wall_s']:6.1f} s   cpu {r['cpu_s']:6.1f} s   peak RSS {r['peak_rss_mb']:6.0f} MB"
                      f"   ({r['count']:,} {'lines' if kind == 'baseline' else 'usage records'})")
        for decoder in decoders:
            usage, base = results[f"usage-{decoder}"], results[f"baseline-{decoder}"]
            print(f"usage / baseline with {decoder}: {float(usage['wall_s']) / float(base['wall_s']):.2f}x wall")
        if "usage-orjson" in results:
            ratio = float(results["usage-json"]["wall_s"]) / float(results["usage-orjson"]["wall_s"])
            print(f"orjson speeds usage up {ratio:.2f}x; usage-orjson / baseline-json: "
                  f"{float(results['usage-orjson']['wall_s']) / float(results['baseline-json']['wall_s']):.2f}x")


if __name__ == "__main__":
    main()
