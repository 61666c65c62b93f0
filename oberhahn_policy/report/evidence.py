"""The `evidence` report: per use case with a quality bar, each model's score, samples, age, cost per task and verdict.

Formats: text (a table per use case), json (a pydantic document, so its schema is published) and
markdown (a pull-request comment). None computes anything: they print an `EvidenceReport`, whose
costs per task come from the use case's volumes (oberhahn_policy/evidence/_project.py).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Callable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .._version import __version__
from ..cost import usd
from ..evidence import EvalResult, EvidenceReport, ModelEvidence, UseCaseEvidence
from ..published_schema import published_schema
from ..wording import plural
from ._context import ReportContext
from ._tables import markdown_cell, markdown_table, text_table
from .documents import ToolInfo

# --- JSON ------------------------------------------------------------------------------------


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EvidenceResultRow(_Document):
    """One score of the model for the bar's metric, from one result file."""

    file: str
    tool: Literal["promptfoo", "inspect"]
    tool_version: Optional[str]
    metric: str
    scorer: Optional[str]
    score: float
    samples: Optional[int]
    date: Optional[str] = Field(description="The day the evaluation ran, as the file records it.")
    task: Optional[str]
    prompt: Optional[str]


class EvidenceModelRow(_Document):
    model: str = Field(description="Catalog model id (or the name as written, for models the catalog doesn't know).")
    approved: bool
    used: bool = Field(description="A call site of the use case uses it.")
    verdict: Literal["meets", "below", "stale", "undated", "missing"]
    score: Optional[float] = Field(description="The score the verdict rests on.")
    samples: Optional[int]
    file: Optional[str]
    date: Optional[str]
    age_days: Optional[int]
    cost_per_task_usd: Optional[float] = Field(
        description="One call of the model with the use case's average tokens, x calls_per_task, at list or policy price.")
    monthly_usd: Optional[float] = Field(description="cost_per_task_usd x tasks_per_month.")
    cheapest: bool = Field(description="The cheapest model meeting the bar (ties are all marked).")
    results: list[EvidenceResultRow]


class EvidenceUnidentified(_Document):
    """A result naming no model this tool can identify (`python:` providers, `mockllm/model`)."""

    file: str
    model: str
    metric: str
    score: float


class EvidenceUseCaseRow(_Document):
    name: str
    metric: str
    min: float
    evidence: list[str] = Field(description="The quality bar's result-file patterns.")
    max_age_days: Optional[int]
    tasks_per_month: Optional[float]
    files: list[str] = Field(description="Result files the patterns match.")
    models: list[EvidenceModelRow]
    cheapest: list[str]
    unidentified: list[EvidenceUnidentified]
    notes: list[str]


class EvidenceProblemRow(_Document):
    file: str
    line: Optional[int]
    column: Optional[int]
    message: str


class EvidenceDocument(_Document):
    """`oberhahn-policy evidence --format json`."""

    tool: ToolInfo = ToolInfo()
    today: str
    use_cases: list[EvidenceUseCaseRow]
    problems: list[EvidenceProblemRow] = Field(description="Result files (or parts of them) that could not be read.")


def _money(value: float | None) -> float | None:
    return None if value is None else round(value, 10)


def _monthly(use_case: UseCaseEvidence, model: ModelEvidence) -> float | None:
    if model.cost_per_task_usd is None or use_case.tasks_per_month is None:
        return None
    return model.cost_per_task_usd * use_case.tasks_per_month


def _result_row(result: EvalResult, context: ReportContext) -> EvidenceResultRow:
    return EvidenceResultRow(file=context.display(result.file), tool=result.tool, tool_version=result.tool_version,
                             metric=result.metric, scorer=result.scorer, score=round(result.score, 10),
                             samples=result.samples, date=result.day.isoformat() if result.day else None,
                             task=result.task, prompt=result.prompt)


def evidence_document(report: EvidenceReport, context: ReportContext) -> EvidenceDocument:
    use_cases = []
    for use_case in report.use_cases:
        bar = use_case.bar
        models = [EvidenceModelRow(
            model=m.model, approved=m.approved, used=m.used, verdict=m.verdict,
            score=None if m.score is None else round(m.score, 10), samples=m.samples,
            file=context.display(m.file) if m.file else None,
            date=m.evidence.day.isoformat() if m.evidence is not None and m.evidence.day else None, age_days=m.age_days,
            cost_per_task_usd=_money(m.cost_per_task_usd), monthly_usd=_money(_monthly(use_case, m)), cheapest=m.cheapest,
            results=[_result_row(r, context) for r in m.results]) for m in use_case.models]
        use_cases.append(EvidenceUseCaseRow(
            name=use_case.use_case, metric=bar.metric, min=bar.min, evidence=list(bar.evidence),
            max_age_days=bar.max_age_days, tasks_per_month=use_case.tasks_per_month,
            files=[context.display(f) for f in use_case.files], models=models, cheapest=list(use_case.cheapest),
            unidentified=[EvidenceUnidentified(file=context.display(r.file), model=r.model.raw, metric=r.metric,
                                               score=round(r.score, 10)) for r in use_case.unidentified],
            notes=list(use_case.notes)))
    problems = [EvidenceProblemRow(file=context.display(p.file), line=p.line, column=p.column, message=p.message)
                for p in report.problems]
    return EvidenceDocument(today=report.today.isoformat(), use_cases=use_cases, problems=problems)


def evidence_json(report: EvidenceReport, context: ReportContext) -> str:
    return json.dumps(evidence_document(report, context).model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def evidence_json_schema() -> dict[str, object]:
    """The published schema of `evidence --format json`."""
    return published_schema(EvidenceDocument, "evidence", mode="serialization")


# --- text and markdown ---------------------------------------------------------------------------

_HEADERS = ("model", "approved", "used", "score", "samples", "age", "evidence", "cost/task", "monthly", "verdict")
_RIGHT = frozenset({3, 4, 5, 7, 8})


def _bar(use_case: UseCaseEvidence) -> str:
    bar = use_case.bar
    age = f", results at most {bar.max_age_days} days old" if bar.max_age_days is not None else ""
    files = len(use_case.files)
    return (f"{bar.metric} >= {bar.min:g}{age}, from {', '.join(bar.evidence)} "
            f"({files} result file{'s' if files != 1 else ''})")


def _verdict(model: ModelEvidence) -> str:
    return model.verdict + (", cheapest" if model.cheapest else "")


def _rows(use_case: UseCaseEvidence, context: ReportContext, path: Callable[[str], str]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for m in use_case.models:
        age = "-" if m.evidence is None else ("undated" if m.age_days is None else plural(m.age_days, "day"))
        rows.append((m.model, "yes" if m.approved else "-", "yes" if m.used else "-",
                     "-" if m.score is None else f"{m.score:.4g}", "-" if m.samples is None else f"{m.samples:,}", age,
                     path(context.display(m.file)) if m.file else "-", usd(m.cost_per_task_usd),
                     usd(_monthly(use_case, m)), _verdict(m)))
    return rows


def _extras(use_case: UseCaseEvidence, context: ReportContext) -> list[str]:
    lines = [f"not identified: {r.model.raw} in {context.display(r.file)} ({r.metric} {r.score:.3g})"
             for r in use_case.unidentified]
    return lines + list(use_case.notes)


def _cheapest(use_case: UseCaseEvidence) -> str:
    if use_case.cheapest:
        return f"Cheapest meeting the bar: {', '.join(use_case.cheapest)}."
    return "No model with a known cost meets the bar."


def evidence_text(report: EvidenceReport, context: ReportContext) -> str:
    lines = [f"Evaluation evidence per use case, as of {report.today.isoformat()}"]
    if not report.use_cases:
        lines += ["", "No use case declares a quality bar (use_cases.NAME.quality)."]
    for use_case in report.use_cases:
        lines += ["", f"{use_case.use_case}: {_bar(use_case)}"]
        lines += ["  " + line for line in text_table(_HEADERS, _rows(use_case, context, lambda s: s), _RIGHT)]
        lines.append(f"  {_cheapest(use_case)}")
        lines += [f"  {line}" for line in _extras(use_case, context)]
    if report.problems:
        lines += ["", "Result files that could not be (fully) read:"]
        lines += [f"  {context.display(p.file)}{str(p)[len(p.file):]}" for p in report.problems]
    lines += ["", "cost/task: one call with the use case's average tokens, x calls_per_task, at list or policy price; "
                  "monthly: x tasks_per_month."]
    return "\n".join(lines) + "\n"


def evidence_markdown(report: EvidenceReport, context: ReportContext) -> str:
    # a pull-request comment names files as the repository does, wherever the command ran
    context = replace(context, cwd=context.repository or context.root)
    lines = ["## Evaluation evidence", ""]
    if not report.use_cases:
        lines.append("No use case declares a quality bar (`use_cases.NAME.quality`).")
    for use_case in report.use_cases:
        lines += [f"### `{use_case.use_case}`", "", markdown_cell(_bar(use_case)), ""]
        lines += markdown_table(_HEADERS, _rows(use_case, context, lambda s: f"`{s}`"), _RIGHT)
        lines += ["", f"**{_cheapest(use_case)}**"]
        extras = _extras(use_case, context)
        if extras:
            lines += [""] + [f"- {markdown_cell(e)}" for e in extras]
        lines.append("")
    if report.problems:
        lines += ["Result files that could not be (fully) read:", ""]
        lines += [f"- `{context.display(p.file)}{str(p)[len(p.file):].split(': ', 1)[0]}`: "
                  f"{markdown_cell(p.message)}" for p in report.problems]
        lines.append("")
    lines.append(f"<sub>oberhahn-policy {__version__}; as of {report.today.isoformat()}. Cost per task: one call with the "
                 "use case's average tokens, x calls_per_task, at list or policy price; monthly: x tasks_per_month.</sub>")
    return "\n".join(lines) + "\n"


EVIDENCE_FORMATS: dict[str, Callable[[EvidenceReport, ReportContext], str]] = {
    "text": evidence_text,
    "json": evidence_json,
    "markdown": evidence_markdown,
}
