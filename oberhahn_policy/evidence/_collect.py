"""Evidence per use case: which of its models have evaluation results meeting its quality bar.

For every use case with `quality`, the result files matching its `evidence` patterns (gitignore semantics,
relative to the project root) are read once, their results for the bar's metric are grouped per model, and
each model that was evaluated, is approved or is used gets a verdict:

- `meets`: a result within `max_age_days` scores at least `min` (the evidence is the best such result);
- `stale`: results meet the bar, but all are older than `max_age_days` (the evidence is the newest of them);
- `undated`: results meet the bar, but their files record no date while `max_age_days` applies;
- `below`: results exist, none meets the bar (the evidence is the best current result, else the best);
- `missing`: no result for the model.

Cost per task is the caller's (the cost projection knows call sites and volumes); the cheapest model that
meets the bar is marked.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Literal, Mapping, Optional

import pathspec

from ..catalog import PriceCatalog, load_catalog
from ..modelids import matches
from ..policy.model import Policy, QualityBar, UseCase
from ._read import RESULT_SUFFIXES, read_evidence_file
from ._result import EvalResult, EvidenceFile, EvidenceProblem

Verdict = Literal["meets", "below", "stale", "undated", "missing"]
#: `cost_per_task(use_case, model_id)`: USD per task if the use case ran on that model; None when unknown.
CostPerTask = Callable[[str, str], Optional[float]]

#: Directories that hold no evaluation results of the project's own (tool caches, environments, VCS data).
_SKIPPED = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
                      ".mypy_cache", ".pytest_cache", ".ruff_cache", ".oberhahn-cache", "site-packages"})


@dataclass(frozen=True, slots=True)
class ModelEvidence:
    """One model of a use case: its evaluation results for the bar's metric, its verdict and its cost."""

    #: Catalog model id; the tool's model string when the catalog doesn't know it (an Azure deployment name,
    #: a fine-tune); an approved pattern that names no known model.
    model: str
    #: Matches the use case's `models.approved`.
    approved: bool
    #: A call site of the use case uses it (as the caller said).
    used: bool
    verdict: Verdict
    #: The result the verdict rests on; None when `missing`.
    evidence: EvalResult | None
    #: Every usable result for the bar's metric, newest first.
    results: tuple[EvalResult, ...]
    #: Days from the evidence's date to `today`; None when missing or undated.
    age_days: int | None
    #: USD per task on this model, from the caller's cost projection; None when unknown.
    cost_per_task_usd: float | None = None
    #: The cheapest model meeting the bar (ties are all marked).
    cheapest: bool = False

    @property
    def score(self) -> float | None:
        return self.evidence.score if self.evidence is not None else None

    @property
    def samples(self) -> int | None:
        return self.evidence.samples if self.evidence is not None else None

    @property
    def file(self) -> str | None:
        return self.evidence.file if self.evidence is not None else None


@dataclass(frozen=True, slots=True)
class UseCaseEvidence:
    """A use case's quality bar and the evidence for each of its models."""

    use_case: str
    bar: QualityBar
    #: `budget.tasks_per_month`, for turning cost per task into $/month.
    tasks_per_month: float | None
    #: Result files the evidence patterns match, POSIX and relative to the project root.
    files: tuple[str, ...]
    #: Evaluated, approved and used models, sorted by model id.
    models: tuple[ModelEvidence, ...]
    #: Results in those files that name no model this tool can identify (`python:` providers, `mockllm/model`).
    unidentified: tuple[EvalResult, ...] = ()
    #: Why evidence was not found or not used (no file matches, the metric is named nowhere, an ambiguous metric).
    notes: tuple[str, ...] = ()

    @property
    def cheapest(self) -> tuple[str, ...]:
        return tuple(m.model for m in self.models if m.cheapest)

    def get(self, model: str) -> ModelEvidence | None:
        """The entry for a model id as `canonical_model` gives it."""
        return next((m for m in self.models if m.model == model), None)


@dataclass(frozen=True, slots=True)
class EvidenceReport:
    """Evidence for every use case with a quality bar, and every result file read."""

    today: date
    use_cases: tuple[UseCaseEvidence, ...]
    #: Every result file read (each once, however many use cases name it), sorted.
    files: tuple[EvidenceFile, ...]

    @property
    def problems(self) -> tuple[EvidenceProblem, ...]:
        """Malformed or partial files, sorted; the rest of each file, and every other file, was still read."""
        return tuple(sorted((p for f in self.files for p in f.problems),
                            key=lambda p: (p.file, p.line or 0, p.column or 0, p.message)))

    def get(self, use_case: str) -> UseCaseEvidence | None:
        return next((u for u in self.use_cases if u.use_case == use_case), None)


def canonical_model(model: str, catalog: PriceCatalog | None = None, provider: str | None = None) -> str:
    """The id evidence is keyed by: the catalog's id for any of the model's spellings, else the model as written."""
    entry = (catalog if catalog is not None else load_catalog()).lookup(model, provider)
    return entry.id if entry is not None else model


def result_files(root: Path) -> list[str]:
    """Every file under `root` a reader understands, as POSIX paths relative to it, sorted."""
    found: list[str] = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIPPED)
        base = Path(directory).relative_to(root)
        found.extend((base / name).as_posix() for name in filenames if name.lower().endswith(RESULT_SUFFIXES))
    return sorted(found)


def _matching(files: Iterable[str], patterns: tuple[str, ...]) -> tuple[str, ...]:
    spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    return tuple(f for f in files if spec.match_file(f))


def _select(results: Iterable[EvalResult], metric: str) -> tuple[list[EvalResult], list[str]]:
    """Results for `metric` (by name, or as `scorer/metric`), without ambiguous or out-of-range ones."""
    chosen: list[EvalResult] = []
    notes: list[str] = []
    by_name: dict[tuple[str, str, str | None, str | None], list[EvalResult]] = {}
    for result in results:
        qualified = f"{result.scorer}/{result.metric}" if result.scorer else None
        if qualified == metric:
            chosen.append(result)
        elif result.metric == metric:
            by_name.setdefault((result.file, result.model.raw, result.task, result.prompt), []).append(result)
    for (file, raw, _, _), group in by_name.items():
        scorers = sorted({r.scorer for r in group if r.scorer})
        if len(scorers) > 1:
            notes.append(f"{file}: metric {metric!r} of {raw} comes from scorers {', '.join(scorers)}; name one in "
                         f"quality.metric, e.g. '{scorers[0]}/{metric}'")
            continue
        chosen.extend(group)
    usable: list[EvalResult] = []
    for result in chosen:
        if 0.0 <= result.score <= 1.0:
            usable.append(result)
        else:
            notes.append(f"{result.file}: {metric} of {result.model.raw} is {result.score:g}, not a fraction in 0..1, so "
                         "it can't be compared with quality.min; use a metric on a 0..1 scale")
    return usable, notes


def _newest_first(results: Iterable[EvalResult]) -> tuple[EvalResult, ...]:
    return tuple(sorted(results, key=lambda r: (r.day or date.min, r.score, r.file), reverse=True))


def _best(results: Iterable[EvalResult]) -> EvalResult:
    return max(results, key=lambda r: (r.score, r.day or date.min, r.file))


def _verdict(results: tuple[EvalResult, ...], bar: QualityBar, today: date) -> tuple[Verdict, EvalResult | None]:
    if not results:
        return "missing", None

    def current(r: EvalResult) -> bool:
        return bar.max_age_days is None or (r.day is not None and (today - r.day).days <= bar.max_age_days)

    meeting = [r for r in results if r.score >= bar.min]
    if any(current(r) for r in meeting):
        return "meets", _best(r for r in meeting if current(r))
    dated = [r for r in meeting if r.day is not None]
    if dated:
        return "stale", max(dated, key=lambda r: (r.day or date.min, r.score))
    if meeting:
        return "undated", _best(meeting)
    fresh = [r for r in results if current(r)]
    return "below", _best(fresh or results)


def _approved_models(use_case: UseCase, catalog: PriceCatalog, today: date) -> tuple[set[str], list[str]]:
    """Catalog ids an approved pattern matches (retired ones left out), and patterns that match no catalog model.

    Several providers sell one model (Anthropic, Bedrock, Vertex...): a name the pattern matches stands for the
    model it names, keyed like evidence is (`canonical_model`), not for each provider's entry.
    """
    ids: set[str] = set()
    unmatched: list[str] = []
    for pattern in use_case.models.approved:
        found = {canonical_model(name, catalog) for m in catalog.models
                 if m.retires is None or m.retires > today
                 for name in m.names if fnmatch.fnmatchcase(name.lower(), pattern.lower())}
        ids |= found
        if not found:
            unmatched.append(pattern)
    return ids, unmatched


def _use_case_evidence(name: str, use_case: UseCase, bar: QualityBar, files: tuple[str, ...],
                       read: Mapping[str, EvidenceFile], used: set[str], today: date, catalog: PriceCatalog,
                       cost_per_task: CostPerTask | None) -> UseCaseEvidence:
    notes: list[str] = []
    patterns = ", ".join(bar.evidence)
    if not files:
        notes.append(f"no result file ({', '.join(RESULT_SUFFIXES)}) matches quality.evidence ({patterns})")
    everything = [r for f in files for r in read[f].results]
    unidentified = tuple(r for r in everything if r.model.model is None)
    selected, select_notes = _select((r for r in everything if r.model.model is not None), bar.metric)
    notes.extend(select_notes)
    if everything and not selected and not select_notes:
        metrics = sorted({r.metric for r in everything})
        notes.append(f"no result in {patterns} reports metric {bar.metric!r}; they report: {', '.join(metrics)}")
    per_model: dict[str, list[EvalResult]] = {}
    for result in selected:
        per_model.setdefault(result.model.model or "", []).append(result)
    approved_ids, approved_patterns = _approved_models(use_case, catalog, today)
    keys = set(per_model) | approved_ids | used
    keys |= {p for p in approved_patterns if not any(matches(k, (p,)) for k in keys)}
    models: list[ModelEvidence] = []
    for key in sorted(keys):
        results = _newest_first(per_model.get(key, ()))
        verdict, evidence = _verdict(results, bar, today)
        age = (today - evidence.day).days if evidence is not None and evidence.day is not None else None
        models.append(ModelEvidence(
            model=key, approved=key in approved_ids or matches(key, use_case.models.approved) is not None,
            used=key in used, verdict=verdict, evidence=evidence, results=results, age_days=age,
            cost_per_task_usd=cost_per_task(name, key) if cost_per_task is not None else None))
    return UseCaseEvidence(name, bar, use_case.budget.tasks_per_month, files, _mark_cheapest(models),
                           unidentified, tuple(notes))


def _mark_cheapest(models: list[ModelEvidence]) -> tuple[ModelEvidence, ...]:
    costs = [m.cost_per_task_usd for m in models if m.verdict == "meets" and m.cost_per_task_usd is not None]
    if not costs:
        return tuple(models)
    lowest = min(costs)
    return tuple(replace(m, cheapest=True)
                 if m.verdict == "meets" and m.cost_per_task_usd is not None
                 and m.cost_per_task_usd <= lowest + 1e-12 * max(1.0, abs(lowest)) else m
                 for m in models)


def collect_evidence(root: Path, policy: Policy, today: date, *, cost_per_task: CostPerTask | None = None,
                     used_models: Mapping[str, Iterable[str]] | None = None,
                     catalog: PriceCatalog | None = None) -> EvidenceReport:
    """Evidence for every use case of `policy` that declares `quality`, read from files under `root`.

    `used_models` maps a use case to the models its call sites use (any spelling; they are canonicalised
    through the catalog); `cost_per_task(use_case, model_id)` prices a model for the use case.
    """
    prices = catalog if catalog is not None else load_catalog()
    root = root.resolve()
    bars = {name: uc for name, uc in sorted(policy.use_cases.items()) if uc.quality is not None}
    candidates = result_files(root) if bars else []
    matched = {name: _matching(candidates, uc.quality.evidence) for name, uc in bars.items() if uc.quality is not None}
    read = {f: read_evidence_file(root / f, f, prices) for f in sorted({f for fs in matched.values() for f in fs})}
    used = {name: {canonical_model(m, prices) for m in models} for name, models in (used_models or {}).items()}
    use_cases = tuple(
        _use_case_evidence(name, uc, uc.quality, matched[name], read, used.get(name, set()), today, prices, cost_per_task)
        for name, uc in bars.items() if uc.quality is not None)
    return EvidenceReport(today, use_cases, tuple(read[f] for f in sorted(read)))
