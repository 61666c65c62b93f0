"""The facts behind OBH206 unevaluated-model and OBH207 cheaper-model-meets-bar, with their message text.

Pure functions over an `EvidenceReport`; the rules place the facts at call sites or in the policy.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cost import usd
from ._collect import EvidenceReport, ModelEvidence, UseCaseEvidence, Verdict
from ._result import EvalResult


def _score(value: float) -> str:
    return f"{value:.3g}"


def describe_result(result: EvalResult, parens: bool = True) -> str:
    """`evals/triage/results.json (promptfoo, 200 samples, 2026-11-18)`, or with commas for `parens=False`."""
    details: list[str] = [result.tool]
    if result.samples is not None:
        details.append(f"{result.samples} sample{'s' if result.samples != 1 else ''}")
    if result.day is not None:
        details.append(result.day.isoformat())
    return f"{result.file} ({', '.join(details)})" if parens else ", ".join((result.file, *details))


@dataclass(frozen=True, slots=True)
class UnevaluatedModel:
    """OBH206: a model approved for or used by a use case with a quality bar, without evidence meeting it."""

    use_case: str
    model: str
    #: `missing`, `below`, `stale` or `undated`.
    verdict: Verdict
    approved: bool
    used: bool
    #: The result the verdict rests on (the best below the bar, the newest stale one); None when missing.
    evidence: EvalResult | None
    message: str


def _unevaluated_message(use_case: UseCaseEvidence, entry: ModelEvidence) -> str:
    bar = use_case.bar
    need = f"{bar.metric} >= {bar.min:g}"
    evidence = entry.evidence
    if entry.verdict == "missing" or evidence is None:
        return (f"model {entry.model!r} has no evaluation result for use case {use_case.use_case!r}, which requires "
                f"{need} (quality.evidence: {', '.join(bar.evidence)}); evaluate it and commit the result file")
    if entry.verdict == "below":
        return (f"model {entry.model!r} scores {_score(evidence.score)} {bar.metric} in {describe_result(evidence)}, below the bar "
                f"of {bar.min:g} of use case {use_case.use_case!r}; use a model that meets it, or improve the prompt and "
                "re-evaluate")
    if entry.verdict == "stale":
        return (f"the newest result of model {entry.model!r} that meets the bar ({bar.metric} {_score(evidence.score)}; "
                f"{describe_result(evidence, parens=False)}) is {entry.age_days} days old; use case {use_case.use_case!r} accepts "
                f"results up to {bar.max_age_days} days old; re-run the evaluation")
    return (f"model {entry.model!r} scores {_score(evidence.score)} {bar.metric} in {describe_result(evidence)}, but the file records "
            f"no date, so its age can't be checked against max_age_days {bar.max_age_days}; write results that carry "
            "their date (promptfoo `--output results.json`, an Inspect log)")


def unevaluated_model(use_case: UseCaseEvidence, model: str) -> UnevaluatedModel | None:
    """The OBH206 fact for `model` (a `canonical_model` id) in `use_case`; None when its evidence meets the bar.

    A model the report doesn't list (the collector wasn't told it is used) has no evidence: `missing`.
    """
    entry = use_case.get(model) or ModelEvidence(model=model, approved=False, used=True, verdict="missing",
                                                 evidence=None, results=(), age_days=None)
    if entry.verdict == "meets":
        return None
    return UnevaluatedModel(use_case.use_case, entry.model, entry.verdict, entry.approved, entry.used, entry.evidence,
                            _unevaluated_message(use_case, entry))


def unevaluated_models(report: EvidenceReport) -> tuple[UnevaluatedModel, ...]:
    """OBH206 facts for every approved or used model without evidence meeting its use case's bar."""
    facts: list[UnevaluatedModel] = []
    for use_case in report.use_cases:
        for entry in use_case.models:
            if entry.approved or entry.used:
                fact = unevaluated_model(use_case, entry.model)
                if fact is not None:
                    facts.append(fact)
    return tuple(facts)


@dataclass(frozen=True, slots=True)
class CheaperModel:
    """OBH207: an evaluated model meeting the bar costs less per task than the model a call uses."""

    use_case: str
    used_model: str
    cheaper_model: str
    used_cost_per_task_usd: float
    cheaper_cost_per_task_usd: float
    tasks_per_month: float | None
    #: (used - cheaper) x tasks_per_month; None without `budget.tasks_per_month`.
    monthly_difference_usd: float | None
    #: The result showing the cheaper model meets the bar.
    evidence: EvalResult
    message: str


def cheaper_model(use_case: UseCaseEvidence, used_model: str) -> CheaperModel | None:
    """The OBH207 fact for a call using `used_model` (a `canonical_model` id); None when nothing cheaper meets the bar.

    The cheaper model is the cheapest that meets the bar (the best-scoring one among equals).
    """
    used = use_case.get(used_model)
    if used is None or used.cost_per_task_usd is None:
        return None
    cheaper = [m for m in use_case.models
               if m.verdict == "meets" and m.evidence is not None and m.cost_per_task_usd is not None
               and m.cost_per_task_usd < used.cost_per_task_usd and m.model != used.model]
    if not cheaper:
        return None
    best = min(cheaper, key=lambda m: (m.cost_per_task_usd or 0.0, -(m.score or 0.0), m.model))
    assert best.evidence is not None and best.cost_per_task_usd is not None
    bar = use_case.bar
    tasks = use_case.tasks_per_month
    difference = (used.cost_per_task_usd - best.cost_per_task_usd) * tasks if tasks is not None else None
    monthly = (f"{usd(difference)}/month less at {tasks:,.0f} tasks/month" if difference is not None
               else "set budget.tasks_per_month to see the difference per month")
    message = (f"{best.model!r} meets the quality bar of use case {use_case.use_case!r} ({bar.metric} "
               f"{_score(best.evidence.score)} >= {bar.min:g}; evidence: {describe_result(best.evidence, parens=False)}) at "
               f"{usd(best.cost_per_task_usd)} per task, against {usd(used.cost_per_task_usd)} for {used.model!r}: {monthly}")
    return CheaperModel(use_case.use_case, used.model, best.model, used.cost_per_task_usd, best.cost_per_task_usd,
                        tasks, difference, best.evidence, message)


def cheaper_models(report: EvidenceReport) -> tuple[CheaperModel, ...]:
    """OBH207 facts for every used model of every use case that a cheaper evaluated model could replace."""
    facts: list[CheaperModel] = []
    for use_case in report.use_cases:
        for entry in use_case.models:
            if entry.used:
                fact = cheaper_model(use_case, entry.model)
                if fact is not None:
                    facts.append(fact)
    return tuple(facts)
