"""The `savings` report: every lever in $/month, largest first, with what it rests on and the arithmetic.

Formats: text (a terminal), json (a pydantic document, its schema published) and markdown (a
pull-request comment: a verdict line, the table, the details folded). None computes a figure: they
print a `SavingsReport` (oberhahn_policy/savings/).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Callable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .._version import __version__
from ..cost import usd
from ..published_schema import published_schema
from ..savings import Lever, Measure, SavingsReport
from ..wording import plural
from ._context import ReportContext
from ._tables import markdown_cell, markdown_table, text_table
from .documents import ToolInfo

# --- JSON ------------------------------------------------------------------------------------


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _money(value: float | None) -> float | None:
    return None if value is None else round(value, 10)


class SavingsCallSite(_Document):
    path: str
    line: int
    column: int
    function: Optional[str]
    provider: str
    api: str
    model: Optional[str]
    cost_per_call_now_usd: Optional[float] = Field(
        description="Expected (worst case for output caps); null when unbounded.")
    cost_per_call_after_usd: Optional[float]
    monthly_now_usd: Optional[float]
    monthly_after_usd: Optional[float]
    arithmetic: list[str] = Field(description="How the figures are computed: now, after, per month.")


class SavingsLever(_Document):
    rank: int
    kind: Literal["routing", "batch-tier", "prompt-caching", "output-cap", "prompt-trim"]
    rule: Optional[str] = Field(description="The rule that reports it at each call site.")
    use_case: Optional[str] = Field(description="null for call sites no declared use case claims.")
    measure: Literal["expected", "worst-case"] = Field(
        description="`expected`: projected spend; `worst-case`: spend if every answer ran to its output limit.")
    change: str
    basis: str = Field(description="The evidence or price the figures rest on.")
    evidence_file: Optional[str]
    monthly_now_usd: Optional[float]
    monthly_after_usd: Optional[float]
    saving_usd: Optional[float]
    saving_pct: Optional[float]
    calls_per_task: float
    tasks_per_month: Optional[float]
    unpriced: Optional[str] = Field(description="Why there is no $/month figure.")
    caveats: list[str]
    call_sites: list[SavingsCallSite]


class SavingsTotals(_Document):
    expected_saving_usd: float = Field(description="Priced expected-spend savings added up (see overlaps).")
    worst_case_saving_usd: float = Field(description="Worst-case exposure the output caps remove, added up.")
    levers: int
    priced_levers: int


class SavingsOverlap(_Document):
    path: str
    line: int
    kinds: list[str]


class SavingsUntiered(_Document):
    use_case: str
    path: str
    line: int
    model: Optional[str]


class SavingsDocument(_Document):
    """`oberhahn-policy savings --format json`."""

    tool: ToolInfo = ToolInfo()
    catalog_as_of: str
    today: str
    projected_monthly_usd: float
    projection_complete: bool
    levers: list[SavingsLever]
    totals: SavingsTotals
    overlaps: list[SavingsOverlap] = Field(
        description="Calls several expected-spend levers apply to: their savings overlap.")
    untiered: list[SavingsUntiered] = Field(
        description="Calls of offline use cases whose model has no batch or flex price.")


def savings_document(report: SavingsReport, context: ReportContext) -> SavingsDocument:
    levers = []
    for rank, lever in enumerate(report.levers, start=1):
        sites = [SavingsCallSite(
            path=context.display(e.site.path), line=e.site.site.line, column=e.site.site.column,
            function=e.site.site.function, provider=e.site.provider, api=e.site.site.api, model=e.site.model,
            cost_per_call_now_usd=_money(e.per_call_now_usd), cost_per_call_after_usd=_money(e.per_call_after_usd),
            monthly_now_usd=_money(e.monthly_now_usd), monthly_after_usd=_money(e.monthly_after_usd),
            arithmetic=list(e.arithmetic)) for e in lever.sites]
        levers.append(SavingsLever(
            rank=rank, kind=lever.kind, rule=lever.rule, use_case=lever.use_case, measure=lever.measure,
            change=lever.change, basis=lever.basis,
            evidence_file=context.display(lever.evidence_file) if lever.evidence_file else None,
            monthly_now_usd=_money(lever.monthly_now_usd), monthly_after_usd=_money(lever.monthly_after_usd),
            saving_usd=_money(lever.saving_usd), saving_pct=None if lever.saving_pct is None else round(lever.saving_pct, 4),
            calls_per_task=lever.calls_per_task, tasks_per_month=lever.tasks_per_month, unpriced=lever.unpriced,
            caveats=list(lever.caveats), call_sites=sites))
    return SavingsDocument(
        catalog_as_of=report.catalog_as_of.isoformat(), today=report.today.isoformat(),
        projected_monthly_usd=_money(report.projected_monthly_usd) or 0.0, projection_complete=report.projection_complete,
        levers=levers,
        totals=SavingsTotals(expected_saving_usd=_money(report.expected_saving_usd) or 0.0,
                             worst_case_saving_usd=_money(report.worst_case_saving_usd) or 0.0, levers=len(report.levers),
                             priced_levers=sum(1 for lever in report.levers if lever.saving_usd is not None)),
        overlaps=[SavingsOverlap(path=context.display(site.path), line=site.site.line, kinds=list(kinds))
                  for site, kinds in report.overlaps],
        untiered=[SavingsUntiered(use_case=name, path=context.display(site.path), line=site.site.line, model=site.model)
                  for name, site in report.untiered])


def savings_json(report: SavingsReport, context: ReportContext) -> str:
    return json.dumps(savings_document(report, context).model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def savings_json_schema() -> dict[str, object]:
    """The published schema of `savings --format json`."""
    return published_schema(SavingsDocument, "savings", mode="serialization")


# --- text and markdown ---------------------------------------------------------------------------

_HEADERS = ("#", "lever", "use case", "call sites", "now/month", "after/month", "saving/month", "%")
_RIGHT = frozenset({0, 4, 5, 6, 7})
_SECTIONS: tuple[tuple[Measure, str], ...] = (("expected", "Expected spend"),
             ("worst-case", "Worst-case exposure (if every answer ran to its output limit)"))


def _where(lever: Lever, context: ReportContext, code: Callable[[str], str]) -> str:
    return ", ".join(code(f"{context.display(e.site.path)}:{e.site.site.line}") for e in lever.sites)


def _money_cell(value: float | None, unbounded: bool) -> str:
    return "unbounded" if value is None and unbounded else usd(value)


def _row(rank: int, lever: Lever, context: ReportContext, code: Callable[[str], str]) -> tuple[str, ...]:
    unbounded = lever.unpriced is None and lever.measure == "worst-case"
    pct = lever.saving_pct
    return (str(rank), lever.kind, lever.use_case or "(unattributed)", _where(lever, context, code),
            _money_cell(lever.monthly_now_usd, unbounded), usd(lever.monthly_after_usd) if lever.unpriced is None else "n/a",
            usd(lever.saving_usd) if lever.saving_usd is not None else "n/a", "-" if pct is None else f"{pct:.0f}%")


def _ranked(report: SavingsReport, measure: Measure) -> list[tuple[int, Lever]]:
    return [(rank, lever) for rank, lever in enumerate(report.levers, start=1) if lever.measure == measure]


def _total_line(report: SavingsReport, measure: Measure) -> str:
    if not any(lever.saving_usd is not None for lever in report.measured(measure)):
        return "Total: no figure (each lever here is unbounded now or can't be priced)"
    if measure == "expected":
        share = (f" ({report.expected_saving_usd / report.projected_monthly_usd * 100:.1f}% of the projected "
                 f"{usd(report.projected_monthly_usd)}{'' if report.projection_complete else ', incomplete'})"
                 if report.projected_monthly_usd else "")
        return f"Total: {usd(report.expected_saving_usd)} a month{share}"
    return f"Total: {usd(report.worst_case_saving_usd)} a month less worst-case exposure (expected spend does not change)"


def _details(rank: int, lever: Lever, context: ReportContext, code: Callable[[str], str]
             ) -> tuple[str, list[tuple[int, str]]]:
    """A lever's heading, and its details as (depth, line): what it rests on, each call's arithmetic, the caveats."""
    figure = (f"{usd(lever.saving_usd)}/month" if lever.saving_usd is not None
              else f"no figure: {lever.unpriced}" if lever.unpriced else "no figure: unbounded now")
    heading = f"{rank}. {lever.kind}, {lever.use_case or '(unattributed)'}: {lever.change} ({figure})"
    items: list[tuple[int, str]] = [(0, f"rests on: {lever.basis}")]
    if lever.evidence_file:
        items.append((0, f"evidence: {code(context.display(lever.evidence_file))}"))
    for entry in lever.sites:
        site = entry.site.site
        function = f" in {code(site.function)}" if site.function else ""
        items.append((0, f"{code(f'{context.display(entry.site.path)}:{site.line}')}{function}:"))
        items += [(1, line) for line in entry.arithmetic]
    items += [(0, f"note: {caveat}") for caveat in lever.caveats]
    return heading, items


def _notes(report: SavingsReport, context: ReportContext, code: Callable[[str], str]) -> list[str]:
    notes = [f"{code(f'{context.display(site.path)}:{site.site.line}')}: {' and '.join(kinds)} apply to the same call; "
             "their savings overlap, so the total is more than making every change would save"
             for site, kinds in report.overlaps]
    notes += [f"{code(f'{context.display(site.path)}:{site.site.line}')}: use case {name!r} is offline, but the catalog "
              f"has no batch or flex price for {site.model!r}" for name, site in report.untiered]
    return notes


def _heading(report: SavingsReport) -> str:
    return (f"catalog as of {report.catalog_as_of.isoformat()}, prices in force on {report.today.isoformat()}; "
            f"projected spend {usd(report.projected_monthly_usd)} a month"
            + ("" if report.projection_complete else " (incomplete)"))


def savings_text(report: SavingsReport, context: ReportContext) -> str:
    lines = [f"Savings levers ({_heading(report)})"]
    if not report.levers:
        lines += ["", ("No lever found: no cheaper evaluated model, no offline work on a synchronous tier, no uncached "
                       "static prefix, no output limit far above the need, no static prompt over the limit.")]
    for measure, title in _SECTIONS:
        ranked = _ranked(report, measure)
        if not ranked:
            continue
        lines += ["", f"{title}:"]
        rows = [_row(rank, lever, context, str) for rank, lever in ranked]
        lines += ["  " + line for line in text_table(_HEADERS, rows, _RIGHT)]
        lines.append(f"  {_total_line(report, measure)}")
    if report.levers:
        lines += ["", "How each figure is computed:"]
        for rank, lever in enumerate(report.levers, start=1):
            heading, items = _details(rank, lever, context, str)
            lines += ["", f"  {heading}", *(f"  {'  ' * (depth + 1)} {line}" for depth, line in items)]
    notes = _notes(report, context, str)
    if notes:
        lines += ["", "Notes:", *(f"  {note}" for note in notes)]
    return "\n".join(lines) + "\n"


def savings_markdown(report: SavingsReport, context: ReportContext) -> str:
    def code(text: str) -> str:
        return f"`{text}`"

    # a pull-request comment names files as the repository does, wherever the command ran
    context = replace(context, cwd=context.repository or context.root)
    lines = ["## AI spend: savings levers", ""]
    if report.levers:
        expected = [lever for lever in report.measured("expected") if lever.saving_usd is not None]
        parts = [(f"**{usd(report.expected_saving_usd)} a month** of expected spend could be saved "
                  f"({plural(len(expected), 'lever')})")]
        if any(lever.saving_usd is not None for lever in report.measured("worst-case")):
            parts.append(f"{usd(report.worst_case_saving_usd)} a month less worst-case exposure")
        unpriced = sum(1 for lever in report.levers if lever.saving_usd is None)
        if unpriced:
            parts.append(f"{plural(unpriced, 'lever')} without a figure")
        lines.append("; ".join(parts) + f". {_heading(report).capitalize()}.")
    else:
        lines.append(f"No lever found. {_heading(report).capitalize()}.")
    for measure, title in _SECTIONS:
        ranked = _ranked(report, measure)
        if not ranked:
            continue
        lines += ["", f"### {title}", ""]
        lines += markdown_table(_HEADERS, [_row(r, lever, context, code) for r, lever in ranked], _RIGHT)
        lines += ["", _total_line(report, measure)]
    if report.levers:
        lines += ["", "<details><summary>How each figure is computed</summary>", ""]
        for rank, lever in enumerate(report.levers, start=1):
            heading, items = _details(rank, lever, context, code)
            title, _, rest = heading.partition(": ")
            lines.append(f"{title.replace(f'{rank}. ', f'{rank}. **', 1)}:** {markdown_cell(rest)}")
            lines += [f"{'   ' * (depth + 1)}- {markdown_cell(line)}" for depth, line in items]
            lines.append("")
        lines.append("</details>")
    notes = _notes(report, context, code)
    if notes:
        lines += ["", "Notes:", "", *(f"- {markdown_cell(note)}" for note in notes)]
    lines += ["", f"<sub>oberhahn-policy {__version__}; `oberhahn-policy savings --format text` prints the same.</sub>"]
    return "\n".join(lines) + "\n"


SAVINGS_FORMATS: dict[str, Callable[[SavingsReport, ReportContext], str]] = {
    "text": savings_text,
    "json": savings_json,
    "markdown": savings_markdown,
}
