"""promptfoo result files: `promptfoo eval --output results.json` (and `.jsonl`, one test result per line).

Shapes followed (read from the npm packages' type declarations and evaluators):

- promptfoo 0.123.1 `OutputFile` {evalId, results: EvaluateSummaryV3, config, metadata.promptfooVersion}:
  `results.version` 3, `results.timestamp`, `results.prompts[]` (one per prompt x provider: `provider`, `label`,
  `metrics` {testPassCount, testFailCount, testErrorCount, score, namedScores, namedScoresCount,
  namedScoreWeights}), `results.results[]` (per test: `provider` {id, label}, `success`, `failureReason`,
  `score`, `namedScores`);
- the version 2 summary (promptfoo 0.43.1 to 0.70.x): the same prompts under `results.table.head.prompts`, no
  `testErrorCount` (errors counted as failures), `results.timestamp` only from about 0.70;
- `.jsonl` output: one `EvaluateResult` per line, no file-level date or version.

Metric values in `metrics` are sums over tests: `score` / tests is the mean test score, and a named score is
`namedScores[k] / (namedScoreWeights[k] or namedScoresCount[k])`, as promptfoo's own viewer averages it; a
derived metric (`config.derivedMetrics`) is stored as computed.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

from ..catalog import PriceCatalog
from ._modelref import model_ref
from ._result import EvalResult, EvidenceFile, EvidenceProblem, PassCounts
from ._shape import (
    ShapeError,
    array,
    count,
    join,
    mapping,
    need,
    number,
    optional_text,
    text,
    timestamp,
)

#: How to get a complete file, appended to every problem with a promptfoo file.
FIX = "write it with `promptfoo eval --output results.json` or `promptfoo export eval EVAL_ID -o results.json`"
JSONL_FIX = ("write it with `promptfoo eval --output results.jsonl`, or use `--output results.json`, which also "
             "records the eval's date")

#: promptfoo's eval ids carry their creation time: `eval-XYZ-2026-11-18T09:14:02` (0.123.1 `createEvalId`),
#: `eval-2024-06-12T10:15:00` (0.70.1).
_EVAL_ID = re.compile(r"^eval-(?:[A-Za-z0-9_-]{3}-)?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})")
#: `failureReason` 2 is ERROR (ResultFailureReason in 0.123.1); 1 is ASSERT.
_FAILURE_ERROR = 2


def looks_like_promptfoo(document: Mapping[str, Any]) -> bool:
    """An output file: `results` holding a summary (`version`, `prompts` or `table`)."""
    results = document.get("results")
    return isinstance(results, dict) and any(key in results for key in ("prompts", "table", "version"))


@dataclass(frozen=True, slots=True)
class _FileFacts:
    file: str
    tool_version: str | None
    format_version: int | None
    created: datetime | None
    created_from: str | None
    task: str | None
    derived: frozenset[str]


def _date_from_eval_id(value: Any) -> datetime | None:
    match = _EVAL_ID.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    return datetime.fromisoformat(match.group(1)).replace(tzinfo=timezone.utc)


def _created(document: Mapping[str, Any], summary: Mapping[str, Any]) -> tuple[datetime | None, str | None]:
    """The eval's date: `results.timestamp`, else `metadata.evaluationCreatedAt`, else the date in `evalId`."""
    if summary.get("timestamp") is not None:
        return timestamp(summary["timestamp"], "results.timestamp"), "results.timestamp"
    metadata = document.get("metadata")
    if isinstance(metadata, dict) and metadata.get("evaluationCreatedAt") is not None:
        return timestamp(metadata["evaluationCreatedAt"], "metadata.evaluationCreatedAt"), "metadata.evaluationCreatedAt"
    from_id = _date_from_eval_id(document.get("evalId"))
    return (from_id, "evalId") if from_id is not None else (None, None)


def _derived_metrics(config: Any) -> frozenset[str]:
    names: set[str] = set()
    if isinstance(config, dict) and isinstance(config.get("derivedMetrics"), list):
        for item in config["derivedMetrics"]:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                names.add(item["name"])
    return frozenset(names)


def _labels(document: Mapping[str, Any], rows: list[Any]) -> dict[str, str]:
    """Provider label -> provider id, from per-test rows and `config.providers`: a prompt names its provider by label when it has one."""
    labels: dict[str, str] = {}
    config = document.get("config")
    providers = config.get("providers") if isinstance(config, dict) else None
    entries: list[Any] = list(providers) if isinstance(providers, list) else []
    for row in rows:
        if isinstance(row, dict) and isinstance(row.get("provider"), dict):
            entries.append(row["provider"])
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and optional_text(entry.get("label")):
            labels.setdefault(entry["label"], entry["id"])
    return labels


def _counts(metrics: Mapping[str, Any], path: str) -> PassCounts:
    passed = count(need(metrics, "testPassCount", path), join(path, "testPassCount"))
    failed = count(need(metrics, "testFailCount", path), join(path, "testFailCount"))
    errors_value = metrics.get("testErrorCount")
    errors = 0 if errors_value is None else count(errors_value, join(path, "testErrorCount"))
    return PassCounts(passed, failed, errors)


def _named_scores(metrics: Mapping[str, Any], path: str, derived: frozenset[str]) -> tuple[dict[str, float], list[str]]:
    """Averages of the named scores, and the problems with those that can't be averaged."""
    sums = metrics.get("namedScores")
    if sums is None:
        return {}, []
    sums = mapping(sums, join(path, "namedScores"))
    weights_value, counts_value = metrics.get("namedScoreWeights"), metrics.get("namedScoresCount")
    weights: Mapping[str, Any] = weights_value if isinstance(weights_value, dict) else {}
    counts: Mapping[str, Any] = counts_value if isinstance(counts_value, dict) else {}
    averages: dict[str, float] = {}
    problems: list[str] = []
    for name, value in sums.items():
        total = number(value, join(join(path, "namedScores"), name))
        if name in derived:
            averages[name] = total
            continue
        divisor = weights.get(name, counts.get(name))
        if divisor is None:
            problems.append(f"{join(path, 'namedScoresCount')}.{name} is missing, so named score {name!r} (a sum over "
                            "tests) can't be averaged; promptfoo versions before namedScoresCount don't write it; "
                            "re-run the eval with a current promptfoo")
            continue
        divisor = number(divisor, join(join(path, "namedScoresCount"), name))
        if divisor > 0:
            averages[name] = total / divisor
    return averages, problems


def _prompt_results(facts: _FileFacts, prompt: Mapping[str, Any], path: str, labels: Mapping[str, str],
                    catalog: PriceCatalog) -> tuple[list[EvalResult], list[str]]:
    provider = text(need(prompt, "provider", path), join(path, "provider"))
    metrics = mapping(need(prompt, "metrics", path), join(path, "metrics"))
    counts = _counts(metrics, join(path, "metrics"))
    named, problems = _named_scores(metrics, join(path, "metrics"), facts.derived)
    ref = model_ref(labels.get(provider, provider), "promptfoo", catalog)
    label = optional_text(prompt.get("label")) or optional_text(prompt.get("raw"))

    def result(metric: str, score: float) -> EvalResult:
        return EvalResult(file=facts.file, tool="promptfoo", tool_version=facts.tool_version,
                          format_version=facts.format_version, model=ref, metric=metric, score=score,
                          samples=counts.total, created=facts.created, created_from=facts.created_from,
                          task=facts.task, prompt=label, counts=counts if metric == "pass_rate" else None)

    results: list[EvalResult] = []
    if counts.rate is not None:
        results.append(result("pass_rate", counts.rate))
        if metrics.get("score") is not None:
            results.append(result("score", number(metrics["score"], join(path, "metrics.score")) / counts.total))
    results.extend(result(name, value) for name, value in sorted(named.items()))
    return results, problems


def read_promptfoo_output(document: Mapping[str, Any], file: str, catalog: PriceCatalog) -> EvidenceFile:
    """Results of a promptfoo output file (`--output results.json`), one per prompt x provider and metric."""
    problems: list[EvidenceProblem] = []
    try:
        summary = mapping(need(document, "results", ""), "results")
        version = summary.get("version")
        format_version = int(number(version, "results.version")) if version is not None else None
        if "prompts" in summary:
            prompts_path = "results.prompts"
            prompts = array(summary["prompts"], prompts_path)
        elif "table" in summary:
            prompts_path = "results.table.head.prompts"
            head = mapping(need(mapping(summary["table"], "results.table"), "head", "results.table"), "results.table.head")
            prompts = array(need(head, "prompts", "results.table.head"), prompts_path)
        else:
            raise ShapeError("results.prompts", "is missing (and there is no version 2 `results.table` either)")
        created, created_from = _created(document, summary)
        metadata = document.get("metadata")
        config = document.get("config")
        facts = _FileFacts(
            file=file,
            tool_version=optional_text(metadata.get("promptfooVersion")) if isinstance(metadata, dict) else None,
            format_version=format_version, created=created, created_from=created_from,
            task=optional_text(config.get("description")) if isinstance(config, dict) else None,
            derived=_derived_metrics(config))
        rows_value = summary.get("results")
        rows: list[Any] = rows_value if isinstance(rows_value, list) else []
        labels = _labels(document, rows)
    except ShapeError as error:
        return EvidenceFile(file, "promptfoo", problems=(EvidenceProblem(file, f"{error}; {FIX}"),))
    results: list[EvalResult] = []
    for index, prompt in enumerate(prompts):
        path = join(prompts_path, index)
        try:
            found, notes = _prompt_results(facts, mapping(prompt, path), path, labels, catalog)
        except ShapeError as error:
            problems.append(EvidenceProblem(file, f"{error}; {FIX}"))
            continue
        results.extend(found)
        problems.extend(EvidenceProblem(file, note) for note in notes)
    if not prompts:
        problems.append(EvidenceProblem(file, f"{prompts_path} is empty: the eval recorded no prompt x provider results; {FIX}"))
    return EvidenceFile(file, "promptfoo", tuple(results), tuple(problems))


def _row_outcome(row: Mapping[str, Any]) -> str:
    success = need(row, "success", "")
    if not isinstance(success, bool):
        raise ShapeError("success", f"should be true or false, not {success!r}")
    if success:
        return "passed"
    return "errors" if row.get("failureReason") == _FAILURE_ERROR else "failed"


@dataclass
class _Tally:
    """Outcomes and named scores of one provider x prompt, summed over `.jsonl` rows."""

    outcomes: dict[str, int] = field(default_factory=lambda: {"passed": 0, "failed": 0, "errors": 0})
    named: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


def _tally_results(provider_id: str, label: str | None, tally: _Tally, file: str, catalog: PriceCatalog) -> list[EvalResult]:
    counts = PassCounts(tally.outcomes["passed"], tally.outcomes["failed"], tally.outcomes["errors"])
    ref = model_ref(provider_id, "promptfoo", catalog)
    results: list[EvalResult] = []
    if counts.rate is not None:
        results.append(EvalResult(file=file, tool="promptfoo", tool_version=None, format_version=None, model=ref,
                                  metric="pass_rate", score=counts.rate, samples=counts.total, created=None,
                                  prompt=label, counts=counts))
    for name, scores in sorted(tally.named.items()):
        results.append(EvalResult(file=file, tool="promptfoo", tool_version=None, format_version=None, model=ref,
                                  metric=name, score=sum(scores) / len(scores), samples=len(scores), created=None,
                                  prompt=label))
    return results


def read_promptfoo_jsonl(lines: Iterable[str], file: str, catalog: PriceCatalog) -> EvidenceFile:
    """Results of a promptfoo `.jsonl` output (one test result per line), per provider x prompt.

    The rows carry no date, tool version or summary metrics: pass rates and named-score averages are computed
    from the rows, and the results are undated.
    """
    problems: list[EvidenceProblem] = []
    tallies: dict[tuple[str, str | None], _Tally] = {}
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = mapping(json.loads(line), "the line")
            provider_id = text(need(mapping(need(row, "provider", ""), "provider"), "id", "provider"), "provider.id")
            prompt = row.get("prompt")
            label = optional_text(prompt.get("label")) if isinstance(prompt, dict) else None
            outcome = _row_outcome(row)
            scores = row.get("namedScores")
            values = {name: number(value, f"namedScores.{name}")
                      for name, value in (mapping(scores, "namedScores").items() if scores is not None else ())}
        except json.JSONDecodeError as error:
            problems.append(EvidenceProblem(file, f"not valid JSON ({error.msg}); each line of a promptfoo .jsonl output "
                                                  f"is one test result; {JSONL_FIX}", line_number, error.colno))
            continue
        except ShapeError as error:
            problems.append(EvidenceProblem(file, f"{error}; {JSONL_FIX}", line_number))
            continue
        tally = tallies.setdefault((provider_id, label), _Tally())
        tally.outcomes[outcome] += 1
        for name, value in values.items():
            tally.named[name].append(value)
    results = [result for (provider_id, label), tally in sorted(tallies.items(), key=lambda item: (item[0][0], item[0][1] or ""))
               for result in _tally_results(provider_id, label, tally, file, catalog)]
    if not tallies and not problems:
        problems.append(EvidenceProblem(file, f"no test results: the file is empty; {JSONL_FIX}"))
    return EvidenceFile(file, "promptfoo", tuple(results), tuple(problems))
